package org.callbacks4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A custom metric, in the logs and the {@link History} under {@link #value()} and monitorable like any built-in
 * metric. The annotated method returns its value ({@code double}) in one of two forms:
 * <ul>
 *   <li>From the epoch's values: the method takes any parameters an {@link OnEpochEnd} hook may take
 *       ({@code int epoch}, {@link Logs}, {@link TrainingContext}, the model). It runs at each epoch end, before any
 *       policy or hook reads the logs, and gives {@code name} only (there is no {@code val_name}):
 *       <pre>{@code @Metric(value = "gap", direction = Direction.MIN)
 * double gap(Logs logs) { return logs.get("val_loss") - logs.get("loss"); }}</pre>
 *   <li>From predictions: {@code double f(INDArray predictions, INDArray labels)} (either or both, identified by
 *       name, in any order; nothing else). The trainer computes it on the training data as {@code name} and, when the
 *       fit validates, on the validation data as {@code val_name}.
 * </ul>
 * A name is letters, digits and {@code _} (not first a digit, so it works in a {@link Checkpoint} path), must not
 * start with {@code val_}, and must differ from {@code loss}, the compiled metrics ({@code accuracy}, {@code mse},
 * {@code mae}), {@code learning_rate}, {@code epoch}, {@code batch} and the class's other metrics (superclasses
 * included).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Metric {

    /** The metric's name in the logs. */
    String value();

    /** Which way is better; monitors with {@link Mode#AUTO} use it, and reject a metric without one. */
    Direction direction() default Direction.NONE;
}
