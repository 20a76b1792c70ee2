package org.callbacks4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Writes scalars for TensorBoard: Keras {@code TensorBoard}, scalars only. Each epoch's values go to
 * {@code <dir>/train} as {@code epoch_<name>} and, for {@code val_<name>}, to {@code <dir>/validation} as
 * {@code epoch_<name>}, at step {@code epoch} (0-based), together with {@code epoch_learning_rate}. With
 * {@link #updateFreq()} N, every N-th training batch (counted across epochs) also writes {@code batch_<name>} to
 * {@code train}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface TensorBoard {

    /** {@link #updateFreq()} value meaning "at epoch ends only" (Keras {@code update_freq="epoch"}). */
    int EPOCH = 0;

    /** The log directory; not empty. */
    String value();

    /** {@link #EPOCH} (the default) to write at epoch ends only, or N &gt;= 1 to also write every N training batches. */
    int updateFreq() default EPOCH;
}
