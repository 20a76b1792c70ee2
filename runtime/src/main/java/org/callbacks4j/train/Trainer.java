package org.callbacks4j.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.callbacks4j.History;
import org.callbacks4j.data.BatchSource;
import org.callbacks4j.data.DataCheck;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.train.DataChecks;
import org.callbacks4j.internal.train.NativeThreads;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trains, evaluates and runs a {@link Sequential} (Keras's {@code compile} settings plus {@code fit},
 * {@code evaluate} and {@code predict}).
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder()
 *         .loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-3)).metrics("accuracy").build();
 * History history = trainer.fit(model, train, Fit.epochs(100).batchSize(64).validationSplit(0.2),
 *         new DigitsTraining());
 * }</pre>
 *
 * <p>A trainer keeps the optimizer state of each model it trains (weakly), so fitting the same model again continues
 * where the last fit stopped, as Keras's compiled model does. One fit at a time per model.
 */
public final class Trainer {

    private final Loss loss;
    private final Optimizer optimizer;
    private final List<String> metricNames;
    private final BuiltInMetric[] metrics;
    private final Map<Sequential, OptimizerState> states = Collections.synchronizedMap(new WeakHashMap<>());
    private final int threads;
    private final int blasThreads;

    private Trainer(Builder b) {
        this.loss = b.loss;
        this.threads = b.threads;
        this.blasThreads = b.blasThreads;
        this.optimizer = b.optimizer;
        this.metricNames = List.copyOf(b.metricNames);
        this.metrics = new BuiltInMetric[metricNames.size()];
        for (int i = 0; i < metrics.length; i++) {
            metrics[i] = BuiltInMetric.byName(metricNames.get(i));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Loss loss() {
        return loss;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The metric names, in the order given to the builder. */
    public List<String> metrics() {
        return metricNames;
    }

    /**
     * The optimizer state this trainer keeps for {@code model}, created fresh if the model was not trained by it
     * yet. Restore a checkpoint's state into it before {@code fit} to resume.
     */
    public OptimizerState optimizerState(Sequential model) {
        Objects.requireNonNull(model, "model");
        return states.computeIfAbsent(model, m -> new OptimizerState(optimizer, m.paramCount()));
    }

    /**
     * Trains {@code model} on {@code data} (Keras {@code fit}) and calls the hooks of {@code callbacks}: each is an
     * instance of a class whose hooks the annotation processor compiled (its {@code _Callbacks} class is found once
     * per fit), or a {@link org.callbacks4j.internal.dispatch.CallbackDispatcher}. Their hooks run in argument order.
     *
     * <p>Order, as Keras 3: {@code onTrainBegin}; per epoch {@code onEpochBegin}, per batch {@code onBatchBegin},
     * train step, {@code onBatchEnd}; then validation and {@code onValidationEnd}; {@code onEpochEnd}; finally
     * {@code onTrainEnd} with the last epoch's logs. A stop requested in a batch ends the batch loop, but the epoch
     * still validates and ends. An exception from a hook propagates and {@code onTrainEnd} is not called.
     *
     * <p>With {@code @BackupAndRestore} on a callback's class, the fit is backed up as it runs, and a fit that finds a
     * backup in that folder resumes from it before {@code onTrainBegin} and ends exactly where the interrupted run
     * would have (see {@code docs/resume.md}); a backup written for another training is refused with an
     * {@link IllegalStateException} before anything changes. A fit that finds the completion record of a run that
     * ended normally returns that run's History and puts its final parameters into the model, without training.
     *
     * <p>Before {@code onTrainBegin}, every dispatcher is prepared ({@code CallbackDispatcher.prepare}): built-in
     * policies resolve their monitors, add their metrics ({@code learning_rate}, {@code @Metric} names) and check
     * their files' paths, so that a fit they cannot serve fails before anything is trained or written.
     *
     * @return the per-epoch values of the loss and metrics (and their {@code val_} versions, {@code learning_rate}
     *     and custom metrics when policies add them), and who stopped training ({@link History#stoppedBy()})
     * @throws IllegalArgumentException before any training if the data, settings or callbacks do not fit; the
     *     message names the value and the fix
     * @throws IllegalStateException before any training if another fit (another process, or another thread of this
     *     one) is writing one of this fit's output paths or training this model; the message names the path and the
     *     holder
     * @throws IllegalStateException before any training if a built-in policy cannot serve this fit (a monitor it
     *     does not produce, such as {@code val_loss} without validation data; a checkpoint or log path that cannot
     *     be written); the message names the value and the fix
     */
    public History fit(Sequential model, Dataset data, Fit fit, Object... callbacks) {
        return fit(model, (BatchSource) data, fit, callbacks);
    }

    /**
     * Trains {@code model} on batches pulled from {@code source} (a file, an iterator; see {@link BatchSource}), as
     * {@link #fit(Sequential, Dataset, Fit, Object...)} does on a {@code Dataset}. Before {@code onTrainBegin}, every
     * row is read once and checked (widths against the model, labels against the loss, no NaN or infinity): bad data
     * fails with the file, row and fix before any training. While training, a background thread reads several
     * batches ahead; the heap holds a few batches (and a shuffle buffer for sequential sources), never the data.
     * {@link Fit#validationSplit(double)} needs a {@code Dataset}; pass {@link Fit#validationData(BatchSource)}.
     *
     * @throws org.callbacks4j.data.BadDataException before any training, naming the file, row and fix
     */
    public History fit(Sequential model, BatchSource data, Fit fit, Object... callbacks) {
        Objects.requireNonNull(model, "model is null; pass a Sequential");
        Objects.requireNonNull(data, "data is null; pass a Dataset or another BatchSource");
        Objects.requireNonNull(fit, "fit is null; pass e.g. Fit.epochs(10)");
        Objects.requireNonNull(callbacks, "callbacks array is null; pass no callbacks, or callback objects");
        checkModel(model);
        useThreads(model, fit.batchSize());
        return new FitRun(this, model, data, fit, callbacks).run();
    }

    /**
     * The loss and metrics of {@code model} on {@code data} (Keras {@code evaluate}), in batches of 32; keys
     * {@code loss} and the metric names (no {@code val_} prefix), sorted.
     */
    public Map<String, Double> evaluate(Sequential model, Dataset data) {
        Objects.requireNonNull(model, "model is null; pass a Sequential");
        Objects.requireNonNull(data, "data is null; pass a Dataset");
        checkModel(model);
        checkData("evaluation", data, model);
        useThreads(model, 32);
        return FitRun.evaluate(this, model, data, 32);
    }

    /**
     * The loss and metrics of {@code model} on a streamed source (Keras {@code evaluate}), in batches of 32, after the
     * same check of every row as {@code fit}; keys as {@link #evaluate(Sequential, Dataset)}.
     */
    public Map<String, Double> evaluate(Sequential model, BatchSource data) {
        Objects.requireNonNull(model, "model is null; pass a Sequential");
        Objects.requireNonNull(data, "data is null; pass a Dataset or another BatchSource");
        checkModel(model);
        if (data instanceof Dataset d) {
            return evaluate(model, d);
        }
        checkSource("evaluation", data, model);
        useThreads(model, 32);
        return FitRun.evaluate(this, model, data, 32);
    }

    /** The model's outputs for {@code features} (Keras {@code predict}); see {@link Sequential#predict(INDArray)}. */
    public INDArray predict(Sequential model, INDArray features) {
        Objects.requireNonNull(model, "model is null; pass a Sequential");
        return model.predict(features);
    }

    /**
     * The thread count of ND4J's ops set on the builder, or 0: the trainer chooses (see {@link Builder#threads(int)}).
     */
    public int threads() {
        return threads;
    }

    /** The thread count of OpenBLAS's products set on the builder, or 0: the trainer chooses. */
    public int blasThreads() {
        return blasThreads;
    }

    /** Sets ND4J's and OpenBLAS's thread counts for running {@code model} in batches of {@code batchSize}. */
    private void useThreads(Sequential model, int batchSize) {
        NativeThreads.apply(NativeThreads.choose(threads, blasThreads, System.getenv(),
                Runtime.getRuntime().availableProcessors(), model, batchSize));
    }

    BuiltInMetric[] metricArray() {
        return metrics.clone();
    }

    void checkModel(Sequential model) {
        Activation output = model.layers().get(model.layers().size() - 1).activation();
        Activation required = loss.requiredOutput();
        if (required != null && output != required) {
            throw new IllegalArgumentException(
                    "loss " + loss + " needs a " + required + " output layer but the model's last layer is "
                            + output + "; end the model with .dense(" + model.outputWidth() + ", Activation."
                            + required + ")" + (loss == Loss.SOFTMAX_CROSS_ENTROPY && output == Activation.SIGMOID
                                    ? ", or use Loss.BINARY_CROSS_ENTROPY for independent sigmoid outputs"
                                    : ""));
        }
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY && model.outputWidth() < 2) {
            throw new IllegalArgumentException(
                    "loss SOFTMAX_CROSS_ENTROPY needs at least 2 outputs (a softmax over 1 output is always 1) but "
                            + "the model has " + model.outputWidth() + "; for two classes use .dense(1, "
                            + "Activation.SIGMOID) with Loss.BINARY_CROSS_ENTROPY, or .dense(2, Activation.SOFTMAX)");
        }
    }

    /**
     * Checks that a streamed source fits {@code model} and the loss, reading every row ({@link DataCheck}); returns
     * the configuration line of backups: the source's description and fingerprint.
     */
    String checkSource(String what, BatchSource data, Sequential model) {
        if (data.size() < 1) {
            throw new IllegalArgumentException(what + " data " + data.describe() + " has no rows; pass at least one "
                    + "example");
        }
        if (data.featureWidth() != model.inputWidth()) {
            throw new IllegalArgumentException(
                    what + " data " + data.describe() + " has " + data.featureWidth() + " features per row but the "
                            + "model takes " + model.inputWidth() + " inputs; build the model with Sequential.input("
                            + data.featureWidth() + ") or pass data of " + model.inputWidth() + " features");
        }
        if (data.labelWidth() != model.outputWidth()) {
            throw new IllegalArgumentException(
                    what + " data " + data.describe() + " has " + data.labelWidth() + " label values per row but the "
                            + "model has " + model.outputWidth() + " outputs; end the model with .dense("
                            + data.labelWidth() + ", ...) or pass the number of classes the model predicts");
        }
        DataCheck.Labels labels = loss == Loss.SOFTMAX_CROSS_ENTROPY ? DataCheck.Labels.ONE_HOT
                : loss == Loss.BINARY_CROSS_ENTROPY ? DataCheck.Labels.UNIT : DataCheck.Labels.ANY;
        return data.describe() + "; " + DataCheck.scan(data, what, labels);
    }

    /** Checks that {@code data} fits {@code model} and the loss; {@code what} names it in messages. */
    void checkData(String what, Dataset data, Sequential model) {
        if (data.size() < 1) {
            throw new IllegalArgumentException(what + " data has no rows; pass at least one example");
        }
        if (data.featureWidth() != model.inputWidth()) {
            throw new IllegalArgumentException(
                    what + " features have " + data.featureWidth() + " columns but the model takes "
                            + model.inputWidth() + " inputs; pass " + model.inputWidth()
                            + "-column features or build the model with Sequential.input(" + data.featureWidth()
                            + ")");
        }
        if (data.labelWidth() != model.outputWidth()) {
            throw new IllegalArgumentException(
                    what + " labels have " + data.labelWidth() + " columns but the model has " + model.outputWidth()
                            + " outputs; pass " + model.outputWidth() + "-column labels (Dataset.classification(x, "
                            + "classes, " + model.outputWidth() + ") makes one-hot rows) or end the model with "
                            + ".dense(" + data.labelWidth() + ", ...)");
        }
        DataChecks.checkValues(what, data.features(), data.labels(),
                loss == Loss.BINARY_CROSS_ENTROPY || loss == Loss.SOFTMAX_CROSS_ENTROPY,
                loss == Loss.SOFTMAX_CROSS_ENTROPY, loss.toString());
    }

    @Override
    public String toString() {
        return "Trainer(loss=" + loss + ", optimizer=" + optimizer + ", metrics=" + metricNames
                + (threads > 0 ? ", threads=" + threads + (blasThreads != threads ? "/" + blasThreads : "") : "")
                + ")";
    }

    /** Settings of a {@link Trainer} (Keras {@code compile}). */
    public static final class Builder {

        private Loss loss;
        private Optimizer optimizer = RmsProp.lr(1e-3);
        private final List<String> metricNames = new ArrayList<>();
        private int threads;
        private int blasThreads;

        private Builder() {}

        /** The loss to minimise (required). */
        public Builder loss(Loss loss) {
            this.loss = Objects.requireNonNull(loss, "loss is null; pass e.g. Loss.SOFTMAX_CROSS_ENTROPY");
            return this;
        }

        /** The optimizer (default {@code RmsProp.lr(1e-3)}, Keras's {@code compile} default). */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer is null; pass e.g. Adam.lr(1e-3)");
            return this;
        }

        /**
         * Metrics to report besides the loss, by Keras name: {@code "accuracy"}, {@code "mse"}, {@code "mae"}.
         *
         * @throws IllegalArgumentException for an unknown or repeated name
         */
        public Builder metrics(String... names) {
            Objects.requireNonNull(names, "names");
            for (String name : names) {
                Objects.requireNonNull(name, "metric name is null; known metrics are " + BuiltInMetric.knownNames());
                BuiltInMetric.byName(name);
                if (metricNames.contains(name)) {
                    throw new IllegalArgumentException(
                            "metric \"" + name + "\" is listed twice; list each metric once");
                }
                metricNames.add(name);
            }
            return this;
        }

        /**
         * The native threads during {@code fit} and {@code evaluate}: ND4J's own ops, OpenMP's (on which ND4J's
         * oneDNN build, the default on Linux x86-64, runs the matrix products and convolutions) and OpenBLAS's.
         * Without this call the trainer chooses them from the cores and the layer sizes (one thread for ND4J's ops on
         * layers of a few hundred units, where splitting them costs more than it saves; more for large products:
         * OpenMP's in the oneDNN build, OpenBLAS's in the generic one), keeping {@code OMP_NUM_THREADS} and
         * {@code OPENBLAS_NUM_THREADS} where the user set them; the choice is logged at INFO. The settings are
         * process-wide and stay set after the fit.
         *
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder threads(int n) {
            return threads(n, n);
        }

        /**
         * The threads of ND4J's own ops and OpenMP ({@code ops}) and of OpenBLAS ({@code blas}) apart; see
         * {@link #threads(int)}. In the oneDNN build the products run on OpenMP's threads and OpenBLAS only runs the
         * update's {@code axpy}; in ND4J's generic build the products are OpenBLAS's, and one thread for the ops and
         * several for OpenBLAS suits wide layers on small batches.
         *
         * @throws IllegalArgumentException if either is below 1
         */
        public Builder threads(int ops, int blas) {
            if (ops < 1 || blas < 1) {
                throw new IllegalArgumentException("threads " + (ops < 1 ? ops : blas) + " must be at least 1; leave "
                        + "threads(..) out to let the trainer choose");
            }
            this.threads = ops;
            this.blasThreads = blas;
            return this;
        }

        /**
         * The trainer.
         *
         * @throws IllegalStateException if no loss was set
         */
        public Trainer build() {
            if (loss == null) {
                throw new IllegalStateException(
                        "no loss set; call e.g. Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY) before build()");
            }
            return new Trainer(this);
        }
    }
}
