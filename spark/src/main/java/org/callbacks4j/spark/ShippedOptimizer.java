package org.callbacks4j.spark;

import java.io.Serializable;
import org.callbacks4j.train.Optimizer;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The trainer's optimizer as executors receive it: its name, initial rate and ND4J configuration (which is
 * {@link Serializable}), so that any {@link Optimizer}, the user's own included, travels without being serializable.
 */
record ShippedOptimizer(String name, double learningRate, IUpdater config) implements Optimizer, Serializable {

    private static final long serialVersionUID = 1L;

    static ShippedOptimizer of(Optimizer optimizer) {
        return new ShippedOptimizer(optimizer.name(), optimizer.learningRate(), optimizer.toNd4j());
    }

    @Override
    public IUpdater toNd4j() {
        return config.clone();
    }
}
