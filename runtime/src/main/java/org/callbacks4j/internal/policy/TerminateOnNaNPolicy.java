package org.callbacks4j.internal.policy;

import java.util.Objects;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;

/**
 * Keras 3.15 {@code TerminateOnNaN}: when a batch ends with a NaN or infinite {@code loss}, asks training to stop and
 * logs {@code Batch {batch}: Invalid loss, terminating training} (0-based batch, Keras's text) at WARN. As in Keras,
 * the epoch still validates and ends, and {@code onTrainEnd} still runs (so {@code @EarlyStop} restores its best
 * weights). The batch {@code loss} is the epoch-to-date mean, so it stays NaN for the rest of the epoch.
 *
 * <p>Per fit: {@link #prepare}, {@link #onTrainBegin}, {@link #onBatchEnd} after every batch (the trainer must copy
 * the loss to the host for it: the hook reads batch logs). The stop is requested through {@link FitPlan#stopTraining},
 * so that {@code History.stoppedBy()} reads {@value #STOPPED_BY}.
 */
public final class TerminateOnNaNPolicy implements Policy {

    /** What {@code History.stoppedBy()} reads when this policy stopped training. */
    public static final String STOPPED_BY = "TerminateOnNaN";

    private static final String LOSS = "loss";

    private final PolicyLog log;
    private FitPlan plan;
    private int lossSlot = -1;
    private boolean stopped;
    private int stoppedEpoch = -1;
    private int stoppedBatch = -1;
    private double invalidLoss = Double.NaN;

    /** The policy of {@code @TerminateOnNaN}. */
    public TerminateOnNaNPolicy() {
        this(PolicyLog.slf4j(TerminateOnNaNPolicy.class));
    }

    TerminateOnNaNPolicy(PolicyLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Resolves the {@code loss} slot for this fit. Call before training.
     *
     * @throws IllegalStateException if the logs have no {@code loss} slot (a trainer bug: every fit has a loss)
     */
    @Override
    public void prepare(FitPlan plan) {
        lossSlot = plan.logs().slot(LOSS);
        if (lossSlot < 0) {
            throw new IllegalStateException("@TerminateOnNaN reads \"loss\", but this fit's logs have no slot for it");
        }
        this.plan = plan;
    }

    /** Forgets the previous fit's outcome (unless this fit resumes from a backup: then it keeps the restored one). */
    @Override
    public void onTrainBegin(TrainingContext context) {
        if (plan != null && plan.resuming()) {
            return;
        }
        stopped = false;
        stoppedEpoch = -1;
        stoppedBatch = -1;
        invalidLoss = Double.NaN;
    }

    /** Stops training if this batch's loss is NaN or infinite. */
    @Override
    public void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {
        if (plan == null) {
            throw new IllegalStateException("@TerminateOnNaN was not prepared: call prepare(..) before training");
        }
        double loss = logs.get(lossSlot);
        if (Double.isFinite(loss) || !logs.has(lossSlot)) {
            return; // finite, or no loss in these logs (Keras does nothing then either)
        }
        log.warn("Batch " + batch + ": Invalid loss, terminating training");
        if (!stopped) {
            stopped = true;
            stoppedEpoch = epoch;
            stoppedBatch = batch;
            invalidLoss = loss;
        }
        plan.stopTraining(STOPPED_BY);
    }

    @Override
    public String stateConfiguration() {
        return "TerminateOnNaN/1";
    }

    /** The outcome so far: whether, when and with which loss it stopped training. */
    @Override
    public void saveState(StateWriter out) {
        out.putBoolean("stopped", stopped)
                .putInt("stoppedEpoch", stoppedEpoch)
                .putInt("stoppedBatch", stoppedBatch)
                .putDouble("invalidLoss", invalidLoss);
    }

    @Override
    public void restoreState(StateReader in) {
        boolean savedStopped = in.readBoolean("stopped");
        int savedEpoch = in.readInt("stoppedEpoch");
        int savedBatch = in.readInt("stoppedBatch");
        double savedLoss = in.readDouble("invalidLoss");
        stopped = savedStopped;
        stoppedEpoch = savedEpoch;
        stoppedBatch = savedBatch;
        invalidLoss = savedLoss;
    }

    /** What this policy did in the last fit (or is doing in the current one). */
    public Outcome outcome() {
        return new Outcome(stopped, stoppedEpoch, stoppedBatch, invalidLoss);
    }

    /**
     * What a {@link TerminateOnNaN} did in a fit.
     *
     * @param stoppedTraining whether it found an invalid loss and asked training to stop
     * @param stoppedEpoch the 0-based epoch of the first invalid loss, or -1
     * @param batch the 0-based batch (within that epoch) of the first invalid loss, or -1
     * @param loss that loss (NaN or an infinity); NaN if none
     */
    public record Outcome(boolean stoppedTraining, int stoppedEpoch, int batch, double loss) {}
}
