package org.callbacks4j.train;

import java.nio.file.Path;
import org.callbacks4j.internal.train.Backups;

/**
 * The {@code @BackupAndRestore} folder of one fit, for trainers outside this package (the Spark trainer in
 * {@code callbacks4j-spark}): the same files, generations, pruning and damage checks as {@link Trainer#fit}'s backups
 * (see {@code docs/resume.md}); the trainer decides when to save and what its state holds.
 */
public final class BackupFolder {

    private final BackupRun run;

    /**
     * The folder {@code dir}; {@code saveFreq} 0 saves at epoch ends, N &gt; 0 every N steps; {@code deleteBackup}
     * keeps only the completion record when the fit ends normally.
     *
     * @throws IllegalArgumentException if {@code saveFreq} is negative
     */
    public BackupFolder(Path dir, int saveFreq, boolean deleteBackup) {
        this.run = new BackupRun(dir, saveFreq, deleteBackup);
    }

    public Path dir() {
        return run.dir;
    }

    /** 0: at each epoch end; N &gt; 0: every N steps. */
    public int saveFreq() {
        return run.saveFreq;
    }

    /**
     * The newest intact backup, or null if there is none (a new run).
     *
     * @throws IllegalStateException if backups exist and none of them is intact
     */
    public Backups.Backup loadNewest() {
        return run.loadNewest();
    }

    /**
     * Writes the next backup (atomically), then deletes all but it and the previous good one.
     *
     * @param epoch the epoch to resume in
     * @param stepsDone the steps of that epoch already done (0: the epoch starts from the beginning)
     * @param configuration text that identifies the training; a resume with different text is refused
     * @param trainerState the trainer's own state
     * @param callbackState the callbacks' state
     */
    public void save(int epoch, int stepsDone, String configuration, byte[] trainerState, byte[] callbackState) {
        run.save(epoch, stepsDone, configuration, trainerState, callbackState);
    }

    /** The trainer's state in {@code backup}, as given to {@link #save}. */
    public static byte[] trainerState(Backups.Backup backup) {
        return backup.trainerState();
    }

    /** The callbacks' state in {@code backup}, as given to {@link #save}. */
    public static byte[] callbackState(Backups.Backup backup) {
        return backup.callbackState();
    }

    /**
     * At the normal end of the fit: writes the completion record (a last backup marked complete), so that a restarted
     * program gets the finished run back instead of training it again; with {@code deleteBackup} it replaces the
     * other generations.
     */
    public void complete(int epoch, String configuration, byte[] trainerState, byte[] callbackState) {
        run.complete(epoch, configuration, trainerState, callbackState);
    }
}
