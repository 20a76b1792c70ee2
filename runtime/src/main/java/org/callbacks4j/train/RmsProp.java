package org.callbacks4j.train;

import org.nd4j.linalg.learning.config.IUpdater;

/**
 * RMSprop, ND4J's {@code org.nd4j.linalg.learning.config.RmsProp}, with Keras's defaults: rho (ND4J's
 * {@code rmsDecay}) 0.9, epsilon 1e-7. The trainer's default optimizer, as in Keras's {@code compile}.
 */
public final class RmsProp implements Optimizer {

    private final double learningRate;
    private final double rho;
    private final double epsilon;

    private final Clipping clip;

    private RmsProp(double learningRate, double rho, double epsilon, Clipping clip) {
        this.clip = clip;
        this.learningRate = Optimizers.checkLearningRate("RmsProp", learningRate);
        this.rho = Optimizers.checkUnit("RmsProp", "rho", rho);
        this.epsilon = Optimizers.checkEpsilon("RmsProp", epsilon);
    }

    /** RMSprop with learning rate {@code learningRate} (Keras's default is 1e-3). */
    public static RmsProp lr(double learningRate) {
        return new RmsProp(learningRate, 0.9, 1e-7, Clipping.NONE);
    }

    /** Decay of the moving average of squared gradients, in [0, 1). */
    public RmsProp rho(double rho) {
        return new RmsProp(learningRate, rho, epsilon, clip);
    }

    /** Added to the denominator for numerical stability. */
    public RmsProp epsilon(double epsilon) {
        return new RmsProp(learningRate, rho, epsilon, clip);
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    public double rho() {
        return rho;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public IUpdater toNd4j() {
        return new org.nd4j.linalg.learning.config.RmsProp(learningRate, rho, epsilon);
    }

    /**
     * Clips each variable's gradient to L2 norm {@code clipNorm} before each step (Keras {@code clipnorm}).
     *
     * @throws IllegalArgumentException if {@code clipNorm} is not positive, or clipValue is set (Keras allows one)
     */
    public RmsProp clipNorm(double clipNorm) {
        return new RmsProp(learningRate, rho, epsilon, clip.withNorm("RmsProp", clipNorm));
    }

    /**
     * Clips every gradient value into {@code [-clipValue, clipValue]} before each step (Keras {@code clipvalue}).
     *
     * @throws IllegalArgumentException if {@code clipValue} is not positive, or clipNorm is set (Keras allows one)
     */
    public RmsProp clipValue(double clipValue) {
        return new RmsProp(learningRate, rho, epsilon, clip.withValue("RmsProp", clipValue));
    }

    @Override
    public double clipNorm() {
        return clip.norm();
    }

    @Override
    public double clipValue() {
        return clip.value();
    }

    @Override
    public String toString() {
        return "RmsProp(lr=" + learningRate + ", rho=" + rho + ", epsilon=" + epsilon
                + clip + ")";
    }
}
