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

    private Sgd(double learningRate, double momentum, boolean nesterov) {
        this.learningRate = Optimizers.checkLearningRate("Sgd", learningRate);
        this.momentum = Optimizers.checkUnit("Sgd", "momentum", momentum);
        this.nesterov = nesterov;
    }

    /** Plain SGD with learning rate {@code learningRate} (Keras's default is 0.01). */
    public static Sgd lr(double learningRate) {
        return new Sgd(learningRate, 0, false);
    }

    /** Momentum in [0, 1) (Keras {@code momentum}); 0 is plain SGD. */
    public Sgd momentum(double momentum) {
        return new Sgd(learningRate, momentum, nesterov);
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
        return new Sgd(learningRate, momentum, true);
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

    @Override
    public String toString() {
        return "Sgd(lr=" + learningRate + (momentum == 0 ? "" : ", momentum=" + momentum)
                + (nesterov ? ", nesterov" : "") + ")";
    }
}
