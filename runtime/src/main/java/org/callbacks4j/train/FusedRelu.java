package org.callbacks4j.train;

/**
 * When ND4J's fused {@code relu_layer} op (product, bias and ReLU in one call) can run a dense ReLU layer.
 *
 * <p>libnd4j validates the op's input and its weights with {@code isMatrix()}, which is false for a rank-2 array
 * with a dimension of 1: libnd4j calls {@code [1, n]} and {@code [n, 1]} "vectors" whatever their rank. A batch of
 * exactly one row (batch size 1, or a last batch of one row) failed with "x argument should be a 2D tensor, but got
 * rank 2 instead!", and so does a one-unit layer. Such layers run {@code xw_plus_b} and ReLU as two ops instead; the
 * choice is made once per batch size (in the {@link Network.Frame}), so the batch loop neither tests nor allocates
 * anything for it.
 */
final class FusedRelu {

    private FusedRelu() {}

    /** Whether the fused op accepts a {@code [rows, inputs]} batch through {@code [inputs, units]} weights. */
    static boolean accepts(long rows, long inputs, long units) {
        return rows > 1 && inputs > 1 && units > 1;
    }
}
