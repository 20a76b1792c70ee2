package org.callbacks4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Multiplies the learning rate by {@link #factor()} when a monitored metric has stopped improving: Keras
 * {@code ReduceLROnPlateau}. The learning rate appears in the logs as {@code learning_rate}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ReduceLrOnPlateau {

    /** The metric to watch; checked at compile time like {@link EarlyStop#monitor()}. */
    String monitor() default "val_loss";

    /** The factor, in (0, 1) (both ends excluded), by which the learning rate is multiplied. */
    double factor() default 0.1;

    /** Non-improving epochs before a reduction, {@code >= 0}; 0 behaves as 1, as in Keras. */
    int patience() default 10;

    /** Whether lower or higher is better; {@code AUTO} takes the metric's declared direction at compile time. */
    Mode mode() default Mode.AUTO;

    /** The smallest change that counts as an improvement, {@code >= 0}; Keras's default 1e-4 (EarlyStopping's is 0). */
    double minDelta() default 1e-4;

    /** Epochs after a reduction during which waiting is not counted, {@code >= 0}. */
    int cooldown() default 0;

    /** The learning rate never goes below this; finite and {@code >= 0}. */
    double minLr() default 0;

    /** Log Keras's message ("Epoch 5: ReduceLROnPlateau reducing learning rate to ...") at INFO. */
    boolean verbose() default false;
}
