package org.callbacks4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Writes one row per epoch to a CSV file: Keras {@code CSVLogger}. The columns are {@code epoch} (0-based) and the
 * epoch's log names in sorted order, fixed at the first epoch end of each fit (with {@code val_} columns added when
 * the first epoch had none), as Keras writes them; missing values are {@code NA}. The row is written after every
 * other policy and the {@link OnEpochEnd} hooks, so it holds {@code learning_rate} and {@link Metric} values.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface CsvLogger {

    /** The file to write; not empty. Its directory is created if missing. */
    String value();

    /** The field separator: exactly one character, not a double quote, CR or LF. */
    String separator() default ",";

    /** Append to an existing file (writing the header only if the file is empty) instead of overwriting it. */
    boolean append() default false;
}
