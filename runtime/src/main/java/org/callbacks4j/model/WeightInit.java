package org.callbacks4j.model;

import org.nd4j.weightinit.WeightInitScheme;
import org.nd4j.weightinit.impl.ReluInitScheme;
import org.nd4j.weightinit.impl.ReluUniformInitScheme;
import org.nd4j.weightinit.impl.XavierInitScheme;
import org.nd4j.weightinit.impl.XavierUniformInitScheme;

/**
 * How a dense layer's weight matrix is initialised; biases always start at zero (Keras). Each is ND4J's own
 * {@link WeightInitScheme}, drawn from ND4J's random generator seeded with {@link Sequential.Builder#seed(long)}, so a
 * seed gives the same weights every time.
 */
public enum WeightInit {
    /** Normal with standard deviation {@code sqrt(2 / fanIn)} (He et al.); the default for {@link Activation#RELU}. */
    HE,
    /** Uniform in {@code ±sqrt(6 / fanIn)} (Keras {@code he_uniform}). */
    HE_UNIFORM,
    /**
     * Uniform in {@code ±sqrt(6 / (fanIn + fanOut))} (Glorot; Keras's default {@code glorot_uniform}); the default for
     * every activation but {@link Activation#RELU}.
     */
    XAVIER,
    /** Normal with standard deviation {@code sqrt(2 / (fanIn + fanOut))} (Glorot normal). */
    XAVIER_NORMAL;

    /** The default for a layer with {@code activation}: {@link #HE} for RELU, {@link #XAVIER} otherwise. */
    public static WeightInit defaultFor(Activation activation) {
        return activation == Activation.RELU ? HE : XAVIER;
    }

    /** ND4J's scheme for a {@code fanIn x fanOut} weight matrix in C order. */
    WeightInitScheme scheme(int fanIn, int fanOut) {
        return switch (this) {
            case HE -> new ReluInitScheme('c', fanIn);
            case HE_UNIFORM -> new ReluUniformInitScheme('c', fanIn);
            case XAVIER -> new XavierUniformInitScheme('c', fanIn, fanOut);
            case XAVIER_NORMAL -> new XavierInitScheme('c', fanIn, fanOut);
        };
    }
}
