package org.callbacks4j;

import java.util.List;
import java.util.Map;

/**
 * Read-only metric values handed to hooks, as Keras's {@code logs} dict: {@code loss}, the compiled metrics
 * ({@code accuracy}, {@code mse}, ...) and, after validation, the same names prefixed with {@code val_}.
 *
 * <p>Each fit fixes the set of names it can produce and gives each a slot; {@link #slot(String)} resolves a name once,
 * so per-epoch code reads primitives with {@link #get(int)}. The object is owned by the trainer and reused: read it
 * inside the hook, and copy what you keep ({@link #toMap()}).
 */
public interface Logs {

    /**
     * The value of {@code name} now.
     *
     * @throws java.util.NoSuchElementException if {@code name} has no value now; the message lists the names that do
     */
    double get(String name);

    /** The value in {@code slot} now, or {@code NaN} when that metric has no value now (or the slot is -1). */
    double get(int slot);

    /**
     * Whether {@code slot} holds a value now; false for -1. Tells an absent value from a NaN one without a lookup by
     * name (Keras skips an epoch whose monitor is absent, but compares a NaN one).
     */
    boolean has(int slot);

    /** Whether {@code name} has a value now (for example {@code val_loss} only in epochs that validated). */
    boolean contains(String name);

    /** The slot of {@code name} for this fit, or -1 if this fit never produces it. Stable for the whole fit. */
    int slot(String name);

    /** The names that have a value now, in sorted order (as Keras iterates its logs). */
    List<String> names();

    /** A copy of the values present now, in sorted name order. Allocates: for printing, not for hot paths. */
    Map<String, Double> toMap();
}
