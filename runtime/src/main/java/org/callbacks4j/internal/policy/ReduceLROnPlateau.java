package org.callbacks4j.internal.policy;

import java.util.Objects;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.io.PythonFloats;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;

/**
 * Keras 3.15 {@code ReduceLROnPlateau}: multiplies the learning rate by {@code factor} when the monitored metric has
 * stopped improving for {@code patience} epochs, then waits {@code cooldown} epochs. Built from
 * {@code @ReduceLrOnPlateau}.
 *
 * <p>Per fit: {@link #prepare} (resolves the monitor's slot and defines {@code learning_rate}), {@link #onTrainBegin},
 * {@link #onEpochEnd} after every epoch. {@link #onEpochEnd} follows Keras exactly:
 * <ol>
 *   <li>{@code learning_rate} is written into the logs (the rate used in this epoch, before any reduction);
 *   <li>an epoch where the monitor has no value changes nothing else;
 *   <li>if in cooldown, the cooldown counter is decremented and {@code wait} reset;
 *   <li>an improvement (see {@link MonitorComparison}; the first value always improves) updates the best, also
 *       during cooldown, and resets {@code wait};
 *   <li>otherwise, if no longer in cooldown (checked after step 3), {@code wait} is incremented, and when
 *       {@code wait >= patience} (0 behaves as 1) the rate is reduced, but only if it is above {@code minLr}; only a
 *       reduction that happened starts the cooldown and resets {@code wait}. At {@code minLr} nothing is reset:
 *       {@code wait} keeps growing.
 * </ol>
 * So after a reduction at epoch {@code e}, epochs {@code e+1 .. e+cooldown-1} cannot count, and {@code cooldown} 1
 * behaves as 0.
 *
 * <p>The learning rate is a float32, as Keras's optimizer variable: the new rate is {@code (double) lrFloat * factor}
 * clamped to {@code minLr} in double, then stored as a float; "above minLr" compares floats. Chained reductions thus
 * accumulate float32 rounding (0.01 becomes 0.0009999999310821295 after one reduction by 0.1). The verbose message
 * prints the double before rounding, as Keras does.
 */
public final class ReduceLROnPlateau implements Policy {

    /** The log key this policy writes, as Keras. */
    public static final String LEARNING_RATE = "learning_rate";

    private static final String OWNER = "@ReduceLrOnPlateau monitor";

    private final MonitoredSlot monitor;
    private final MonitorComparison comparison;
    private final double factor;
    private final int patience;
    private final int cooldown;
    private final double minLr;
    private final float minLrFloat;
    private final int verbose;
    private final PolicyLog log;

    private FitPlan plan;
    private int learningRateSlot = -1;
    private int wait;
    private int cooldownCounter;
    private boolean hasBest;
    private double best;
    private int reductions;

    /**
     * @param monitor the metric to watch, e.g. {@code val_loss}
     * @param maximize whether larger values are better (the resolved {@code mode})
     * @param factor the multiplier of a reduction, {@code 0 < factor < 1} (Keras default 0.1)
     * @param patience non-improving epochs before a reduction, {@code >= 0} (Keras default 10)
     * @param minDelta the smallest change that counts as an improvement, sign ignored (Keras default 1e-4)
     * @param cooldown epochs to wait after a reduction, {@code >= 0} (Keras default 0)
     * @param minLr the lower bound of the learning rate, {@code >= 0} (Keras default 0)
     * @param verbose Keras's {@code verbose}: {@code > 0} logs reductions at INFO, 0 at DEBUG
     * @throws IllegalArgumentException for a value out of those ranges
     */
    public ReduceLROnPlateau(String monitor, boolean maximize, double factor, int patience, double minDelta,
            int cooldown, double minLr, int verbose) {
        this(monitor, maximize, factor, patience, minDelta, cooldown, minLr, verbose,
                PolicyLog.slf4j(ReduceLROnPlateau.class));
    }

    ReduceLROnPlateau(String monitor, boolean maximize, double factor, int patience, double minDelta, int cooldown,
            double minLr, int verbose, PolicyLog log) {
        if (factor >= 1.0) {
            throw new IllegalArgumentException("ReduceLROnPlateau does not support a factor >= 1.0. Received factor="
                    + PythonFloats.repr(factor) + "; use a factor between 0 and 1, e.g. 0.5 halves the rate");
        }
        if (!(factor > 0.0)) {
            throw new IllegalArgumentException("@ReduceLrOnPlateau factor must be > 0, got "
                    + PythonFloats.repr(factor) + "; use a factor between 0 and 1, e.g. 0.5 halves the rate");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("@ReduceLrOnPlateau patience must be >= 0, got " + patience);
        }
        if (cooldown < 0) {
            throw new IllegalArgumentException("@ReduceLrOnPlateau cooldown must be >= 0, got " + cooldown);
        }
        if (!(minLr >= 0.0) || Double.isInfinite(minLr)) {
            throw new IllegalArgumentException("@ReduceLrOnPlateau minLr must be a finite number >= 0, got "
                    + PythonFloats.repr(minLr));
        }
        this.monitor = new MonitoredSlot(OWNER, monitor);
        this.comparison = new MonitorComparison(maximize, minDelta);
        this.factor = factor;
        this.patience = patience;
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.minLrFloat = (float) minLr;
        this.verbose = verbose;
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Resolves the monitor's slot and defines {@code learning_rate} in this fit's logs. Call before training.
     *
     * @throws IllegalStateException if this fit cannot produce the monitor
     */
    @Override
    public void prepare(FitPlan plan) {
        monitor.resolve(plan);
        learningRateSlot = plan.defineMetric(LEARNING_RATE);
        this.plan = plan;
    }

    /**
     * Resets {@code best}, {@code wait} and the cooldown, so that one instance can serve several fits; in a fit that
     * resumes from a backup, keeps the state {@link #restoreState} restored instead.
     */
    @Override
    public void onTrainBegin(TrainingContext context) {
        if (plan != null && plan.resuming()) {
            return;
        }
        hasBest = false;
        best = Double.NaN;
        wait = 0;
        cooldownCounter = 0;
        reductions = 0;
    }

    /** Logs the learning rate, then counts the epoch and reduces the rate on a plateau. */
    @Override
    public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
        if (plan == null) {
            throw new IllegalStateException("@ReduceLrOnPlateau was not prepared: call prepare(..) before training");
        }
        float learningRate = (float) context.learningRate();
        plan.set(learningRateSlot, learningRate);
        double current = monitor.read(logs);
        if (!monitor.isPresent(logs, current)) {
            if (log.isDebugEnabled()) {
                log.debug("Learning rate reduction is conditioned on metric `" + monitor.name() + "` which is not "
                        + "available. Available metrics are: " + String.join(",", logs.names()) + ".");
            }
            return;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (comparison.isImprovement(current, hasBest, best)) {
            hasBest = true;
            best = current;
            wait = 0;
        } else if (cooldownCounter <= 0) {
            wait++;
            if (wait >= patience && learningRate > minLrFloat) {
                double reduced = Math.max((double) learningRate * factor, minLr);
                context.setLearningRate((float) reduced);
                reductions++;
                if (log.verboseEnabled(verbose)) {
                    log.verbose(verbose, "Epoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to "
                            + PythonFloats.repr(reduced) + ".");
                }
                cooldownCounter = cooldown;
                wait = 0;
            }
        }
    }

    @Override
    public String stateConfiguration() {
        return "ReduceLROnPlateau/1(monitor=" + monitor.name() + ", maximize=" + comparison.maximize() + ", minDelta="
                + comparison.signedMinDelta() + ", factor=" + factor + ", patience=" + patience + ", cooldown="
                + cooldown + ", minLr=" + minLr + ")";
    }

    /** The counters and the best value; the learning rate itself is the optimizer's, saved by the trainer. */
    @Override
    public void saveState(StateWriter out) {
        out.putInt("wait", wait)
                .putInt("cooldownCounter", cooldownCounter)
                .putBoolean("hasBest", hasBest)
                .putDouble("best", best)
                .putInt("reductions", reductions);
    }

    @Override
    public void restoreState(StateReader in) {
        int savedWait = in.readInt("wait");
        int savedCooldown = in.readInt("cooldownCounter");
        boolean savedHasBest = in.readBoolean("hasBest");
        double savedBest = in.readDouble("best");
        int savedReductions = in.readInt("reductions");
        wait = savedWait;
        cooldownCounter = savedCooldown;
        hasBest = savedHasBest;
        best = savedBest;
        reductions = savedReductions;
    }

    /** Consecutive non-improving epochs counted (Keras {@code wait}). */
    public int waitCount() {
        return wait;
    }

    /** Epochs of cooldown left (Keras {@code cooldown_counter}). */
    public int cooldownCounter() {
        return cooldownCounter;
    }

    /** How many times this fit reduced the rate. */
    public int reductions() {
        return reductions;
    }
}
