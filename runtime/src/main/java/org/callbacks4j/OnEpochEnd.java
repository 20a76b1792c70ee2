package org.callbacks4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Calls the annotated method when each epoch ends, after validation (Keras `on_epoch_end`). `Logs` holds the epoch's training metrics and, when validation ran, their `val_` versions.
 *
 * <p>The method must be non-private, non-static, non-abstract and not generic, and its class must be reachable from
 * its package (not private, local or anonymous). It takes any subset, in any order, of the injectable parameters
 * described in {@link org.callbacks4j package documentation}. Several methods of one class may carry the same hook:
 * they run in declaration order (methods inherited from superclasses first).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface OnEpochEnd {}
