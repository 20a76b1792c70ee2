package org.callbacks4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Stops training at the first batch whose loss is NaN or infinite, and says so: Keras {@code TerminateOnNaN}. As in
 * Keras, that epoch still validates and ends, and training ends normally.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface TerminateOnNaN {}
