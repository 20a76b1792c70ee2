package org.callbacks4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.callbacks4j.internal.io.AtomicFiles;
import org.callbacks4j.internal.train.Backups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup folder of one fit ({@code @BackupAndRestore}): finds the backup to resume from, writes each new
 * generation and keeps the newest two, and writes the completion record when the fit ends normally. The trainer
 * ({@link FitRun}, and callbacks4j-dl4j's) decides when to save and what goes in.
 */
public final class BackupRun {

    private static final Logger log = LoggerFactory.getLogger(BackupRun.class);

    final Path dir;
    /** 0: at each epoch end; N > 0: every N training batches. */
    final int saveFreq;
    final boolean deleteBackup;

    private long nextGeneration = 1;
    /** The generation this fit resumed from or last wrote: kept, as the previous one, when the next is written. */
    private long lastGood = -1;

    public BackupRun(Path dir, int saveFreq, boolean deleteBackup) {
        if (saveFreq < 0) {
            throw new IllegalArgumentException("@BackupAndRestore saveFreq must be 0 (every epoch) or a number of "
                    + "batches > 0, got " + saveFreq);
        }
        this.dir = dir;
        this.saveFreq = saveFreq;
        this.deleteBackup = deleteBackup;
    }

    /** The backup folder. */
    public Path dir() {
        return dir;
    }

    /** 0: a backup at each epoch end; N &gt; 0: every N training batches. */
    public int saveFreq() {
        return saveFreq;
    }

    /**
     * The newest intact backup in the folder, or null if there is none (a new run). Damaged backups are skipped with a
     * warning naming the damage; if every backup is damaged, training does not silently start over.
     *
     * @throws IllegalStateException if backups exist and none of them is intact
     * @throws UncheckedIOException if the folder cannot be read
     */
    public Backups.Backup loadNewest() {
        List<Path> files;
        try {
            AtomicFiles.deleteStaleTemporaries(dir, null);
            files = Backups.files(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("@BackupAndRestore cannot read the backup folder " + dir.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            log.debug("No backup in {}: training starts from the beginning", dir.toAbsolutePath());
            return null;
        }
        nextGeneration = Backups.generationOf(files.get(0)) + 1;
        List<String> damaged = new ArrayList<>();
        for (Path file : files) {
            try {
                Backups.Backup backup = Backups.read(file);
                if (!damaged.isEmpty()) {
                    log.warn("@BackupAndRestore: {}; resuming from the previous backup {}", String.join("; ", damaged),
                            backup);
                }
                lastGood = backup.generation();
                return backup;
            } catch (IOException e) {
                damaged.add(e.getMessage());
            }
        }
        throw new IllegalStateException("@BackupAndRestore found no intact backup in " + dir.toAbsolutePath() + ": "
                + String.join("; ", damaged) + ". Training does not start over on its own: move or delete the "
                + "folder to start a new run");
    }

    /** Writes the next generation, then deletes all but it and the previous good one. */
    public void save(int epoch, int batchesDone, String configuration, byte[] trainerState, byte[] callbackState) {
        save(epoch, batchesDone, configuration, trainerState, callbackState, false);
    }

    /**
     * At the normal end of the fit: writes the completion record (a last generation marked complete, taken after
     * train end), so that a restarted program gets the finished run back instead of training it again. With
     * {@code deleteBackup} it replaces every other generation; without, the previous one stays too.
     */
    public void complete(int epoch, String configuration, byte[] trainerState, byte[] callbackState) {
        save(epoch, 0, configuration, trainerState, callbackState, true);
        if (deleteBackup) {
            try {
                Backups.prune(dir, lastGood, lastGood);
            } catch (IOException e) {
                throw new UncheckedIOException("@BackupAndRestore cannot delete the older backups in "
                        + dir.toAbsolutePath() + ": " + e.getMessage(), e);
            }
        }
        log.info("@BackupAndRestore: training complete; {} records it. Running the program again returns this "
                + "run's History and parameters without training; to train again, delete the folder {} or back up "
                + "to another one", Backups.fileOf(dir, lastGood), dir.toAbsolutePath());
    }

    private void save(int epoch, int batchesDone, String configuration, byte[] trainerState, byte[] callbackState,
            boolean complete) {
        long generation = nextGeneration++;
        try {
            Backups.write(dir, generation, epoch, batchesDone, configuration, trainerState, callbackState, complete);
            Backups.prune(dir, generation, lastGood);
        } catch (IOException e) {
            throw new UncheckedIOException("@BackupAndRestore: " + e.getMessage(), e);
        }
        lastGood = generation;
    }
}
