package org.callbacks4j.benchmarks.e2e;

import java.nio.file.Path;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.internal.policy.CsvLoggerPolicy;
import org.callbacks4j.internal.policy.EarlyStopping;
import org.callbacks4j.internal.policy.ModelCheckpoint;
import org.callbacks4j.internal.policy.ReduceLROnPlateau;
import org.callbacks4j.internal.policy.TensorBoardLogger;

/**
 * The "full callback set" of the end-to-end benchmark: early stopping, a best-only checkpoint, plateau LR, a CSV log
 * and TensorBoard, with their real file output; the progress bar is the trainer's own ({@code Fit.verbose(1)}, drawn
 * as on a terminal into a file, see {@link EndToEnd}).
 *
 * <p>This is the dispatcher the processor generates for
 * <pre>{@code
 * @EarlyStop(monitor = "loss", patience = 3)
 * @ReduceLrOnPlateau(monitor = "loss", factor = 0.5, patience = 2)
 * @Checkpoint(path = "<dir>/ckpt-{epoch:02d}-{loss:.4f}.zip", monitor = "loss", saveBestOnly = true)
 * @CsvLogger("<dir>/history.csv")
 * @TensorBoard("<dir>/tb")
 * }</pre>
 * (same policies, same calls, same order), written by hand for two reasons: the folder is chosen at run time, and
 * each policy's calls are timed so the report can break the cost down. The clock runs from the first call of
 * {@link #onEpochBegin} to the end of {@link #onEpochEnd}, so it includes every policy's epoch-end work.
 *
 * <p>All monitors watch the training {@code loss}, so the fit needs no validation and trains exactly what the
 * no-callback fit trains. The loss improves every epoch here, so the checkpoint writes a file every epoch: the
 * most I/O this set can cost.
 */
final class FullCallbacks implements CallbackDispatcher {

    final EpochTimes times;
    private final long budgetNanos;
    private final EarlyStopping earlyStop = new EarlyStopping("loss", false, 0.0, 3, Double.NaN, false, 0, 0);
    private final ReduceLROnPlateau plateau = new ReduceLROnPlateau("loss", false, 0.5, 2, 1e-4, 0, 0.0, 0);
    private final ModelCheckpoint checkpoint;
    private final CsvLoggerPolicy csv;
    private final TensorBoardLogger tensorBoard;

    /** Time spent inside the policies' calls during each measured epoch, in total and per writer. */
    final long[] checkpointNanos;
    final long[] csvNanos;
    final long[] tensorBoardNanos;
    /** The progress bar runs inside the trainer: its cost is in the epoch time, not broken out. */
    final long[] progressNanos = null;
    private long epochHookNanos;

    /** @param budgetNanos stop the fit once its measured epochs took this long (0: run all epochs) */
    FullCallbacks(Path dir, int epochs, long budgetNanos) {
        this.budgetNanos = budgetNanos;
        this.times = new EpochTimes(epochs);
        this.checkpointNanos = new long[epochs];
        this.csvNanos = new long[epochs];
        this.tensorBoardNanos = new long[epochs];
        this.checkpoint = new ModelCheckpoint(dir.resolve("ckpt-{epoch:02d}-{loss:.4f}.zip").toString(), "loss",
                false, true, false, ModelCheckpoint.SAVE_EVERY_EPOCH, Double.NaN, 0);
        this.csv = new CsvLoggerPolicy(dir.resolve("history.csv").toString(), ",", false);
        this.tensorBoard = new TensorBoardLogger(dir.resolve("tb").toString(), 0);
    }

    /** How many checkpoint files the fit wrote. */
    int checkpointsWritten() {
        return checkpoint.saves();
    }

    @Override
    public int hooks() {
        return Hooks.TRAIN_BEGIN | Hooks.EPOCH_BEGIN | Hooks.EPOCH_END | Hooks.TRAIN_END;
    }

    @Override
    public void prepare(FitPlan plan) {
        plateau.prepare(plan);
        earlyStop.prepare(plan);
        checkpoint.prepare(plan);
        csv.prepare(plan);
        tensorBoard.prepare(plan);
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        plateau.onTrainBegin(context);
        earlyStop.onTrainBegin(context);
        checkpoint.onTrainBegin(context);
        csv.onTrainBegin(context);
        tensorBoard.onTrainBegin(context);
    }

    @Override
    public void onEpochBegin(int epoch, TrainingContext context) {
        times.begin();
        long t = System.nanoTime();
        checkpoint.onEpochBegin(epoch, context);
        epochHookNanos = System.nanoTime() - t;
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
        int e = times.count;
        long t0 = System.nanoTime();
        plateau.onEpochEnd(epoch, logs, context);
        earlyStop.onEpochEnd(epoch, logs, context);
        long t1 = System.nanoTime();
        checkpoint.onEpochEnd(epoch, logs, context);
        long t2 = System.nanoTime();
        csv.onEpochEnd(epoch, logs, context);
        long t3 = System.nanoTime();
        tensorBoard.onEpochEnd(epoch, logs, context);
        long t4 = System.nanoTime();
        checkpointNanos[e] = t2 - t1;
        csvNanos[e] = t3 - t2;
        tensorBoardNanos[e] = t4 - t3;
        times.end(logs);
        times.hookNanos[e] = epochHookNanos + (t4 - t0);
        if (times.overBudget(budgetNanos)) {
            context.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(Logs logs, TrainingContext context) {
        earlyStop.onTrainEnd(logs, context);
        csv.onTrainEnd(logs, context);
        tensorBoard.onTrainEnd(logs, context);
    }
}
