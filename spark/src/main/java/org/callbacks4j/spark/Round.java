package org.callbacks4j.spark;

import java.io.Serializable;

/**
 * The broadcast of one synchronisation round: the parameters and optimizer state every partition starts from, and
 * where in the fit the round is. Each round is a new broadcast, destroyed when its job is done.
 */
final class Round implements Serializable {

    private static final long serialVersionUID = 1L;

    final int epoch;
    /** The round within the epoch (rounds run batches {@code [round * syncEvery, (round + 1) * syncEvery)}). */
    final int round;
    final float[] params;
    final float[] state;
    final long iterations;
    final double learningRate;

    Round(int epoch, int round, float[] params, float[] state, long iterations, double learningRate) {
        this.epoch = epoch;
        this.round = round;
        this.params = params;
        this.state = state;
        this.iterations = iterations;
        this.learningRate = learningRate;
    }
}
