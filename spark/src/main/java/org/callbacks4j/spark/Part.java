package org.callbacks4j.spark;

import java.io.Serializable;

/**
 * What one partition returns from a round: how many rows and steps it ran, its parameters and optimizer state after
 * them (null when it ran none) and the per-example loss and metrics of those rows, in the order it ran them.
 */
final class Part implements Serializable {

    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    final int steps;
    final float[] params;
    final float[] state;
    final float[] loss;
    final float[][] metrics;

    Part(int partition, int rows, int steps, float[] params, float[] state, float[] loss, float[][] metrics) {
        this.partition = partition;
        this.rows = rows;
        this.steps = steps;
        this.params = params;
        this.state = state;
        this.loss = loss;
        this.metrics = metrics;
    }
}
