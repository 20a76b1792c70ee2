package org.callbacks4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Layer;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.model.WeightInit;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;

/**
 * What every task of one fit needs besides the parameters: the model's architecture, the trainer's settings and the
 * batching of the fit. Shipped once per task in the closure (a few hundred bytes); the parameters travel by broadcast.
 */
final class Recipe implements Serializable {

    private static final long serialVersionUID = 1L;

    final String fitId;
    final int inputWidth;
    final int[] units;
    final Activation[] activations;
    final WeightInit[] inits;
    final long modelSeed;
    final Loss loss;
    final ArrayList<String> metrics;
    final ShippedOptimizer optimizer;
    final int batchSize;
    final int syncEvery;
    final boolean shuffle;
    final long shuffleSeed;

    Recipe(String fitId, Sequential model, Trainer trainer, Fit fit, int syncEvery) {
        this.fitId = fitId;
        this.inputWidth = model.inputWidth();
        List<Layer> layers = model.layers();
        this.units = new int[layers.size()];
        this.activations = new Activation[layers.size()];
        this.inits = new WeightInit[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            units[l] = layers.get(l).units();
            activations[l] = layers.get(l).activation();
            inits[l] = layers.get(l).weightInit();
        }
        this.modelSeed = model.seed();
        this.loss = trainer.loss();
        this.metrics = new ArrayList<>(trainer.metrics());
        this.optimizer = ShippedOptimizer.of(trainer.optimizer());
        this.batchSize = fit.batchSize();
        this.syncEvery = syncEvery;
        this.shuffle = fit.shuffle();
        this.shuffleSeed = fit.seed();
    }

    /** A model of this architecture (its parameters are replaced before use). */
    Sequential model() {
        Sequential.Builder b = Sequential.input(inputWidth);
        for (int l = 0; l < units.length; l++) {
            b.dense(units[l], activations[l], inits[l]);
        }
        return b.seed(modelSeed).build();
    }

    /** A trainer with the driver's loss, metrics and optimizer settings. */
    Trainer trainer() {
        return Trainer.builder().loss(loss).optimizer(optimizer).metrics(metrics.toArray(new String[0])).build();
    }

    int outputWidth() {
        return units[units.length - 1];
    }

    /** Batches in a partition of {@code rows} rows. */
    int batches(int rows) {
        return (rows + batchSize - 1) / batchSize;
    }
}
