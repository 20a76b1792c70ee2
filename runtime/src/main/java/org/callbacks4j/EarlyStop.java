package org.callbacks4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Stops training when a monitored metric has stopped improving: Keras {@code EarlyStopping}, with its counting, tie,
 * NaN, baseline and restore rules.
 *
 * <p>On the training class, {@link #monitor()} names the metric: {@code loss}, a compiled metric ({@code accuracy},
 * {@code mse}, {@code mae}), a {@link Metric} name, or {@code learning_rate} when a learning-rate policy writes it;
 * each but {@code learning_rate} and {@link Metric}s computed from logs optionally prefixed {@code val_}. The processor
 * rejects any other name at compile time, with a suggestion ({@code val_los}: did you mean {@code val_loss}?).
 *
 * <p>On a method returning {@code double} (taking any parameters an {@link OnEpochEnd} hook may take), the method's
 * value, computed at each epoch end, is the monitored quantity; {@link #monitor()} must then not be set, and
 * {@link #mode()} must be MIN or MAX, unless the method also carries {@link Metric} with a direction, which
 * {@code AUTO} then uses (and the policy monitors that metric, so the method runs once per epoch).
 *
 * <p>Repeatable: each annotation is an independent policy; they run in declaration order (those on the class first,
 * then those on methods, superclasses before subclasses).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(EarlyStop.List.class)
public @interface EarlyStop {

    /** The metric to watch (see the class documentation). Not on a method: the method is the monitored value. */
    String monitor() default "val_loss";

    /** The smallest change that counts as an improvement; not negative (Keras takes {@code abs(min_delta)}). */
    double minDelta() default 0;

    /** Non-improving epochs to wait before stopping, {@code >= 0}; 0 and 1 behave the same, as in Keras. */
    int patience() default 0;

    /** Whether lower or higher is better; {@code AUTO} takes the metric's declared direction at compile time. */
    Mode mode() default Mode.AUTO;

    /**
     * A value the metric must beat before patience resets on improvement; {@code NaN} (the default) means none.
     * As in Keras, it is not the initial best. Must not be infinite.
     */
    double baseline() default Double.NaN;

    /** Restore the weights of the best epoch when training ends, whatever stopped it (Keras 3). */
    boolean restoreBestWeights() default false;

    /** Epochs (0-based, absolute, {@code >= 0}) before which nothing is counted. */
    int startFromEpoch() default 0;

    /** Log Keras's messages ("Epoch 3: early stopping", "Restoring model weights ...") at INFO. */
    boolean verbose() default false;

    /** Holder for repeated {@link EarlyStop}s; written by javac, not by hand. */
    @Documented
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface List {
        EarlyStop[] value();
    }
}
