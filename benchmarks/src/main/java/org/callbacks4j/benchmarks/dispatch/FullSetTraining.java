package org.callbacks4j.benchmarks.dispatch;

import org.callbacks4j.Logs;
import org.callbacks4j.OnBatchEnd;
import org.callbacks4j.OnEpochBegin;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.OnTrainBegin;
import org.callbacks4j.OnTrainEnd;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.benchmarks.ProgressBar;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.internal.policy.EarlyStopping;
import org.callbacks4j.internal.policy.ModelCheckpoint;
import org.callbacks4j.internal.policy.ReduceLROnPlateau;
import org.callbacks4j.internal.policy.TerminateOnNaNPolicy;

/**
 * Case "the full set of policies": early stopping, a best-only checkpoint, plateau LR, TerminateOnNaN and a progress
 * bar, each driven from its own hook method as the generated code of {@code @EarlyStop}, {@code @Checkpoint}, ... will
 * drive them. The hooks call the runtime's policy objects themselves, so that the hand-written, reflection and
 * listener variants run exactly the same policy work as the generated one.
 *
 * <p>File output (checkpoint files, CSV, TensorBoard) is left out here: it is the same work in every variant and
 * would drown the dispatch cost; the end-to-end benchmark measures it. The checkpoint policy still decides and formats
 * its path ({@link BenchPlan} writes no file), and the progress bar still renders its line.
 */
public class FullSetTraining {

    final EarlyStopping earlyStop = new EarlyStopping("val_loss", false, 0.0, 3, Double.NaN, false, 0, 0);
    final ModelCheckpoint checkpoint = new ModelCheckpoint(
            "runs/bench/ckpt-{epoch:02d}-{val_loss:.4f}.zip", "val_loss", false, true, false,
            ModelCheckpoint.SAVE_EVERY_EPOCH, Double.NaN, 0);
    final ReduceLROnPlateau plateau = new ReduceLROnPlateau("val_loss", false, 0.5, 2, 1e-4, 0, 0.0, 0);
    final TerminateOnNaNPolicy terminateOnNaN = new TerminateOnNaNPolicy();
    final ProgressBar progress = new ProgressBar(null, 50_000_000L);
    private int batchesPerEpoch;

    /**
     * Resolves the policies' slots once, as the generated {@code prepare(FitPlan)} does, in the same order; the batch
     * logs share the epoch logs' slots, as the trainer's do.
     */
    void prepare(FitPlan plan, int batchesPerEpoch) {
        plateau.prepare(plan);
        earlyStop.prepare(plan);
        checkpoint.prepare(plan);
        terminateOnNaN.prepare(plan);
        this.batchesPerEpoch = batchesPerEpoch;
    }

    @OnTrainBegin
    @RuntimeHook(Hooks.TRAIN_BEGIN)
    void resetPolicies(TrainingContext context) {
        earlyStop.onTrainBegin(context);
        plateau.onTrainBegin(context);
        terminateOnNaN.onTrainBegin(context);
    }

    @OnEpochBegin
    @RuntimeHook(Hooks.EPOCH_BEGIN)
    void epochBegins(int epoch) {
        progress.start(batchesPerEpoch);
    }

    @OnBatchEnd
    @RuntimeHook(Hooks.BATCH_END)
    void showProgress(int batch, Logs logs) {
        progress.update(batch, logs.get("loss"), logs.get("accuracy"));
    }

    @OnBatchEnd
    @RuntimeHook(Hooks.BATCH_END)
    void stopOnNaN(int epoch, int batch, Logs logs, TrainingContext context) {
        terminateOnNaN.onBatchEnd(epoch, batch, logs, context);
    }

    @OnEpochEnd
    @RuntimeHook(Hooks.EPOCH_END)
    void reduceLrOnPlateau(int epoch, Logs logs, TrainingContext context) {
        plateau.onEpochEnd(epoch, logs, context);
    }

    @OnEpochEnd
    @RuntimeHook(Hooks.EPOCH_END)
    void saveBest(int epoch, Logs logs) {
        checkpoint.onEpochEnd(epoch, logs, null); // an epoch-level checkpoint needs no context
    }

    @OnEpochEnd
    @RuntimeHook(Hooks.EPOCH_END)
    void stopEarly(int epoch, Logs logs, TrainingContext context) {
        earlyStop.onEpochEnd(epoch, logs, context);
    }

    @OnTrainEnd
    @RuntimeHook(Hooks.TRAIN_END)
    void restore(TrainingContext context) {
        earlyStop.onTrainEnd(null, context); // restoring needs no logs
    }
}
