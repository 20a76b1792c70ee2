package org.callbacks4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Survives a crash: Keras {@code BackupAndRestore}. The training is backed up to the folder {@link #value()}; a
 * {@code fit} that finds a backup there continues from it and ends exactly where an uninterrupted run would have
 * (same parameters, same History, no gap or repeated row in the CSV log or TensorBoard run).
 *
 * <p>A backup holds the parameters, the optimizer state, the epoch and batch reached (mid-epoch backups resume at the
 * next batch, with the same shuffle order and the epoch's accumulated loss and metrics), the learning rate, the History
 * so far, and the state of every policy on the class (early-stop wait, best value and best weights, plateau wait and
 * cooldown, checkpoint best value and batch counter, CSV and TensorBoard positions). The two newest backups are kept,
 * each with CRC-32C checksums: a damaged newest backup is reported and the previous one used. A backup written for
 * another training class, model, optimizer, data or policy configuration is refused with an error. See
 * {@code docs/resume.md}.
 *
 * <p>Determinism: with the same seed, data and thread settings, an interrupted and resumed run produces bit for bit the
 * parameters and metrics of an uninterrupted one.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface BackupAndRestore {

    /** {@link #saveFreq()} value meaning "at the end of every epoch" (Keras {@code save_freq="epoch"}). */
    int EPOCH = 0;

    /** The backup folder; not empty. Created if missing. */
    String value();

    /** {@link #EPOCH} (the default) to back up at every epoch end, or N &gt;= 1 to back up every N training batches. */
    int saveFreq() default EPOCH;

    /**
     * When training ends normally, keep only the completion record (the last backup, marked complete: a restarted
     * program gets the finished run back instead of training again) and delete the other backups; never when an
     * exception escapes or the process dies. Keras deletes every backup here.
     */
    boolean deleteCheckpoint() default true;
}
