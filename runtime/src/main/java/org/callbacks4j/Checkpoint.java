package org.callbacks4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Saves the model during training: Keras {@code ModelCheckpoint}.
 *
 * <p>{@link #path()} is a template, checked at compile time: {@code {epoch}} and {@code {batch}} (1-based, as Keras;
 * {@code {batch}} only when saving every N batches) and any metric the training produces (as {@link EarlyStop#monitor()}
 * lists them; at batch level only {@code loss} and the compiled metrics, since batch logs hold nothing else), each with
 * an optional Python format spec ({@code {epoch:02d}}, {@code {val_loss:.4f}}); write <code>{{</code> and
 * <code>}}</code> for literal braces. The grammar is {@code org.callbacks4j.internal.policy.PathTemplate}'s. A checkpoint holds
 * everything needed to continue training (parameters, optimizer state, model configuration, training position and
 * metrics) or, with {@link #saveWeightsOnly()}, the parameters. Every write is atomic.
 *
 * <p>Repeatable: each annotation is an independent policy; they run in declaration order (superclasses first).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(Checkpoint.List.class)
public @interface Checkpoint {

    /** {@link #saveFreq()} value meaning "at the end of every epoch" (Keras {@code save_freq="epoch"}). */
    int EPOCH = 0;

    /** Where to write, as a template (see the class documentation). */
    String path();

    /**
     * The metric that decides "best" when {@link #saveBestOnly()} is set; checked at compile time like
     * {@link EarlyStop#monitor()}. With batch-level saving, {@code loss} or a compiled metric.
     */
    String monitor() default "val_loss";

    /** Save only when {@link #monitor()} improves on the best so far. */
    boolean saveBestOnly() default false;

    /** Save only the parameters, not the optimizer state and training position. */
    boolean saveWeightsOnly() default false;

    /** Whether lower or higher is better; {@code AUTO} takes the metric's declared direction at compile time. */
    Mode mode() default Mode.AUTO;

    /** {@link #EPOCH} (the default) to save at every epoch end, or N &gt;= 1 to save every N training batches. */
    int saveFreq() default EPOCH;

    /**
     * With {@link #saveBestOnly()}: the value to beat before the first save; {@code NaN} (the default) for none.
     * Setting it without {@link #saveBestOnly()}, or to an infinity, is a compile error.
     */
    double initialValueThreshold() default Double.NaN;

    /** Log Keras's messages ("Epoch 3: val_loss improved from ...") at INFO. */
    boolean verbose() default false;

    /** Holder for repeated {@link Checkpoint}s; written by javac, not by hand. */
    @Documented
    @Retention(RetentionPolicy.CLASS)
    @Target(ElementType.TYPE)
    @interface List {
        Checkpoint[] value();
    }
}
