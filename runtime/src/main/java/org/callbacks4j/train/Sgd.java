package org.callbacks4j.train;

import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * Stochastic gradient descent, as Keras's {@code SGD}: plain ({@code Sgd.lr(0.01)}, ND4J's {@code Sgd}), with
 * momentum ({@code .momentum(0.9)}: {@code v = m v - lr g; w += v}) or with Nesterov momentum
 * ({@code .momentum(0.9).nesterov()}, ND4J's {@code Nesterovs}).
 *
 * <p>ND4J has no classical (non-Nesterov) momentum updater, so {@code .momentum(m)} alone uses
 * {@link MomentumUpdater}, a small ND4J {@code GradientUpdater} in this package.
 */
public final class Sgd implements Optimizer {

    private final double learningRate;
    private final double momentum;
    private final boolean nesterov;

    private final Clipping clip;

    private Sgd(double learningRate, double momentum, boolean nesterov, Clipping clip) {
        this.clip = clip;
        this.learningRate = Optimizers.checkLearningRate("Sgd", learningRate);
        this.momentum = Optimizers.checkUnit("Sgd", "momentum", momentum);
        this.nesterov = nesterov;
    }

    /** Plain SGD with learning rate {@code learningRate} (Keras's default is 0.01). */
    public static Sgd lr(double learningRate) {
        return new Sgd(learningRate, 0, false, Clipping.NONE);
    }

    /** Momentum in [0, 1) (Keras {@code momentum}); 0 is plain SGD. */
    public Sgd momentum(double momentum) {
        return new Sgd(learningRate, momentum, nesterov, clip);
    }

    /**
     * Uses Nesterov momentum (Keras {@code nesterov=True}).
     *
     * @throws IllegalStateException if no momentum was set
     */
    public Sgd nesterov() {
        if (momentum == 0) {
            throw new IllegalStateException(
                    "Nesterov momentum needs a momentum; call e.g. Sgd.lr(0.01).momentum(0.9).nesterov()");
        }
        return new Sgd(learningRate, momentum, true, clip);
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    public double momentum() {
        return momentum;
    }

    public boolean isNesterov() {
        return nesterov;
    }

    @Override
    public IUpdater toNd4j() {
        if (momentum == 0) {
            return new org.nd4j.linalg.learning.config.Sgd(learningRate);
        }
        return nesterov ? new Nesterovs(learningRate, momentum) : new MomentumUpdater.Config(learningRate, momentum);
    }

    /**
     * Clips each variable's gradient to L2 norm {@code clipNorm} before each step (Keras {@code clipnorm}).
     *
     * @throws IllegalArgumentException if {@code clipNorm} is not positive, or clipValue is set (Keras allows one)
     */
    public Sgd clipNorm(double clipNorm) {
        return new Sgd(learningRate, momentum, nesterov, clip.withNorm("Sgd", clipNorm));
    }

    /**
     * Clips every gradient value into {@code [-clipValue, clipValue]} before each step (Keras {@code clipvalue}).
     *
     * @throws IllegalArgumentException if {@code clipValue} is not positive, or clipNorm is set (Keras allows one)
     */
    public Sgd clipValue(double clipValue) {
        return new Sgd(learningRate, momentum, nesterov, clip.withValue("Sgd", clipValue));
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
        return "Sgd(lr=" + learningRate + (momentum == 0 ? "" : ", momentum=" + momentum)
                + (nesterov ? ", nesterov" : "") + clip + ")";
    }
}
