package org.callbacks4j.internal.policy;

import java.util.Objects;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;
import org.callbacks4j.internal.io.PythonFloats;

/**
 * Keras 3.15 {@code LearningRateScheduler}: at the start of every epoch, sets the learning rate to what the user's
 * {@code @LearningRateSchedule} method returns for {@code (epoch, current rate)}; at the end of the epoch, logs the
 * rate used as {@code learning_rate}.
 *
 * <p>Per fit: {@link #prepare} (defines {@code learning_rate}), {@link #onEpochBegin(int, double, TrainingContext)}
 * with the schedule's result, {@link #onEpochEnd}. The generated code calls the user's method itself and hands the
 * result over:
 * <pre>{@code
 * scheduler.onEpochBegin(epoch, training.warmup(epoch, scheduler.currentLearningRate(context)), context);
 * }</pre>
 * The epoch is 0-based and absolute, so a fit that starts at a later epoch continues the schedule. The rate is a
 * float32, as Keras's optimizer variable: the method receives it widened to double, and its result is stored rounded
 * to float. A result that is NaN, infinite, negative or too large for a float is an error naming the epoch and the
 * value (Keras only checks that the result is a Python float).
 */
public final class LearningRateScheduler implements Policy {

    private final String schedule;
    private final int verbose;
    private final PolicyLog log;

    private FitPlan plan;
    private int learningRateSlot = -1;

    /**
     * @param schedule the user's method, as messages name it, e.g. {@code DigitsTraining.warmup(int, double)}
     * @param verbose Keras's {@code verbose}: {@code > 0} logs each new rate at INFO, 0 at DEBUG
     */
    public LearningRateScheduler(String schedule, int verbose) {
        this(schedule, verbose, PolicyLog.slf4j(LearningRateScheduler.class));
    }

    LearningRateScheduler(String schedule, int verbose, PolicyLog log) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.verbose = verbose;
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Defines {@code learning_rate} in this fit's logs. Call before training. */
    @Override
    public void prepare(FitPlan plan) {
        learningRateSlot = plan.defineMetric(ReduceLROnPlateau.LEARNING_RATE);
        this.plan = plan;
    }

    /** The current rate as the schedule sees it: the float32 rate widened to double, as Keras's {@code float(lr)}. */
    public double currentLearningRate(TrainingContext context) {
        return (float) context.learningRate();
    }

    /**
     * Sets the rate the schedule returned for {@code epoch}.
     *
     * @throws IllegalStateException if {@code learningRate} is NaN, infinite, negative or beyond float range
     */
    public void onEpochBegin(int epoch, double learningRate, TrainingContext context) {
        float stored = (float) learningRate;
        if (!(learningRate >= 0.0) || Double.isInfinite(learningRate)) {
            throw new IllegalStateException(schedule + " returned " + learningRate + " for epoch=" + epoch
                    + "; a learning rate must be a finite number >= 0: check the schedule's arithmetic for that "
                    + "epoch");
        }
        if (Float.isInfinite(stored)) {
            throw new IllegalStateException(schedule + " returned " + learningRate + " for epoch=" + epoch
                    + ", beyond the float32 range of learning rates (at most " + Float.MAX_VALUE + ")");
        }
        context.setLearningRate(stored);
        if (log.verboseEnabled(verbose)) {
            // Keras prints the value the schedule returned, not the float32 it stores.
            log.verbose(verbose, "Epoch " + (epoch + 1) + ": LearningRateScheduler setting learning rate to "
                    + PythonFloats.repr(learningRate) + ".");
        }
    }

    /** Logs the rate used in this epoch as {@code learning_rate}. */
    @Override
    public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
        if (plan == null) {
            throw new IllegalStateException("@LearningRateSchedule was not prepared: call prepare(..) before training");
        }
        plan.set(learningRateSlot, (float) context.learningRate());
    }

    @Override
    public String stateConfiguration() {
        return "LearningRateScheduler/1(" + schedule + ")";
    }

    /** Nothing to save: the rate is the optimizer's, which the trainer saves. */
    @Override
    public void saveState(StateWriter out) {}

    @Override
    public void restoreState(StateReader in) {}
}
