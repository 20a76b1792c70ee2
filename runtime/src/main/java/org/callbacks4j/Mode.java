package org.callbacks4j;

/**
 * Whether a monitored quantity improves by going down or up (Keras {@code mode}). {@link #AUTO} takes the direction
 * the metric declares ({@code loss}, {@code mse}, {@code mae}: down; {@code accuracy}: up; a {@link Metric}: its
 * {@link Metric#direction()}); the processor settles it at compile time and rejects a metric without one.
 */
public enum Mode {
    AUTO,
    MIN,
    MAX
}
