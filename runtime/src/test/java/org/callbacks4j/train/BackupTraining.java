package org.callbacks4j.train;

import java.nio.file.Path;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.internal.policy.BackupAndRestorePolicy;
import org.callbacks4j.internal.policy.CsvLoggerPolicy;
import org.callbacks4j.internal.policy.CustomMetric;
import org.callbacks4j.internal.policy.EarlyStopping;
import org.callbacks4j.internal.policy.ModelCheckpoint;
import org.callbacks4j.internal.policy.ReduceLROnPlateau;
import org.callbacks4j.internal.policy.TensorBoardLogger;
import org.callbacks4j.internal.policy.TerminateOnNaNPolicy;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;
import org.callbacks4j.internal.state.Stateful;

/**
 * A hand-written stand-in for the dispatcher the processor generates for a training class carrying every stateful
 * policy and {@code @BackupAndRestore}: the same calls in the same order, and the same state sections. Files go under
 * one root folder: {@code history.csv}, {@code tb/}, {@code ckpt/}, {@code backup/}.
 *
 * <p>{@link #crashAt} makes a batch-begin hook throw at one (epoch, batch), standing in for a process that dies there.
 */
public final class BackupTraining implements CallbackDispatcher, Stateful {

    /** Thrown by the crash hook. */
    public static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(String where) {
            super("crash " + where);
        }
    }

    final CustomMetric gap = new CustomMetric("gap");
    final ReduceLROnPlateau plateau;
    final EarlyStopping earlyStop;
    final ModelCheckpoint best;
    final ModelCheckpoint last;
    final TerminateOnNaNPolicy terminateOnNaN = new TerminateOnNaNPolicy();
    final CsvLoggerPolicy csv;
    final TensorBoardLogger tensorBoard;
    final BackupAndRestorePolicy backup;

    private int crashEpoch = -1;
    private int crashBatch = -1;
    private boolean crashAtTrainEnd;
    private int stopEpoch = -1;
    private int stopBatch = -1;
    private java.io.PrintStream progress;

    /**
     * @param root the folder for every file
     * @param backupFreq {@code @BackupAndRestore saveFreq}: 0 every epoch, N every N batches
     * @param patience the early stop's patience
     */
    public BackupTraining(Path root, int backupFreq, int patience) {
        this(root, backupFreq, patience, true);
    }

    /** As above; {@code deleteBackup} is {@code @BackupAndRestore(deleteCheckpoint)}. */
    public BackupTraining(Path root, int backupFreq, int patience, boolean deleteBackup) {
        plateau = new ReduceLROnPlateau("val_loss", false, 0.5, 1, 1e-3, 1, 1e-4, 0);
        earlyStop = new EarlyStopping("val_loss", false, 1e-3, patience, Double.NaN, true, 0, 0);
        best = new ModelCheckpoint(root.resolve("ckpt/best-{epoch:02d}.zip").toString(), "val_loss", false, true,
                false, ModelCheckpoint.SAVE_EVERY_EPOCH, Double.NaN, 0);
        last = new ModelCheckpoint(root.resolve("ckpt/last.zip").toString(), "loss", false, false, false, 7,
                Double.NaN, 0);
        csv = new CsvLoggerPolicy(root.resolve("history.csv").toString(), ",", false);
        tensorBoard = new TensorBoardLogger(root.resolve("tb").toString(), 4);
        backup = new BackupAndRestorePolicy(root.resolve("backup").toString(), backupFreq, deleteBackup);
    }

    /** Throw {@link Crash} when batch {@code batch} of epoch {@code epoch} is about to run. */
    public BackupTraining crashAt(int epoch, int batch) {
        this.crashEpoch = epoch;
        this.crashBatch = batch;
        return this;
    }

    /** Throw {@link Crash} when training ends, before any policy's train-end work. */
    public BackupTraining crashAtTrainEnd() {
        this.crashAtTrainEnd = true;
        return this;
    }

    /** Ask to stop training after batch {@code batch} of epoch {@code epoch}, as a user's batch hook may. */
    public BackupTraining stopAt(int epoch, int batch) {
        this.stopEpoch = epoch;
        this.stopBatch = batch;
        return this;
    }

    /** Print {@code "batch <epoch> <batch>"} before every batch (the kill test follows the child's progress). */
    public BackupTraining printProgress(java.io.PrintStream out) {
        this.progress = out;
        return this;
    }

    @Override
    public int hooks() {
        return Hooks.TRAIN_BEGIN | Hooks.EPOCH_BEGIN | Hooks.BATCH_BEGIN | Hooks.BATCH_END | Hooks.BATCH_LOGS
                | Hooks.EPOCH_END | Hooks.TRAIN_END;
    }

    @Override
    public void prepare(FitPlan plan) {
        gap.prepare(plan);
        plateau.prepare(plan);
        earlyStop.prepare(plan);
        best.prepare(plan);
        last.prepare(plan);
        terminateOnNaN.prepare(plan);
        csv.prepare(plan);
        tensorBoard.prepare(plan);
        backup.prepare(plan);
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        plateau.onTrainBegin(context);
        earlyStop.onTrainBegin(context);
        terminateOnNaN.onTrainBegin(context);
        csv.onTrainBegin(context);
        tensorBoard.onTrainBegin(context);
    }

    @Override
    public void onEpochBegin(int epoch, TrainingContext context) {
        best.onEpochBegin(epoch, context);
        last.onEpochBegin(epoch, context);
    }

    @Override
    public void onBatchBegin(int epoch, int batch, TrainingContext context) {
        if (progress != null) {
            progress.println("batch " + epoch + " " + batch);
            progress.flush();
        }
        if (epoch == crashEpoch && batch == crashBatch) {
            throw new Crash("before batch " + batch + " of epoch " + epoch);
        }
    }

    @Override
    public void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {
        terminateOnNaN.onBatchEnd(epoch, batch, logs, context);
        last.onBatchEnd(epoch, batch, logs, context);
        tensorBoard.onBatchEnd(epoch, batch, logs, context);
        if (epoch == stopEpoch && batch == stopBatch) {
            context.stopTraining();
        }
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
        gap.set(logs.get("val_loss") - logs.get("loss"));
        plateau.onEpochEnd(epoch, logs, context);
        earlyStop.onEpochEnd(epoch, logs, context);
        best.onEpochEnd(epoch, logs, context);
        last.onEpochEnd(epoch, logs, context);
        csv.onEpochEnd(epoch, logs, context);
        tensorBoard.onEpochEnd(epoch, logs, context);
    }

    @Override
    public void onTrainEnd(Logs logs, TrainingContext context) {
        if (crashAtTrainEnd) {
            throw new Crash("at train end");
        }
        earlyStop.onTrainEnd(logs, context);
        csv.onTrainEnd(logs, context);
        tensorBoard.onTrainEnd(logs, context);
    }

    @Override
    public String stateConfiguration() {
        return "BackupTraining (test stand-in for generated code)";
    }

    /** Each policy's state in a section of its own, in declaration order, as generated code saves it. */
    @Override
    public void saveState(StateWriter out) {
        out.putSection("gap", gap)
                .putSection("plateau", plateau)
                .putSection("earlyStop", earlyStop)
                .putSection("best", best)
                .putSection("last", last)
                .putSection("terminateOnNaN", terminateOnNaN)
                .putSection("csv", csv)
                .putSection("tensorBoard", tensorBoard)
                .putSection("backup", backup);
    }

    @Override
    public void restoreState(StateReader in) {
        in.readSection("gap", gap);
        in.readSection("plateau", plateau);
        in.readSection("earlyStop", earlyStop);
        in.readSection("best", best);
        in.readSection("last", last);
        in.readSection("terminateOnNaN", terminateOnNaN);
        in.readSection("csv", csv);
        in.readSection("tensorBoard", tensorBoard);
        in.readSection("backup", backup);
    }
}
