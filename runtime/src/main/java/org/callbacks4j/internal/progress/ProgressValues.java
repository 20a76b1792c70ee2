package org.callbacks4j.internal.progress;

/**
 * The values a progress line prints, in the order the fit defined them (Keras 2's bar order, not the sorted order of
 * {@link org.callbacks4j.Logs#names()}): the trainer's logs implement it, so that this package needs nothing of the
 * trainer's.
 */
public interface ProgressValues {

    /** Number of slots (defined names, present or not). */
    int slotCount();

    /** The name of {@code slot}. */
    String name(int slot);

    /** Whether {@code slot} holds a value now. */
    boolean has(int slot);

    /** The value in {@code slot} now. */
    double get(int slot);
}
