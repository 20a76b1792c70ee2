package org.callbacks4j.train;

import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Adam (Kingma and Ba), ND4J's {@code org.nd4j.linalg.learning.config.Adam}, with Keras's defaults: beta1 0.9,
 * beta2 0.999, epsilon 1e-7. The trainer computes the step exactly as ND4J's {@code adam_updater} kernel does, bit
 * for bit, in a vectorised Java loop that costs a tenth of the kernel's ({@code AdamStep}, BENCHMARKS.md).
 *
 * <pre>{@code Adam.lr(1e-3)}  {@code Adam.lr(1e-3).beta2(0.99)}</pre>
 */
public final class Adam implements Optimizer {

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private final Clipping clip;

    private Adam(double learningRate, double beta1, double beta2, double epsilon, Clipping clip) {
        this.clip = clip;
        this.learningRate = Optimizers.checkLearningRate("Adam", learningRate);
        this.beta1 = Optimizers.checkUnit("Adam", "beta1", beta1);
        this.beta2 = Optimizers.checkUnit("Adam", "beta2", beta2);
        this.epsilon = Optimizers.checkEpsilon("Adam", epsilon);
    }

    /** Adam with learning rate {@code learningRate} (Keras's default is 1e-3). */
    public static Adam lr(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-7, Clipping.NONE);
    }

    /** Decay of the first-moment estimate, in [0, 1). */
    public Adam beta1(double beta1) {
        return new Adam(learningRate, beta1, beta2, epsilon, clip);
    }

    /** Decay of the second-moment estimate, in [0, 1). */
    public Adam beta2(double beta2) {
        return new Adam(learningRate, beta1, beta2, epsilon, clip);
    }

    /** Added to the denominator for numerical stability. */
    public Adam epsilon(double epsilon) {
        return new Adam(learningRate, beta1, beta2, epsilon, clip);
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public IUpdater toNd4j() {
        return new org.nd4j.linalg.learning.config.Adam(learningRate, beta1, beta2, epsilon);
    }

    /**
     * Clips each variable's gradient to L2 norm {@code clipNorm} before each step (Keras {@code clipnorm}).
     *
     * @throws IllegalArgumentException if {@code clipNorm} is not positive, or clipValue is set (Keras allows one)
     */
    public Adam clipNorm(double clipNorm) {
        return new Adam(learningRate, beta1, beta2, epsilon, clip.withNorm("Adam", clipNorm));
    }

    /**
     * Clips every gradient value into {@code [-clipValue, clipValue]} before each step (Keras {@code clipvalue}).
     *
     * @throws IllegalArgumentException if {@code clipValue} is not positive, or clipNorm is set (Keras allows one)
     */
    public Adam clipValue(double clipValue) {
        return new Adam(learningRate, beta1, beta2, epsilon, clip.withValue("Adam", clipValue));
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
        return "Adam(lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon
                + clip + ")";
    }
}
