package org.callbacks4j.train;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The optimizer's state for one model: ND4J's {@link GradientUpdater} over the model's whole flat parameter vector (as
 * DL4J's {@code MultiLayerNetwork} uses one updater block), its flat state vector (Adam's moment estimates, momentum
 * velocities, ...), the step counter and the current learning rate.
 *
 * <p>A {@link Trainer} keeps one per model it has trained, so a second {@code fit} of the same model continues with
 * the same state, as Keras keeps {@code model.optimizer}. Checkpoints read it with {@link #flat()} and
 * {@link #iterations()} and put it back with {@link #restore(INDArray, long)}.
 *
 * <p>Adam's step is {@link AdamStep}: ND4J's kernel, bit for bit, at a tenth of its cost; its moments live on the
 * Java heap and {@link #flat()} copies them out. Every other updater (and Adam on an ND4J build whose kernel
 * {@link AdamStep} cannot reproduce) runs as ND4J's {@link GradientUpdater}.
 */
public final class OptimizerState {

    private final String optimizer;
    private final IUpdater config;
    private final INDArray state;
    private final GradientUpdater<?> updater;
    private final AdamStep adam;
    private final double clipNorm;
    private final double clipValue;
    private long iterations;
    private int epoch;

    OptimizerState(Optimizer optimizer, long paramCount) {
        this.optimizer = optimizer.name();
        this.clipNorm = optimizer.clipNorm();
        this.clipValue = optimizer.clipValue();
        this.config = Objects.requireNonNull(optimizer.toNd4j(), "Optimizer.toNd4j()");
        long size = config.stateSize(paramCount);
        if (size == 0) {
            // ND4J's plain SGD refuses a view array: it has no state.
            this.state = Nd4j.empty(DataType.FLOAT);
            this.updater = config.instantiate((INDArray) null, true);
            this.adam = null;
        } else if (config instanceof org.nd4j.linalg.learning.config.Adam adamConfig && AdamStep.matchesKernel()) {
            this.state = Nd4j.create(DataType.FLOAT, 1, size);
            this.updater = null;
            this.adam = new AdamStep(adamConfig, paramCount);
        } else {
            this.state = Nd4j.create(DataType.FLOAT, 1, size);
            this.updater = config.instantiate(state, true);
            this.adam = null;
        }
    }

    /** The optimizer's name ({@code "adam"}, ...). */
    public String optimizer() {
        return optimizer;
    }

    /**
     * The flat state vector as of now, {@code [1, n]} float32 (length 0 for plain SGD, which keeps no state). The
     * array is reused and refreshed by each call: take {@code flat().dup()} to keep a snapshot.
     */
    public INDArray flat() {
        if (adam != null) {
            adam.save(state);
        }
        return state;
    }

    /** Optimizer steps taken so far (Keras {@code optimizer.iterations}); Adam's bias correction depends on it. */
    public long iterations() {
        return iterations;
    }

    /**
     * Replaces the state with {@code flat} (copied) and the step counter with {@code iterations}, e.g. from a
     * checkpoint.
     *
     * @throws IllegalArgumentException if {@code flat} has the wrong length or {@code iterations} is negative
     */
    public void restore(INDArray flat, long iterations) {
        Objects.requireNonNull(flat, "flat");
        if (flat.length() != state.length()) {
            throw new IllegalArgumentException(
                    "optimizer state of shape " + Arrays.toString(flat.shape()) + " holds " + flat.length()
                            + " values but this " + optimizer + " state has " + state.length()
                            + "; restore a state saved from the same optimizer and model");
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations " + iterations + " must be >= 0");
        }
        if (state.length() > 0) {
            state.assign(flat.reshape(state.shape()));
            if (adam != null) {
                adam.load(state);
            }
        }
        this.iterations = iterations;
    }

    /** The learning rate the next step uses. */
    public double learningRate() {
        return config.getLearningRate((int) Math.min(iterations, Integer.MAX_VALUE), epoch);
    }

    /**
     * Sets the learning rate from the next step on. ND4J's updaters read the rate from their configuration at every
     * step, so this changes the configuration the updater holds ({@code IUpdater.setLrAndSchedule(lr, null)}, as
     * DL4J's {@code NetworkUtils.setLearningRate}); the state is untouched.
     *
     * @throws IllegalArgumentException if {@code learningRate} is negative, NaN or infinite
     */
    public void setLearningRate(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(
                    "learning rate " + learningRate + " must be a finite number >= 0");
        }
        if (!config.hasLearningRate()) {
            throw new UnsupportedOperationException(optimizer + " has no learning rate to set");
        }
        config.setLrAndSchedule(learningRate, null);
    }

    /** The optimizer's {@link Optimizer#clipNorm()}, applied by the network before {@link #step}. */
    double clipNorm() {
        return clipNorm;
    }

    /** The optimizer's {@link Optimizer#clipValue()}, applied by the network before {@link #step}. */
    double clipValue() {
        return clipValue;
    }

    /**
     * Turns {@code gradient} (the flat gradient vector) into the update in place, and counts the step: the step
     * {@link Trainer#fit} takes after every batch. Public for tools that drive or time the step alone (the benchmarks'
     * {@code OpCosts}); a fit needs no call.
     */
    public void step(INDArray gradient, int epoch) {
        this.epoch = epoch;
        int iteration = (int) Math.min(iterations, Integer.MAX_VALUE);
        if (adam != null) {
            adam.apply(gradient, config.getLearningRate(iteration, epoch), iteration);
        } else {
            updater.applyUpdater(gradient, iteration, epoch);
        }
        iterations++;
    }

    @Override
    public String toString() {
        return "OptimizerState(" + optimizer + ", iterations=" + iterations + ", lr=" + learningRate() + ")";
    }
}
