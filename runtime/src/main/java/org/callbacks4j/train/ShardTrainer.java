package org.callbacks4j.train;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Sequential;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training step of {@link Trainer#fit}, on one shard of the data, for trainers that spread a fit over several
 * machines (the Spark trainer in {@code callbacks4j-spark}). The caller loads the parameters
 * ({@link Sequential#setParams}) and the optimizer state ({@link OptimizerState#restore}) before a run of steps and
 * reads them afterwards; each step is exactly the single-machine trainer's (forward pass, per-example loss and
 * metrics, backward pass, optimizer step, {@code params -= update}), so one shard trained with the single-machine
 * trainer's batch order gives its results bit for bit.
 *
 * <p>Not thread-safe: one instance per thread. Buffers are kept per batch size, so the steps allocate nothing.
 */
public final class ShardTrainer {

    private final Trainer trainer;
    private final Sequential model;
    private final Network net;
    private final OptimizerState optimizer;
    private final int metricCount;
    private final Map<Integer, Network.Frame> frames = new HashMap<>();

    /**
     * Steps for {@code model} with {@code trainer}'s loss, metrics and optimizer; the optimizer state is new (zero,
     * iteration 0) and independent of the one {@code trainer} keeps for the model.
     *
     * @throws IllegalArgumentException if the model does not fit the loss (as {@link Trainer#fit} reports it)
     */
    public ShardTrainer(Trainer trainer, Sequential model) {
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        this.model = Objects.requireNonNull(model, "model");
        trainer.checkModel(model);
        BuiltInMetric[] metrics = trainer.metricArray();
        this.metricCount = metrics.length;
        this.net = new Network(model, trainer.loss(), metrics);
        this.optimizer = new OptimizerState(trainer.optimizer(), model.paramCount());
    }

    public Sequential model() {
        return model;
    }

    /** This shard's optimizer state: restore it before a run of steps, read it after. */
    public OptimizerState optimizerState() {
        return optimizer;
    }

    /** The number of metrics each step writes ({@code Trainer.metrics()}, in that order). */
    public int metricCount() {
        return metricCount;
    }

    /**
     * Checks {@code data} as {@link Trainer#fit} checks its training data (widths against the model, label ranges and
     * one-hot rows for the loss); {@code what} names it in messages.
     *
     * @throws IllegalArgumentException naming the value and the fix
     */
    public void checkData(String what, Dataset data) {
        trainer.checkData(what, data, model);
    }

    /**
     * One optimizer step on the batch {@code (x, y)} ({@code [rows, inputs]}, {@code [rows, outputs]} float32),
     * writing the per-example loss into {@code lossOut} and each metric into {@code metricOut[k]} ({@code [rows, 1]}).
     */
    public void trainStep(INDArray x, INDArray y, INDArray lossOut, INDArray[] metricOut, int epoch) {
        net.trainStep(frame(x), x, y, lossOut, metricOut, optimizer, epoch);
    }

    /** The per-example loss and metrics of the current parameters on {@code (x, y)}, without training. */
    public void evaluate(INDArray x, INDArray y, INDArray lossOut, INDArray[] metricOut) {
        net.evaluate(frame(x), x, y, lossOut, metricOut);
    }

    private Network.Frame frame(INDArray x) {
        return frames.computeIfAbsent((int) x.size(0), net::frame);
    }
}
