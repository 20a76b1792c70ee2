package org.callbacks4j.dl4j;

import java.util.Objects;
import org.callbacks4j.History;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Fits a DL4J network ({@code MultiLayerNetwork}, {@code ComputationGraph}, {@code SameDiff}) with annotated training
 * classes, as {@code org.callbacks4j.train.Trainer} fits a
 * {@code Sequential}: the same generated dispatchers ({@code Foo_Callbacks}), the same built-in policies and the same
 * Keras 3 order of hooks, around DL4J's own training loop.
 *
 * <pre>{@code
 * MultiLayerNetwork net = new MultiLayerNetwork(conf);
 * History history = Dl4jTrainer.fit(net, train,
 *         Dl4jFit.epochs(30).validationData(test).metrics("accuracy", "f1"), new DigitsTraining());
 * }</pre>
 *
 * <p>Each epoch is one {@code net.fit(DataSetIterator)}: DL4J's workspaces, updaters and listeners
 * ({@code ScoreIterationListener}, {@code CheckpointListener}, the UI's {@code StatsListener}) work as without
 * callbacks4j. The training loss ({@code loss}) is the example-weighted mean of DL4J's minibatch scores (the loss
 * function plus regularization), as DL4J reports it; {@code val_loss} is DL4J's score on the validation data in
 * inference mode; other metrics come from DL4J's evaluators ({@link Dl4jFit#metrics}). {@code @Checkpoint} writes
 * DL4J's model zip ({@code ModelSerializer.restoreMultiLayerNetwork} / {@code restoreComputationGraph} read it back);
 * {@code @BackupAndRestore} saves the parameters, the updater state, the DL4J iteration and epoch counters, the
 * learning rate, ND4J's random generator, the position in the epoch and every callback's state, and resumes exactly
 * where a killed run stopped, provided the training iterator gives the same batches in the same order after
 * {@code reset()}.
 *
 * <p>The iterators must be resettable: the fit counts the training batches once before the first epoch (for the
 * progress bar, {@code batchesPerEpoch()} and backups) and resets the iterators at each epoch.
 */
public final class Dl4jTrainer {

    private Dl4jTrainer() {}

    /**
     * Trains {@code net} on {@code train} as {@code fit} says, dispatching to {@code callbacks} (instances of
     * classes with generated {@code _Callbacks}). Initializes the network if it is not yet.
     *
     * @return the per-epoch values, as Keras's {@code History}
     * @throws IllegalArgumentException for bad settings, before any training
     * @throws IllegalStateException if a policy cannot serve this fit (a {@code val_} monitor without validation
     *     data, a metric the fit does not compute), before any training
     */
    public static History fit(MultiLayerNetwork net, DataSetIterator train, Dl4jFit fit, Object... callbacks) {
        Objects.requireNonNull(net, "network is null");
        return run(Dl4jNetwork.of(net), train, fit, callbacks);
    }

    /** As {@link #fit(MultiLayerNetwork, DataSetIterator, Dl4jFit, Object...)}, for a one-input, one-output graph. */
    public static History fit(ComputationGraph net, DataSetIterator train, Dl4jFit fit, Object... callbacks) {
        Objects.requireNonNull(net, "network is null");
        return run(Dl4jNetwork.of(net), train, fit, callbacks);
    }

    /**
     * As {@link #fit(MultiLayerNetwork, DataSetIterator, Dl4jFit, Object...)}, for a SameDiff graph with a
     * {@code TrainingConfig} (its updater, one feature and one label placeholder mapping) and a loss variable. Each
     * epoch is one {@code sd.fit(iterator, 1, listener)}: SameDiff's own loop and listeners; the listener added for
     * the call only records the loss. {@code outputVariable} names the graph's prediction (e.g. its softmax), which
     * DL4J's evaluators ({@link Dl4jFit#metrics}) and prediction listeners read. {@code @Checkpoint} writes SameDiff's
     * FlatBuffers file ({@code SameDiff.load(file, true)} reads it back); {@code @BackupAndRestore} saves the
     * trainable variables and every variable's updater state ({@code sd.getUpdaterMap()}) with the rest of a DL4J
     * backup. The fit creates the graph's updaters before training if no step has yet (what SameDiff's first step
     * does).
     *
     * @throws IllegalArgumentException if the graph has no TrainingConfig, not one feature and one label mapping,
     *     mask mappings, no loss variable, no trainable variable, or no variable {@code outputVariable}
     */
    public static History fit(SameDiff sd, String outputVariable, DataSetIterator train, Dl4jFit fit,
            Object... callbacks) {
        Objects.requireNonNull(sd, "SameDiff graph is null");
        return run(new SameDiffNetwork(sd, outputVariable), train, fit, callbacks);
    }

    private static History run(Dl4jNetwork net, DataSetIterator train, Dl4jFit fit, Object[] callbacks) {
        Objects.requireNonNull(fit, "fit settings are null; pass Dl4jFit.epochs(n)");
        Objects.requireNonNull(callbacks, "callbacks");
        return new Dl4jFitRun(net, train, fit, callbacks).run();
    }
}
