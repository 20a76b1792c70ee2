package org.callbacks4j.internal.policy;

import java.util.Objects;
import java.util.function.Function;
import org.callbacks4j.History;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras 3.15 {@code EarlyStopping}: stops training when the monitored metric has stopped improving, and optionally
 * restores the weights of the best epoch when training ends. Built from {@code @EarlyStop}.
 *
 * <p>Per fit: {@link #prepare} (resolves the monitor's slot, rejects a monitor this fit cannot produce, and registers
 * the {@link #outcome()} with the fit's {@link History#earlyStopping()}), then {@link #onTrainBegin},
 * {@link #onEpochEnd} after every epoch, {@link #onTrainEnd}. A stop is requested through
 * {@link FitPlan#stopTraining}, so that {@link History#stoppedBy()} reads {@code EarlyStopping(monitor=val_loss)}.
 *
 * <p>On a method ({@code @EarlyStop} on a method returning {@code double}), build it with {@link #monitoringMethod}
 * and feed the method's value to {@link #onEpochEnd(int, double, TrainingContext)}: the value is always "present"
 * (a NaN is compared, and loses), never "absent".
 *
 * <p>{@link #onEpochEnd} follows Keras exactly:
 * <ol>
 *   <li>an epoch where the monitor has no value (validation skipped) or {@code epoch < startFromEpoch} is ignored;
 *   <li>with {@code restoreBestWeights}, the first counted epoch's weights are taken as the best so far;
 *   <li>{@code wait} is incremented;
 *   <li>on an improvement over the best (see {@link MonitorComparison}; the first counted value always improves, even
 *       NaN) the best value, epoch and weights are updated, {@code wait} is reset only if there is no baseline or the
 *       value also beats the baseline, and the epoch ends there: an improving epoch never stops training;
 *   <li>otherwise training stops when {@code wait >= patience} (so patience 0 and 1 behave the same) and
 *       {@code epoch > 0}.
 * </ol>
 * The weights are restored in {@link #onTrainEnd} whenever {@code restoreBestWeights} is set and some epoch was
 * counted, whatever stopped training (this policy, another one, or the last epoch). Only the parameters are restored,
 * not the optimizer state. The snapshot is one buffer allocated at the first snapshot and reused for every later
 * improvement and fit.
 */
public final class EarlyStopping implements Policy {

    private static final String OWNER = "@EarlyStop monitor";

    /** The monitored metric, or null when a method's value is monitored. */
    private final MonitoredSlot monitor;
    private final String monitorName;
    private final String stoppedBy;
    private final MonitorComparison comparison;
    private final int patience;
    private final double baseline;
    private final boolean hasBaseline;
    private final boolean restoreBestWeights;
    private final int startFromEpoch;
    private final int verbose;
    private final Function<TrainingContext, ModelWeights> weightsOf;
    private final PolicyLog log;

    private int wait;
    private int stoppedEpoch;
    private boolean stopped;
    private boolean hasBest;
    private double best;
    private int bestEpoch;
    private ModelWeights weights;
    private INDArray snapshot;
    private boolean hasSnapshot;
    private int snapshotEpoch;
    private boolean restored;
    private FitPlan plan;

    /**
     * @param monitor the metric to watch, e.g. {@code val_loss}
     * @param maximize whether larger values are better (the resolved {@code mode})
     * @param minDelta the smallest change that counts as an improvement (sign ignored)
     * @param patience how many non-improving counted epochs in a row stop training ({@code >= 0})
     * @param baseline the value to beat before {@code wait} resets on improvements; NaN for none (Keras
     *     {@code None})
     * @param restoreBestWeights whether to restore the best epoch's weights when training ends
     * @param startFromEpoch the first absolute 0-based epoch that counts ({@code >= 0})
     * @param verbose Keras's {@code verbose}: {@code > 0} logs the stop and restore messages at INFO, 0 at DEBUG
     * @throws IllegalArgumentException for a negative patience or startFromEpoch, or a non-finite minDelta
     */
    public EarlyStopping(String monitor, boolean maximize, double minDelta, int patience, double baseline,
            boolean restoreBestWeights, int startFromEpoch, int verbose) {
        this(monitor, maximize, minDelta, patience, baseline, restoreBestWeights, startFromEpoch, verbose,
                ModelWeights::of, PolicyLog.slf4j(EarlyStopping.class));
    }

    EarlyStopping(String monitor, boolean maximize, double minDelta, int patience, double baseline,
            boolean restoreBestWeights, int startFromEpoch, int verbose,
            Function<TrainingContext, ModelWeights> weightsOf, PolicyLog log) {
        this(false, monitor, maximize, minDelta, patience, baseline, restoreBestWeights, startFromEpoch, verbose,
                weightsOf, log);
    }

    private EarlyStopping(boolean method, String monitor, boolean maximize, double minDelta, int patience,
            double baseline, boolean restoreBestWeights, int startFromEpoch, int verbose,
            Function<TrainingContext, ModelWeights> weightsOf, PolicyLog log) {
        if (patience < 0) {
            throw new IllegalArgumentException(
                    "@EarlyStop patience must be >= 0, got " + patience + "; 0 stops at the first epoch that does "
                            + "not improve");
        }
        if (startFromEpoch < 0) {
            throw new IllegalArgumentException(
                    "@EarlyStop startFromEpoch must be >= 0 (a 0-based epoch), got " + startFromEpoch);
        }
        if (method) {
            if (monitor == null || monitor.isEmpty()) {
                throw new IllegalArgumentException("a method-monitored @EarlyStop needs the method's description "
                        + "for messages, e.g. \"DigitsTraining.gap()\"");
            }
            this.monitor = null;
            this.monitorName = monitor;
        } else {
            this.monitor = new MonitoredSlot(OWNER, monitor);
            this.monitorName = this.monitor.name();
        }
        this.stoppedBy = "EarlyStopping(monitor=" + monitorName + ")";
        this.comparison = new MonitorComparison(maximize, minDelta);
        this.patience = patience;
        this.baseline = baseline;
        this.hasBaseline = !Double.isNaN(baseline);
        this.restoreBestWeights = restoreBestWeights;
        this.startFromEpoch = startFromEpoch;
        this.verbose = verbose;
        this.weightsOf = Objects.requireNonNull(weightsOf, "weightsOf");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * An {@code @EarlyStop} on a method: the value the method returns at each epoch end is the monitored quantity,
     * handed over by {@link #onEpochEnd(int, double, TrainingContext)}. Same parameters as the constructor, with
     * {@code methodDescription} (e.g. {@code DigitsTraining.gap()}) in place of the monitor name, for messages and
     * {@link History#stoppedBy()}.
     */
    public static EarlyStopping monitoringMethod(String methodDescription, boolean maximize, double minDelta,
            int patience, double baseline, boolean restoreBestWeights, int startFromEpoch, int verbose) {
        return monitoringMethod(methodDescription, maximize, minDelta, patience, baseline, restoreBestWeights,
                startFromEpoch, verbose, ModelWeights::of,
                PolicyLog.slf4j(EarlyStopping.class));
    }

    static EarlyStopping monitoringMethod(String methodDescription, boolean maximize, double minDelta,
            int patience, double baseline, boolean restoreBestWeights, int startFromEpoch, int verbose,
            Function<TrainingContext, ModelWeights> weightsOf, PolicyLog log) {
        return new EarlyStopping(true, methodDescription, maximize, minDelta, patience, baseline,
                restoreBestWeights, startFromEpoch, verbose, weightsOf, log);
    }

    /**
     * Resolves the monitor's slot for this fit and registers the outcome with its history. Call before training.
     *
     * @throws IllegalStateException if this fit cannot produce the monitor (a {@code val_} metric without validation
     *     data, or a name the fit does not produce)
     */
    @Override
    public void prepare(FitPlan plan) {
        if (monitor != null) {
            monitor.resolve(plan);
        }
        plan.reportOutcome(this::outcome);
        this.plan = plan;
    }

    /**
     * Resets the state, so that one instance can serve several fits (Keras 3.15); in a fit that resumes from a backup,
     * keeps the state {@link #restoreState} restored instead.
     */
    @Override
    public void onTrainBegin(TrainingContext context) {
        weights = restoreBestWeights ? weightsOf.apply(context) : null;
        if (plan != null && plan.resuming()) {
            return;
        }
        wait = 0;
        stoppedEpoch = 0;
        stopped = false;
        hasBest = false;
        best = Double.NaN;
        bestEpoch = 0;
        hasSnapshot = false;
        snapshotEpoch = -1;
        restored = false;
    }

    /**
     * Counts the epoch and stops training when patience has run out.
     *
     * @throws IllegalStateException if this instance monitors a method (use
     *     {@link #onEpochEnd(int, double, TrainingContext)}), or was not prepared
     */
    @Override
    public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
        if (monitor == null) {
            throw new IllegalStateException("@EarlyStop on " + monitorName + " monitors a method: pass its value to "
                    + "onEpochEnd(epoch, value, context)");
        }
        checkPrepared();
        double current = monitor.read(logs);
        if (!monitor.isPresent(logs, current)) {
            if (log.isDebugEnabled()) {
                // Keras warns; here the metric exists in this fit (prepare checked) and is only skipped this epoch.
                log.debug("Early stopping conditioned on metric `" + monitor.name() + "` which is not available. "
                        + "Available metrics are: " + String.join(",", logs.names()));
            }
            return;
        }
        count(epoch, current);
    }

    /**
     * Counts the epoch with {@code value}, the monitored method's result (NaN is a value: it is compared, never
     * skipped), and stops training when patience has run out.
     *
     * @throws IllegalStateException if this instance monitors a metric of the logs, or was not prepared
     */
    public void onEpochEnd(int epoch, double value, TrainingContext context) {
        if (monitor != null) {
            throw new IllegalStateException("@EarlyStop monitors the metric \"" + monitorName + "\": pass the logs "
                    + "to onEpochEnd(epoch, logs, context)");
        }
        checkPrepared();
        count(epoch, value);
    }

    private void checkPrepared() {
        if (plan == null) {
            throw new IllegalStateException("@EarlyStop " + monitorName + " was not prepared: call prepare(..) "
                    + "before training");
        }
    }

    private void count(int epoch, double current) {
        if (epoch < startFromEpoch) {
            return;
        }
        if (restoreBestWeights && !hasSnapshot) {
            snapshot(epoch);
            bestEpoch = epoch;
        }
        wait++;
        if (comparison.isImprovement(current, hasBest, best)) {
            hasBest = true;
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                snapshot(epoch);
            }
            if (!hasBaseline || comparison.isImprovement(current, baseline)) {
                wait = 0;
            }
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            stopped = true;
            plan.stopTraining(stoppedBy);
        }
    }

    /** Logs the stop and restores the best weights, whatever ended training. */
    @Override
    public void onTrainEnd(Logs logs, TrainingContext context) {
        if (stopped && log.verboseEnabled(verbose)) {
            log.verbose(verbose, "Epoch " + (stoppedEpoch + 1) + ": early stopping");
        }
        if (restoreBestWeights && hasSnapshot) {
            if (log.verboseEnabled(verbose)) {
                log.verbose(verbose, "Restoring model weights from the end of the best epoch: " + (bestEpoch + 1)
                        + ".");
            }
            weights.setParams(snapshot);
            restored = true;
        }
    }

    /** What this policy did in the last fit (or is doing in the current one). */
    public History.EarlyStoppingOutcome outcome() {
        return new History.EarlyStoppingOutcome(monitorName, stopped, stopped ? stoppedEpoch : -1,
                hasBest ? bestEpoch : -1, hasBest ? best : Double.NaN, hasBest, restored);
    }

    /** Consecutive counted epochs without improvement (Keras {@code wait}). */
    public int waitCount() {
        return wait;
    }

    /** The monitor, the comparison and every setting that gives the counters and the best value their meaning. */
    @Override
    public String stateConfiguration() {
        return "EarlyStopping/1(" + (monitor == null ? "method=" : "monitor=") + monitorName + ", maximize="
                + comparison.maximize() + ", minDelta=" + comparison.signedMinDelta() + ", patience=" + patience
                + ", baseline=" + baseline + ", restoreBestWeights=" + restoreBestWeights + ", startFromEpoch="
                + startFromEpoch + ")";
    }

    /** The counters, the best value and epoch, and the best weights' snapshot (null without one). */
    @Override
    public void saveState(StateWriter out) {
        out.putInt("wait", wait)
                .putInt("stoppedEpoch", stoppedEpoch)
                .putBoolean("stopped", stopped)
                .putBoolean("hasBest", hasBest)
                .putDouble("best", best)
                .putInt("bestEpoch", bestEpoch)
                .putBoolean("restored", restored)
                .putInt("snapshotEpoch", hasSnapshot ? snapshotEpoch : -1)
                .putFloats("bestWeights", hasSnapshot ? snapshot : null);
    }

    @Override
    public void restoreState(StateReader in) {
        int savedWait = in.readInt("wait");
        int savedStoppedEpoch = in.readInt("stoppedEpoch");
        boolean savedStopped = in.readBoolean("stopped");
        boolean savedHasBest = in.readBoolean("hasBest");
        double savedBest = in.readDouble("best");
        int savedBestEpoch = in.readInt("bestEpoch");
        boolean savedRestored = in.readBoolean("restored");
        int savedSnapshotEpoch = in.readInt("snapshotEpoch");
        float[] savedWeights = in.readFloats("bestWeights");
        wait = savedWait;
        stoppedEpoch = savedStoppedEpoch;
        stopped = savedStopped;
        hasBest = savedHasBest;
        best = savedBest;
        bestEpoch = savedBestEpoch;
        restored = savedRestored;
        hasSnapshot = savedWeights != null;
        snapshotEpoch = hasSnapshot ? savedSnapshotEpoch : -1;
        if (hasSnapshot) {
            MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces();
            try {
                snapshot = Nd4j.createFromArray(savedWeights).reshape(1, savedWeights.length);
            } finally {
                outside.close();
            }
        }
    }

    /** Copies the current weights into the one reused snapshot buffer (once per epoch at most). */
    private void snapshot(int epoch) {
        if (hasSnapshot && snapshotEpoch == epoch) {
            return; // already taken this epoch; the weights have not changed since
        }
        INDArray params = weights.params();
        if (snapshot == null || !snapshot.equalShapes(params) || snapshot.dataType() != params.dataType()) {
            // Outside any workspace: the buffer outlives the epoch (and the fit).
            MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces();
            try {
                snapshot = params.dup();
            } finally {
                outside.close();
            }
        } else {
            snapshot.assign(params);
        }
        hasSnapshot = true;
        snapshotEpoch = epoch;
    }
}
