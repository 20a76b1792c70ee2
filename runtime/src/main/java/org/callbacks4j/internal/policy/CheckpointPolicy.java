package org.callbacks4j.internal.policy;

import java.util.List;
import java.util.Objects;
import org.callbacks4j.Logs;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.io.PythonFloats;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;

/**
 * The decisions of Keras 3.15 {@code ModelCheckpoint}: when to save and under which name; {@link ModelCheckpoint}
 * writes the file.
 *
 * <p>Per fit: {@link #prepare} (resolves the slots of the monitor and of the path's metrics, rejecting what this fit
 * cannot produce), then {@link #onEpochBegin}, {@link #onBatchEnd} and {@link #onEpochEnd} as the hooks fire. Those
 * two return the path to save to now, or null; after writing the file the caller reports {@link #onSaved}.
 *
 * <p><b>When.</b> With {@code saveFreq == }{@link #SAVE_EVERY_EPOCH}, at every epoch end. With {@code saveFreq = N >
 * 0}, every N batches, counted as Keras does: a batch index not above the last one seen starts a new epoch and adds
 * {@code batch + 1}, otherwise {@code batch - last} is added; the count runs across epoch ends and across fits, and
 * a save resets it. Such a save reads the batch's logs (running means, no {@code val_} values) and the epoch of the
 * last {@link #onEpochBegin}.
 *
 * <p><b>Whether.</b> Without {@code saveBestOnly}, always. With it, only when the monitor improves on the best so far
 * ({@link MonitorComparison}, {@code minDelta} 0; the best starts at {@code initialValueThreshold}, or at "none" so
 * that the first value always saves, even NaN). The best is kept across fits, as Keras (no reset at train begin).
 * Keras resolves its comparison only at the first epoch end and so crashes on batch-level {@code saveBestOnly}
 * (reference 12.1); here the direction is known from the start and batch-level saves work.
 *
 * <p><b>Missing values.</b> Keras saves anyway, with a warning, when {@code saveBestOnly}'s monitor is absent. Here a
 * monitor (or path metric) that this fit can never produce was rejected by {@link #prepare}; when it is merely absent
 * at a save point (validation does not run every epoch), the save is skipped: "best" cannot be judged. A path
 * metric absent at a save point is an error, as Keras's {@code KeyError}.
 *
 * <p><b>Messages</b> (Keras's text, 1-based epochs; at INFO when {@code verbose > 0}, else DEBUG):
 * {@code Epoch 3: saving model to PATH}, {@code Epoch 3: val_loss improved from 0.51234 to 0.49876, saving model to
 * PATH} ({@code from None} for the first), {@code Epoch 3: val_loss did not improve from 0.49876},
 * {@code Epoch 3: finished saving model to PATH}.
 */
final class CheckpointPolicy {

    /** {@code saveFreq} value for saving at the end of every epoch (Keras {@code save_freq="epoch"}). */
    static final int SAVE_EVERY_EPOCH = 0;

    private static final PythonFloats.Spec FIVE_DECIMALS = PythonFloats.Spec.parse(".5f", false);

    private final PathTemplate path;
    private final MonitoredSlot monitor;
    private final MonitorComparison comparison;
    private final boolean saveBestOnly;
    private final int saveFreq;
    private final int verbose;
    private final PolicyLog log;
    private final StringBuilder pathBuffer = new StringBuilder(64);

    private int[] metricSlots;
    private boolean hasBest;
    private double best;
    private int currentEpoch;
    private int lastBatchSeen = -1;
    private int batchesSinceLastSave;
    private int decisionEpoch;
    private final double initialValueThreshold;

    /**
     * @param path the path template (see {@link PathTemplate} for the grammar)
     * @param monitor the metric that decides {@code saveBestOnly}; ignored (may be empty) without it
     * @param maximize whether larger values of the monitor are better (the resolved {@code mode})
     * @param saveBestOnly whether to save only when the monitor improves
     * @param saveFreq {@link #SAVE_EVERY_EPOCH}, or N > 0 to save every N batches
     * @param initialValueThreshold the value the first save must beat; NaN for none (Keras {@code None})
     * @param verbose Keras's {@code verbose}: {@code > 0} logs decisions at INFO, 0 at DEBUG
     * @throws IllegalArgumentException for a malformed template, a negative {@code saveFreq}, or {@code {batch}} in
     *     the template of an epoch-level checkpoint
     */
    CheckpointPolicy(String path, String monitor, boolean maximize, boolean saveBestOnly, int saveFreq,
            double initialValueThreshold, int verbose) {
        this(path, monitor, maximize, saveBestOnly, saveFreq, initialValueThreshold, verbose,
                PolicyLog.slf4j(CheckpointPolicy.class));
    }

    CheckpointPolicy(String path, String monitor, boolean maximize, boolean saveBestOnly, int saveFreq,
            double initialValueThreshold, int verbose, PolicyLog log) {
        this.path = PathTemplate.parse(path);
        if (saveFreq < 0) {
            throw new IllegalArgumentException("@Checkpoint saveFreq must be " + SAVE_EVERY_EPOCH + " (every epoch) "
                    + "or a number of batches > 0, got " + saveFreq);
        }
        if (this.path.usesBatch() && saveFreq == SAVE_EVERY_EPOCH) {
            throw new IllegalArgumentException("@Checkpoint path \"" + path + "\" uses {batch}, which only has a "
                    + "value when saving every N batches; set saveFreq to a batch count or remove {batch}");
        }
        this.monitor = saveBestOnly ? new MonitoredSlot("@Checkpoint monitor", monitor) : null;
        this.comparison = new MonitorComparison(maximize, 0.0);
        this.saveBestOnly = saveBestOnly;
        this.saveFreq = saveFreq;
        this.verbose = verbose;
        this.log = Objects.requireNonNull(log, "log");
        this.hasBest = !Double.isNaN(initialValueThreshold);
        this.best = initialValueThreshold;
        this.initialValueThreshold = initialValueThreshold;
    }

    /**
     * Resolves the slots of the path's metrics and, with {@code saveBestOnly}, of the monitor. Call before training.
     *
     * @throws IllegalStateException if this fit cannot produce one of them where it is needed: a {@code val_} metric
     *     without validation data, or in a batch-level checkpoint (batch logs have no validation values), or a name
     *     the fit does not produce
     */
    void prepare(FitPlan plan) {
        List<String> metrics = path.metrics();
        int[] slots = new int[metrics.size()];
        for (int k = 0; k < slots.length; k++) {
            String name = metrics.get(k);
            String subject = "@Checkpoint path \"" + path.template() + "\" placeholder {" + name + "}";
            rejectValidationAtBatchLevel(name, subject);
            slots[k] = MonitoredSlot.slotOf(plan, name, subject);
        }
        if (saveBestOnly) {
            String subject = "@Checkpoint monitor \"" + monitor.name() + "\" (saveBestOnly)";
            rejectValidationAtBatchLevel(monitor.name(), subject);
            monitor.resolve(plan);
        }
        metricSlots = slots;
    }

    private void rejectValidationAtBatchLevel(String name, String subject) {
        if (saveFreq != SAVE_EVERY_EPOCH && name.startsWith("val_")) {
            throw new IllegalStateException(subject + " has no value when saving every " + saveFreq + " batches: "
                    + "batch logs have no validation values; save at epoch end (saveFreq = " + SAVE_EVERY_EPOCH
                    + ") or use a training metric such as \"" + name.substring(4) + "\"");
        }
    }

    /** Notes the epoch that batch-level saves report. */
    void onEpochBegin(int epoch) {
        currentEpoch = epoch;
    }

    /**
     * Counts the batch; every {@code saveFreq} batches, decides whether to save.
     *
     * @return the path to save to now, or null
     */
    String onBatchEnd(int batch, Logs logs) {
        if (saveFreq == SAVE_EVERY_EPOCH) {
            return null;
        }
        batchesSinceLastSave += lastBatchSeen < 0 || batch <= lastBatchSeen ? batch + 1 : batch - lastBatchSeen;
        lastBatchSeen = batch;
        if (batchesSinceLastSave < saveFreq) {
            return null;
        }
        batchesSinceLastSave = 0;
        return decide(currentEpoch, batch, logs);
    }

    /**
     * With {@link #SAVE_EVERY_EPOCH}, decides whether to save.
     *
     * @return the path to save to now, or null
     */
    String onEpochEnd(int epoch, Logs logs) {
        if (saveFreq != SAVE_EVERY_EPOCH) {
            return null;
        }
        return decide(epoch, -1, logs);
    }

    /** Reports that the caller wrote the checkpoint that {@link #onEpochEnd} or {@link #onBatchEnd} asked for. */
    void onSaved(String savedPath) {
        if (log.verboseEnabled(verbose)) {
            log.verbose(verbose, "Epoch " + (decisionEpoch + 1) + ": finished saving model to " + savedPath);
        }
    }

    /** Whether a best value is known (a save with {@code saveBestOnly} happened, or a threshold was given). */
    boolean hasBest() {
        return hasBest;
    }

    /** The best monitored value so far (or the threshold); NaN if none, see {@link #hasBest()}. */
    double best() {
        return hasBest ? best : Double.NaN;
    }

    /** The settings that decide when and whether to save. */
    String configuration() {
        return "path=" + path.template() + ", monitor=" + (monitor == null ? "" : monitor.name()) + ", maximize="
                + comparison.maximize() + ", saveBestOnly=" + saveBestOnly + ", saveFreq=" + saveFreq
                + ", initialValueThreshold=" + initialValueThreshold;
    }

    /** The best value and the batch counters (Keras keeps them across fits; a backup keeps them across restarts). */
    void saveState(StateWriter out) {
        out.putBoolean("hasBest", hasBest)
                .putDouble("best", best)
                .putInt("currentEpoch", currentEpoch)
                .putInt("lastBatchSeen", lastBatchSeen)
                .putInt("batchesSinceLastSave", batchesSinceLastSave)
                .putInt("decisionEpoch", decisionEpoch);
    }

    void restoreState(StateReader in) {
        boolean savedHasBest = in.readBoolean("hasBest");
        double savedBest = in.readDouble("best");
        int savedCurrentEpoch = in.readInt("currentEpoch");
        int savedLastBatch = in.readInt("lastBatchSeen");
        int savedSinceSave = in.readInt("batchesSinceLastSave");
        int savedDecisionEpoch = in.readInt("decisionEpoch");
        hasBest = savedHasBest;
        best = savedBest;
        currentEpoch = savedCurrentEpoch;
        lastBatchSeen = savedLastBatch;
        batchesSinceLastSave = savedSinceSave;
        decisionEpoch = savedDecisionEpoch;
    }

    private String decide(int epoch, int batch, Logs logs) {
        if (metricSlots == null) {
            throw new IllegalStateException("@Checkpoint was not prepared: call prepare(..) before training");
        }
        decisionEpoch = epoch;
        // Formatted first, as Keras does, so that a placeholder without a value fails even when nothing is saved.
        pathBuffer.setLength(0);
        path.formatTo(pathBuffer, epoch, batch, logs, metricSlots);
        if (!saveBestOnly) {
            String target = pathBuffer.toString();
            if (log.verboseEnabled(verbose)) {
                log.verbose(verbose, "Epoch " + (epoch + 1) + ": saving model to " + target);
            }
            return target;
        }
        double current = monitor.read(logs);
        if (!monitor.isPresent(logs, current)) {
            if (log.verboseEnabled(verbose)) {
                log.verbose(verbose, "Epoch " + (epoch + 1) + ": " + monitor.name() + " has no value, not saving "
                        + "(saveBestOnly)");
            }
            return null;
        }
        if (comparison.isImprovement(current, hasBest, best)) {
            String target = pathBuffer.toString();
            if (log.verboseEnabled(verbose)) {
                log.verbose(verbose, "Epoch " + (epoch + 1) + ": " + monitor.name() + " improved from " + bestText()
                        + " to " + fiveDecimals(current) + ", saving model to " + target);
            }
            hasBest = true;
            best = current;
            return target;
        }
        if (log.verboseEnabled(verbose)) {
            log.verbose(verbose, "Epoch " + (epoch + 1) + ": " + monitor.name() + " did not improve from "
                    + bestText());
        }
        return null;
    }

    private String bestText() {
        return hasBest ? fiveDecimals(best) : "None";
    }

    private static String fiveDecimals(double value) {
        StringBuilder out = new StringBuilder(12);
        FIVE_DECIMALS.formatTo(out, value);
        return out.toString();
    }
}
