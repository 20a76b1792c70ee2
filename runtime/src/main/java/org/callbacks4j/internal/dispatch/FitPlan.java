package org.callbacks4j.internal.dispatch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.callbacks4j.History;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one fit will produce, handed to {@link CallbackDispatcher#prepare} before any training work, and the services
 * the trainer offers built-in policies for the rest of the fit. Built-in policies resolve their monitors to slots here
 * once, define the metrics they add ({@code learning_rate}, {@code @Metric} names), and reject a fit they cannot serve
 * (for example {@code val_loss} with no validation data) before the first epoch.
 *
 * <p>A plan is valid for one fit. Methods marked "only during prepare" throw {@link IllegalStateException} afterwards;
 * the others may be called from the hooks of that fit.
 */
public interface FitPlan {

    /** The epoch logs of this fit. Resolve names with {@link Logs#slot(String)}; slots are stable for the fit. */
    Logs logs();

    /**
     * Gives {@code name} a slot in the epoch logs (or returns its existing slot), for a value a policy or a custom
     * metric writes with {@link #set} at epoch end. Only during prepare.
     */
    int defineMetric(String name);

    /** Writes {@code value} into {@code slot} of the current epoch logs, for hooks and loggers that run after. */
    void set(int slot, double value);

    /** Whether this fit validates ({@code val_} metrics exist). */
    boolean hasValidation();

    /** The context hooks receive during this fit. */
    TrainingContext context();

    /**
     * Every metric name this fit produces so far, sorted: the trainer's ({@code loss}, compiled metrics, their
     * {@code val_} versions) and those defined by the policies prepared so far. For messages that list what exists.
     */
    List<String> metricNames();

    /**
     * Asks training to stop, as {@link TrainingContext#stopTraining()}, and names who asked, for
     * {@link History#stoppedBy()} (e.g. {@code "TerminateOnNaN"}). The first request of a fit is the one recorded.
     */
    void stopTraining(String stoppedBy);

    /**
     * Adds an {@code @EarlyStop}'s outcome to the fit's {@link History#earlyStopping()}: {@code outcome} is read once,
     * when the fit returns (after {@code onTrainEnd}). Only during prepare.
     */
    void reportOutcome(Supplier<History.EarlyStoppingOutcome> outcome);

    /**
     * Asks the trainer for the model's outputs at the end of every epoch, on the training rows and, when the fit
     * validates, on the validation rows; {@code listener} receives them after validation, before any epoch-end hook,
     * and may write what it computes into the logs with {@link #set}. Costs one extra forward pass over the training
     * rows per epoch (the validation outputs are those of the validation pass, kept). Only during prepare.
     */
    void onPredictions(PredictionListener listener);

    /**
     * Writes a checkpoint of the training now to {@code file}, atomically (see
     * {@code org.callbacks4j.train.Checkpoints}): the model and, unless {@code weightsOnly}, the optimizer state, the
     * training position ({@code epoch}, {@code batch}: -1 for an epoch-end save) and the values in {@code logs}.
     *
     * @throws IOException naming the file if it cannot be written; the previous file at {@code file}, if any, is
     *     left intact
     */
    void saveCheckpoint(Path file, boolean weightsOnly, int epoch, int batch, Logs logs) throws IOException;

    /** Optimizer steps taken so far in this model's training (Keras {@code optimizer.iterations}). */
    long iterations();

    /**
     * Backs this fit up to {@code dir} and resumes from the backup found there, as {@code @BackupAndRestore}: the
     * trainer saves the model, the optimizer, its position and the state of every {@link
     * org.callbacks4j.internal.state.Stateful} callback at each save point, and a fit that finds a backup continues from it.
     * Only during prepare; at most once per fit.
     *
     * @param saveFreq 0 to save at the end of every epoch, or N &gt; 0 to save every N training batches
     * @param deleteBackup whether to delete the backup when the fit ends normally (not when an exception escapes)
     * @throws IllegalStateException if called twice in one fit
     * @throws UnsupportedOperationException if this trainer cannot back up a fit
     */
    default void backupAndRestore(Path dir, int saveFreq, boolean deleteBackup) {
        throw new UnsupportedOperationException("this trainer cannot back up a fit (@BackupAndRestore)");
    }

    /**
     * Declares that this fit writes {@code path} (a file, or a folder it writes files into), {@code what} naming it in
     * messages (e.g. {@code "@CsvLogger file"}). The trainer locks every declared path for the whole fit, so that a
     * second fit on the same path, in another process or another thread, fails before any training work instead of
     * interleaving its writes. Only during prepare.
     */
    default void ownOutput(Path path, String what) {}

    /**
     * Whether this fit continues a run from a backup. When true, the state of every policy was restored (by its
     * {@code restoreState}) before {@code onTrainBegin}, which must then keep that state instead of resetting it.
     * Known from {@code onTrainBegin} on; false during prepare.
     */
    default boolean resuming() {
        return false;
    }

    /** Receives the model's epoch-end outputs; see {@link #onPredictions}. */
    @FunctionalInterface
    interface PredictionListener {

        /**
         * Called once per epoch, after validation. The arrays are the trainer's buffers, valid during the call only:
         * read them, do not keep or modify them. Rows of outputs and labels correspond; training rows are in the
         * dataset's order (not the epoch's shuffle).
         *
         * @param trainOutputs the model's outputs on the training rows, {@code [trainRows, outputs]}
         * @param trainLabels the training labels, same shape
         * @param validationOutputs the outputs on the validation rows, or null if the fit does not validate
         * @param validationLabels the validation labels, or null
         */
        void onPredictions(int epoch, INDArray trainOutputs, INDArray trainLabels, INDArray validationOutputs,
                INDArray validationLabels);
    }
}
