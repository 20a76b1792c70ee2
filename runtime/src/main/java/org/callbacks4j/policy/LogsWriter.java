package org.callbacks4j.policy;

/**
 * Writes a value into a slot of the logs of the current hook call, as Keras callbacks add keys to the shared
 * {@code logs} dict: ReduceLROnPlateau and LearningRateScheduler write {@code learning_rate} at epoch end, so that
 * hooks and loggers after them see it.
 */
@FunctionalInterface
public interface LogsWriter {

    /** Sets {@code slot} to {@code value} for the rest of the current hook call. */
    void set(int slot, double value);
}
