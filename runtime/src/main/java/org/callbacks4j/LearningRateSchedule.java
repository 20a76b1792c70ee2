package org.callbacks4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sets the learning rate at the start of every epoch from the annotated method: Keras
 * {@code LearningRateScheduler}. The method returns {@code double}, the rate for the epoch about to start, and
 * declares any subset, in any order, of {@code int epoch} (0-based), {@code double lr} (the current rate; the
 * parameter must be named {@code lr}) and the other parameters an {@link OnEpochBegin} hook may take:
 * <pre>{@code
 * @LearningRateSchedule
 * double warmup(int epoch, double lr) { return epoch < 5 ? 1e-3 * (epoch + 1) / 5 : lr; }
 * }</pre>
 * One per training class, superclasses included. The rate used in each epoch appears in the logs as
 * {@code learning_rate}. A returned NaN, infinite or negative rate stops the fit with an error naming the method.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface LearningRateSchedule {

    /** Log Keras's message ("Epoch 1: LearningRateScheduler setting learning rate to ...") at INFO. */
    boolean verbose() default false;
}
