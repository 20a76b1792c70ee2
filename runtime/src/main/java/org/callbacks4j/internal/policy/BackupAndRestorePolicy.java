package org.callbacks4j.internal.policy;

import java.io.IOException;
import java.nio.file.Path;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.io.AtomicFiles;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;

/**
 * Keras 3 {@code BackupAndRestore}, built from {@code @BackupAndRestore}: backs the training up to a folder and, when a
 * fit finds a backup there (the process was killed, ran out of memory, the machine was lost), continues from it and
 * ends exactly where an uninterrupted run would have.
 *
 * <p>The trainer does the work ({@link FitPlan#backupAndRestore}); this policy checks the folder before training and
 * hands the settings over in {@link #prepare}. It has no hooks and no state of its own. What a backup holds, when it is
 * written and how a fit resumes: {@code docs/resume.md}.
 */
public final class BackupAndRestorePolicy implements Policy {

    /** {@code saveFreq} value for a backup at the end of every epoch (Keras {@code save_freq="epoch"}). */
    public static final int SAVE_EVERY_EPOCH = 0;

    private final Path dir;
    private final int saveFreq;
    private final boolean deleteCheckpoint;

    /**
     * @param dir the backup folder, e.g. {@code runs/digits/backup}; created if missing
     * @param saveFreq {@link #SAVE_EVERY_EPOCH}, or N &gt; 0 to back up every N training batches
     * @param deleteCheckpoint whether to keep only the completion record when training ends normally (default true)
     * @throws IllegalArgumentException if {@code dir} is empty or {@code saveFreq} is negative
     */
    public BackupAndRestorePolicy(String dir, int saveFreq, boolean deleteCheckpoint) {
        if (dir == null || dir.isEmpty()) {
            throw new IllegalArgumentException("@BackupAndRestore needs a backup folder, e.g. \"runs/backup\"");
        }
        if (saveFreq < 0) {
            throw new IllegalArgumentException("@BackupAndRestore saveFreq must be " + SAVE_EVERY_EPOCH + " (every "
                    + "epoch) or a number of batches > 0, got " + saveFreq);
        }
        this.dir = Path.of(dir);
        this.saveFreq = saveFreq;
        this.deleteCheckpoint = deleteCheckpoint;
    }

    /**
     * Checks that the folder can be written (creating it) and asks the trainer to back this fit up there.
     *
     * @throws IllegalStateException naming the folder and the fix if it cannot be written, or if the fit already has a
     *     backup folder (two {@code @BackupAndRestore})
     */
    @Override
    public void prepare(FitPlan plan) {
        try {
            AtomicFiles.checkWritableDirectory(dir, "backup");
        } catch (IOException e) {
            throw new IllegalStateException("@BackupAndRestore: " + e.getMessage(), e);
        }
        plan.backupAndRestore(dir, saveFreq, deleteCheckpoint);
    }

    /** The backup folder. */
    public Path dir() {
        return dir;
    }

    /** {@link #SAVE_EVERY_EPOCH} or the number of batches between backups. */
    public int saveFreq() {
        return saveFreq;
    }

    /**
     * Only the name: the folder decides which backup is found, and the save frequency and deletion may change between
     * runs without changing what the state means.
     */
    @Override
    public String stateConfiguration() {
        return "BackupAndRestore/1";
    }

    /** Nothing: the trainer saves the whole training. */
    @Override
    public void saveState(StateWriter out) {}

    @Override
    public void restoreState(StateReader in) {}
}
