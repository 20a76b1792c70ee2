package org.callbacks4j.train;

import java.nio.file.Path;
import org.callbacks4j.internal.train.Backups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a fit does with a backup folder whose run already ended, or went further than this fit asks: a program
 * restarted after its training finished gets the finished run back (History and parameters) instead of training it
 * again and repeating its TensorBoard steps; a fit asking for fewer epochs than the backup already ran is refused
 * rather than deleting the backup. Keras differs: its {@code BackupAndRestore} deletes the backup at the end of a
 * successful fit, so a restart trains from scratch (docs/keras-differences.md).
 */
final class BackupCompletion {

    private static final Logger log = LoggerFactory.getLogger(BackupCompletion.class);

    private BackupCompletion() {}

    /**
     * Refuses, before anything changes, to continue an unfinished backup that already ran more epochs than
     * {@code epochs}.
     *
     * @throws IllegalStateException naming the backup, both numbers and the two ways out
     */
    static void checkEpochs(Backups.Backup saved, int epochs, Path dir) {
        if (!saved.complete() && saved.epoch() > epochs) {
            throw new IllegalStateException("@BackupAndRestore: backup " + saved.file().toAbsolutePath() + " already "
                    + "ran " + saved.epoch() + " epochs, but this fit asks for " + epochs + " (Fit.epochs(" + epochs
                    + ")); pass Fit.epochs(" + saved.epoch() + ") or more to finish that run, or move or delete the "
                    + "folder " + dir.toAbsolutePath() + " to start a new one");
        }
    }

    /** Says that the run is complete and how to start a new one. */
    static void logComplete(Backups.Backup saved, Path dir) {
        log.info("@BackupAndRestore: the run backed up in {} is complete ({} epochs, {}): returning its History and "
                + "parameters without training. To train again, delete the folder or back up to another one",
                dir.toAbsolutePath(), saved.epoch(), saved.file().getFileName());
    }
}
