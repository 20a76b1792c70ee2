package org.callbacks4j.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * Activation of a dense layer, by its Keras name. Each is computed by ND4J's own {@link IActivation} implementation.
 */
public enum Activation {
    /** {@code max(0, x)} (Keras {@code "relu"}). */
    RELU("relu"),
    /** {@code tanh(x)} (Keras {@code "tanh"}). */
    TANH("tanh"),
    /** {@code 1 / (1 + exp(-x))} (Keras {@code "sigmoid"}); the output for {@code BINARY_CROSS_ENTROPY}. */
    SIGMOID("sigmoid"),
    /** Normalised exponentials over each row (Keras {@code "softmax"}); the output for {@code SOFTMAX_CROSS_ENTROPY}. */
    SOFTMAX("softmax"),
    /** {@code x} (Keras {@code "linear"}); the usual output for regression. */
    IDENTITY("linear"),
    /** {@code x > 0 ? x : 0.2 x}, Keras 3's {@code leaky_relu} default slope. */
    LEAKY_RELU("leaky_relu"),
    /** {@code x > 0 ? x : exp(x) - 1} (Keras {@code "elu"}, alpha 1). */
    ELU("elu");

    private final String kerasName;

    Activation(String kerasName) {
        this.kerasName = kerasName;
    }

    /** The Keras name ({@code "relu"}, {@code "linear"}, ...), as {@link Sequential#summary()} prints it. */
    public String kerasName() {
        return kerasName;
    }

    /**
     * A new ND4J activation function for this activation. ND4J's implementations are stateless, but they are cheap
     * to create, so every model gets its own.
     */
    public IActivation toNd4j() {
        return switch (this) {
            case RELU -> new ActivationReLU();
            case TANH -> new ActivationTanH();
            case SIGMOID -> new ActivationSigmoid();
            case SOFTMAX -> new ActivationSoftmax();
            case IDENTITY -> new ActivationIdentity();
            case LEAKY_RELU -> new ActivationLReLU(0.2);
            case ELU -> new ActivationELU(1.0);
        };
    }
}
