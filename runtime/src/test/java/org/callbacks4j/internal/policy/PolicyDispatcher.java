package org.callbacks4j.internal.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.ToDoubleFunction;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.dispatch.Hooks;

/**
 * A hand-written dispatcher that drives built-in policies exactly as generated {@code _Callbacks} code does (the
 * contract in the {@code policy} package documentation): prepare order, hook order, and only the hooks the configured
 * policies need. Configure it with the fluent setters, then pass it to {@code Trainer.fit}.
 */
public final class PolicyDispatcher implements CallbackDispatcher {

    /** A user's epoch-end hook, called at step 5 (after the policies that decide, before the loggers). */
    public interface EpochEndHook {
        void onEpochEnd(int epoch, Logs logs, TrainingContext context);
    }

    private CustomMetric metric;
    private ToDoubleFunction<Logs> metricMethod;
    private final List<PredictionMetric> predictionMetrics = new ArrayList<>();
    private ReduceLROnPlateau reduceLr;
    private LearningRateScheduler scheduler;
    private DoubleBinaryOperator schedule;
    private EarlyStopping earlyStop;
    private ToDoubleFunction<Logs> earlyStopMethod;
    private TerminateOnNaNPolicy terminateOnNaN;
    private ModelCheckpoint checkpoint;
    private boolean checkpointBatches;
    private CsvLoggerPolicy csv;
    private TensorBoardLogger tensorBoard;
    private boolean tensorBoardBatches;
    private EpochEndHook userEpochEnd;
    /** The hook methods called, in order, as "prepare", "trainBegin", "epochEnd 3", ... */
    public final List<String> calls = new ArrayList<>();

    public PolicyDispatcher metric(CustomMetric metric, ToDoubleFunction<Logs> method) {
        this.metric = metric;
        this.metricMethod = method;
        return this;
    }

    public PolicyDispatcher predictionMetric(PredictionMetric metric) {
        predictionMetrics.add(metric);
        return this;
    }

    public PolicyDispatcher reduceLr(ReduceLROnPlateau policy) {
        this.reduceLr = policy;
        return this;
    }

    public PolicyDispatcher schedule(LearningRateScheduler policy, DoubleBinaryOperator method) {
        this.scheduler = policy;
        this.schedule = method;
        return this;
    }

    public PolicyDispatcher earlyStop(EarlyStopping policy) {
        this.earlyStop = policy;
        return this;
    }

    /** A method-monitored early stop: {@code method} stands for the user's {@code @EarlyStop} method. */
    public PolicyDispatcher earlyStop(EarlyStopping policy, ToDoubleFunction<Logs> method) {
        this.earlyStop = policy;
        this.earlyStopMethod = method;
        return this;
    }

    public PolicyDispatcher terminateOnNaN(TerminateOnNaNPolicy policy) {
        this.terminateOnNaN = policy;
        return this;
    }

    /** @param batches whether the checkpoint saves every N batches (then it needs batch-end calls) */
    public PolicyDispatcher checkpoint(ModelCheckpoint policy, boolean batches) {
        this.checkpoint = policy;
        this.checkpointBatches = batches;
        return this;
    }

    public PolicyDispatcher csv(CsvLoggerPolicy policy) {
        this.csv = policy;
        return this;
    }

    /** @param batches whether {@code updateFreq > 0} (then it needs batch-end calls) */
    public PolicyDispatcher tensorBoard(TensorBoardLogger policy, boolean batches) {
        this.tensorBoard = policy;
        this.tensorBoardBatches = batches;
        return this;
    }

    public PolicyDispatcher onEpochEnd(EpochEndHook hook) {
        this.userEpochEnd = hook;
        return this;
    }

    private boolean batchEnd() {
        return terminateOnNaN != null || (checkpoint != null && checkpointBatches)
                || (tensorBoard != null && tensorBoardBatches);
    }

    @Override
    public int hooks() {
        int hooks = Hooks.TRAIN_BEGIN | Hooks.EPOCH_END | Hooks.TRAIN_END;
        if (scheduler != null || checkpoint != null) {
            hooks |= Hooks.EPOCH_BEGIN;
        }
        if (batchEnd()) {
            hooks |= Hooks.BATCH_END | Hooks.BATCH_LOGS;
        }
        return hooks;
    }

    @Override
    public void prepare(FitPlan plan) {
        calls.add("prepare");
        // Custom metrics first, then the learning-rate policies, then the others.
        if (metric != null) {
            metric.prepare(plan);
        }
        for (PredictionMetric m : predictionMetrics) {
            m.prepare(plan);
        }
        if (reduceLr != null) {
            reduceLr.prepare(plan);
        }
        if (scheduler != null) {
            scheduler.prepare(plan);
        }
        if (terminateOnNaN != null) {
            terminateOnNaN.prepare(plan);
        }
        if (csv != null) {
            csv.prepare(plan);
        }
        if (earlyStop != null) {
            earlyStop.prepare(plan);
        }
        if (checkpoint != null) {
            checkpoint.prepare(plan);
        }
        if (tensorBoard != null) {
            tensorBoard.prepare(plan);
        }
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        calls.add("trainBegin");
        if (reduceLr != null) {
            reduceLr.onTrainBegin(context);
        }
        if (terminateOnNaN != null) {
            terminateOnNaN.onTrainBegin(context);
        }
        if (earlyStop != null) {
            earlyStop.onTrainBegin(context);
        }
        if (csv != null) {
            csv.onTrainBegin(context);
        }
        if (tensorBoard != null) {
            tensorBoard.onTrainBegin(context);
        }
    }

    @Override
    public void onEpochBegin(int epoch, TrainingContext context) {
        calls.add("epochBegin " + epoch);
        if (scheduler != null) {
            scheduler.onEpochBegin(epoch, schedule.applyAsDouble(epoch, scheduler.currentLearningRate(context)),
                    context);
        }
        if (checkpoint != null) {
            checkpoint.onEpochBegin(epoch, context);
        }
    }

    @Override
    public void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {
        if (terminateOnNaN != null) {
            terminateOnNaN.onBatchEnd(epoch, batch, logs, context);
        }
        if (checkpoint != null && checkpointBatches) {
            checkpoint.onBatchEnd(epoch, batch, logs, context);
        }
        if (tensorBoard != null && tensorBoardBatches) {
            tensorBoard.onBatchEnd(epoch, batch, logs, context);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
        calls.add("epochEnd " + epoch);
        if (metric != null) {
            metric.set(metricMethod.applyAsDouble(logs));
        }
        if (reduceLr != null) {
            reduceLr.onEpochEnd(epoch, logs, context);
        }
        if (scheduler != null) {
            scheduler.onEpochEnd(epoch, logs, context);
        }
        if (earlyStop != null) {
            if (earlyStopMethod != null) {
                earlyStop.onEpochEnd(epoch, earlyStopMethod.applyAsDouble(logs), context);
            } else {
                earlyStop.onEpochEnd(epoch, logs, context);
            }
        }
        if (checkpoint != null) {
            checkpoint.onEpochEnd(epoch, logs, context);
        }
        if (userEpochEnd != null) {
            userEpochEnd.onEpochEnd(epoch, logs, context);
        }
        if (csv != null) {
            csv.onEpochEnd(epoch, logs, context);
        }
        if (tensorBoard != null) {
            tensorBoard.onEpochEnd(epoch, logs, context);
        }
    }

    @Override
    public void onTrainEnd(Logs logs, TrainingContext context) {
        calls.add("trainEnd");
        if (earlyStop != null) {
            earlyStop.onTrainEnd(logs, context);
        }
        if (csv != null) {
            csv.onTrainEnd(logs, context);
        }
        if (tensorBoard != null) {
            tensorBoard.onTrainEnd(logs, context);
        }
    }
}
