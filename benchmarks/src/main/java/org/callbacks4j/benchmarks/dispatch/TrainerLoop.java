package org.callbacks4j.benchmarks.dispatch;

import java.util.Arrays;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.Hooks;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The trainer's side of dispatch, copied from {@code FitRun} (runtime, {@code trainEpoch} and {@code run}) with the
 * device work taken out: the train step is a {@link Blackhole} call and the per-batch loss and accuracy sums come from
 * host arrays. Serves the generated dispatcher, the reflective one, and no callbacks at all (an empty array), so those
 * three differ only in what the dispatcher does.
 */
final class TrainerLoop {

    private final Fixture f;
    private final CallbackDispatcher[] dispatchers;
    private final int hooks;
    private final CallbackDispatcher sole; // FitRun.soleDispatcher
    private final double[] runningMetrics = new double[1];

    TrainerLoop(Fixture f, CallbackDispatcher[] dispatchers) {
        this.f = f;
        this.dispatchers = dispatchers;
        int mask = 0;
        for (CallbackDispatcher d : dispatchers) {
            mask |= d.hooks();
        }
        this.hooks = mask;
        this.sole = dispatchers.length == 1 ? dispatchers[0] : null;
    }

    int hooks() {
        return hooks;
    }

    void trainBegin() {
        if (has(Hooks.TRAIN_BEGIN)) {
            for (CallbackDispatcher d : dispatchers) {
                d.onTrainBegin(f.context);
            }
        }
    }

    /** {@code FitRun.trainEpoch}: one epoch's batch loop; returns the rows it ran. */
    int trainEpoch(int epoch, Blackhole bh) {
        boolean batchBegin = has(Hooks.BATCH_BEGIN);
        boolean batchEnd = has(Hooks.BATCH_END);
        boolean batchValues = batchEnd && has(Hooks.BATCH_LOGS);
        double runningLoss = 0;
        if (batchValues) {
            f.batchLogs.clear();
            Arrays.fill(runningMetrics, 0);
        }
        int rowsRun = 0;
        int count = f.rows.length;
        for (int b = 0; b < count; b++) {
            if (batchBegin) {
                if (sole != null) {
                    sole.onBatchBegin(epoch, b, f.context);
                } else {
                    for (CallbackDispatcher d : dispatchers) {
                        d.onBatchBegin(epoch, b, f.context);
                    }
                }
            }
            bh.consume(b); // net.trainStep(...)
            rowsRun += f.rows[b];
            if (batchEnd) {
                if (batchValues) {
                    runningLoss += f.lossSums[b]; // train.loss[b].sumNumber()
                    f.batchLogs.put(f.lossSlot, runningLoss / rowsRun);
                    runningMetrics[0] += f.accuracySums[b];
                    f.batchLogs.put(f.accuracySlot, runningMetrics[0] / rowsRun);
                }
                if (sole != null) {
                    sole.onBatchEnd(epoch, b, f.batchLogs, f.context);
                } else {
                    for (CallbackDispatcher d : dispatchers) {
                        d.onBatchEnd(epoch, b, f.batchLogs, f.context);
                    }
                }
            }
            if (f.context.isStopRequested()) {
                break;
            }
        }
        return rowsRun;
    }

    /** {@code FitRun.run}'s per-epoch part around the batch loop: epoch begin, the epoch means, epoch end. */
    void epoch(int epoch) {
        f.context.resetStop();
        f.context.epoch(epoch);
        f.epochLogs.clear();
        if (has(Hooks.EPOCH_BEGIN)) {
            for (CallbackDispatcher d : dispatchers) {
                d.onEpochBegin(epoch, f.context);
            }
        }
        f.putEpochMeans(epoch);
        if (has(Hooks.VALIDATION_END)) {
            for (CallbackDispatcher d : dispatchers) {
                d.onValidationEnd(epoch, f.epochLogs, f.context);
            }
        }
        if (has(Hooks.EPOCH_END)) {
            for (CallbackDispatcher d : dispatchers) {
                d.onEpochEnd(epoch, f.epochLogs, f.context);
            }
        }
    }

    private boolean has(int hook) {
        return (hooks & hook) != 0;
    }
}
