package org.callbacks4j.internal.policy;

/**
 * Keras's improvement test ({@code MonitorCallback._is_improvement}), shared by {@link EarlyStopping},
 * {@link ReduceLROnPlateau} and {@link CheckpointPolicy}: {@code current} improves on {@code reference} when
 * <pre>{@code reference is None || cmp((float) (current - signedMinDelta), (float) reference)}</pre>
 * with a strict {@code <} when minimizing and {@code >} when maximizing, and {@code signedMinDelta} equal to
 * {@code -|minDelta|} when minimizing and {@code +|minDelta|} when maximizing. So:
 * <ul>
 *   <li>ties are never improvements;
 *   <li>any comparison with NaN is false (a NaN value never improves, and a NaN reference is never beaten);
 *   <li>the first value always improves on "no reference yet", even NaN;
 *   <li>the subtraction is in double and the comparison in float32, as on Keras's TF, torch and JAX backends.
 * </ul>
 * The direction comes resolved: {@code Mode.AUTO} is settled at compile time.
 */
public final class MonitorComparison {

    private final boolean maximize;
    private final double signedMinDelta;

    /**
     * @param maximize whether larger values are better
     * @param minDelta the smallest change that counts as an improvement; its sign is ignored, as Keras's {@code abs}
     * @throws IllegalArgumentException if {@code minDelta} is NaN or infinite
     */
    public MonitorComparison(boolean maximize, double minDelta) {
        if (!Double.isFinite(minDelta)) {
            throw new IllegalArgumentException(
                    "minDelta must be a finite number, got " + minDelta + "; use 0 to count any improvement");
        }
        this.maximize = maximize;
        this.signedMinDelta = maximize ? Math.abs(minDelta) : -Math.abs(minDelta);
    }

    /** Whether larger values are better. */
    public boolean maximize() {
        return maximize;
    }

    /** {@code +|minDelta|} when maximizing, {@code -|minDelta|} when minimizing. */
    public double signedMinDelta() {
        return signedMinDelta;
    }

    /** Whether {@code current} improves on {@code reference} (never true when either is NaN). */
    public boolean isImprovement(double current, double reference) {
        float shifted = (float) (current - signedMinDelta);
        float ref = (float) reference;
        return maximize ? shifted > ref : shifted < ref;
    }

    /**
     * Whether {@code current} improves on {@code reference}, where {@code hasReference == false} stands for Keras's
     * {@code None}: then anything, NaN included, is an improvement.
     */
    public boolean isImprovement(double current, boolean hasReference, double reference) {
        return !hasReference || isImprovement(current, reference);
    }
}
