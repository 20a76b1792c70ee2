package org.callbacks4j.train;

import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A gradient-descent rule: {@link Adam}, {@link Sgd} or {@link RmsProp}, each an immutable description wrapping
 * ND4J's updater of the same name. Implement it to use any other ND4J {@link IUpdater} (AdaGrad, Nadam, ...).
 *
 * <p>The trainer asks for one {@link #toNd4j()} per model and keeps it, with ND4J's {@code GradientUpdater} over the
 * model's whole flat parameter vector (for Adam, the same step computed on the Java heap: {@link Adam}), in an
 * {@link OptimizerState}; changing the learning rate during training
 * ({@link org.callbacks4j.TrainingContext#setLearningRate}) changes that copy, never this object.
 */
public interface Optimizer {

    /** Short Keras-style name ({@code "adam"}, {@code "sgd"}, {@code "rmsprop"}), for messages and checkpoints. */
    String name();

    /** The initial learning rate. */
    double learningRate();

    /** A new ND4J updater configuration with these settings. */
    IUpdater toNd4j();

    /**
     * Keras's {@code clipnorm}: before each step, each variable's gradient (a layer's kernel, its bias, ...) is scaled
     * down to this L2 norm if it is longer; NaN (the default) for none.
     */
    default double clipNorm() {
        return Double.NaN;
    }

    /** Keras's {@code clipvalue}: before each step, every gradient value is clipped into {@code [-v, v]}; NaN: none. */
    default double clipValue() {
        return Double.NaN;
    }
}
