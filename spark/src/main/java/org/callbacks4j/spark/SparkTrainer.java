package org.callbacks4j.spark;

import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Trainer;

/**
 * Trains a {@link Sequential} data-parallel on Apache Spark with the same training class, {@link Fit} and
 * {@link Trainer} settings as {@link Trainer#fit}; the callbacks run once, on the driver.
 *
 * <pre>{@code
 * JavaRDD<Example> train = SparkData.fromDataFrame(df, "features", "label", 10).repartition(8);
 * History history = SparkTrainer.of(trainer).syncEvery(4)
 *         .fit(model, train, Fit.epochs(20).batchSize(64), new DigitsTraining());
 * }</pre>
 *
 * <p><b>How it trains.</b> Synchronous data parallelism in rounds: each round broadcasts the parameters and the
 * optimizer state; every partition runs {@link #syncEvery(int)} optimizer steps on its own rows (batches of
 * {@code Fit.batchSize()} rows, shuffled per epoch with a seed of the fit's seed, the epoch and the partition); the
 * driver then averages the partitions' parameters and optimizer states, weighted by the rows each ran, along a fixed
 * tree over partition indices (same bits whatever order tasks finish in; above 8 partitions, groups of partitions are
 * summed on executors first). The parameters are broadcast once per round and never collected per batch. With one
 * partition and {@code syncEvery(1)} the result equals {@link Trainer#fit}'s bit for bit. {@code docs/spark.md}
 * explains the choice and BENCHMARKS.md measures it.
 *
 * <p><b>Callbacks.</b> Epoch hooks and every policy see the global values: loss and metrics are means over all rows of
 * all partitions; validation runs on the executors. Checkpoints, CSV and TensorBoard files are written by the driver
 * only. Batch hooks run on the driver once per round ({@code batch} is the round's index, the logs the epoch-to-date
 * means over all partitions, {@code batchesPerEpoch()} the rounds per epoch); a stop request ends the whole job after
 * the current round.
 *
 * <p>The trainer's optimizer state for the model ({@link Trainer#optimizerState}) is the one the rounds start from and
 * end in, so a Spark fit continues where a previous fit of the same model with the same trainer stopped.
 */
public final class SparkTrainer {

    private final Trainer trainer;
    private final int syncEvery;

    private SparkTrainer(Trainer trainer, int syncEvery) {
        this.trainer = trainer;
        this.syncEvery = syncEvery;
    }

    /** A Spark trainer with {@code trainer}'s loss, metrics and optimizer, synchronising after every batch. */
    public static SparkTrainer of(Trainer trainer) {
        return new SparkTrainer(
                Objects.requireNonNull(trainer, "trainer is null; pass Trainer.builder()...build()"), 1);
    }

    /**
     * Local optimizer steps per partition between two synchronisations (default 1: every batch). More steps exchange
     * the parameters less often (faster on a real network) at some cost in accuracy per epoch; see
     * {@code docs/spark.md}.
     */
    public SparkTrainer syncEvery(int batches) {
        if (batches < 1) {
            throw new IllegalArgumentException(
                    "syncEvery " + batches + " must be at least 1 (batches between synchronisations); pass e.g. 1");
        }
        return new SparkTrainer(trainer, batches);
    }

    public Trainer trainer() {
        return trainer;
    }

    public int syncEvery() {
        return syncEvery;
    }

    /**
     * Trains {@code model} on the examples of {@code data}, validating on {@code Fit.validationData(..)} if given
     * (distributed as {@code data}'s partition count), and calls the hooks of {@code callbacks} on the driver; see
     * {@link Trainer#fit} for the order and the exceptions.
     *
     * @throws IllegalArgumentException before any training if the data or settings do not fit (a row of the wrong
     *     width, labels out of range, {@code Fit.validationSplit}, which has no row order to split on here)
     */
    public History fit(Sequential model, JavaRDD<Example> data, Fit fit, Object... callbacks) {
        return fit(model, data, null, fit, callbacks);
    }

    /** As {@link #fit(Sequential, JavaRDD, Fit, Object...)}, validating on {@code validation} (may be null). */
    public History fit(Sequential model, JavaRDD<Example> data, JavaRDD<Example> validation, Fit fit,
            Object... callbacks) {
        Objects.requireNonNull(model, "model is null; pass a Sequential");
        Objects.requireNonNull(data, "data is null; pass a JavaRDD<Example> (SparkData makes one)");
        Objects.requireNonNull(fit, "fit is null; pass e.g. Fit.epochs(10)");
        Objects.requireNonNull(callbacks, "callbacks array is null; pass no callbacks, or callback objects");
        if (validation != null && fit.validationData().isPresent()) {
            throw new IllegalArgumentException("validation rows given twice (an RDD and Fit.validationData(..)); pass "
                    + "one or the other");
        }
        // Settings of the runtime's trainer that this one does not have (docs/data.md), refused before Spark work.
        if (fit.validationData().isPresent() && !(fit.validationData().get() instanceof Dataset)) {
            throw new IllegalArgumentException("Fit.validationData(" + fit.validationData().get().describe() + ") "
                    + "streams from a file or iterator, which SparkTrainer does not distribute; pass the validation "
                    + "rows as an RDD (SparkTrainer.fit(model, train, validation, fit, ..)) or as a Dataset");
        }
        if (fit.validationFreq() != 1) {
            throw new IllegalArgumentException("Fit.validationFreq(" + fit.validationFreq() + ") is not supported by "
                    + "SparkTrainer, which validates after every epoch; leave validationFreq out");
        }
        if (fit.weighted()) {
            throw new IllegalArgumentException("Fit.classWeight(..) and Fit.sampleWeight(..) are not supported by "
                    + "SparkTrainer; leave them out, or repeat the rows to weigh in the RDD");
        }
        return new SparkFitRun(trainer, model, data, validation, fit, syncEvery, callbacks).run();
    }

    @Override
    public String toString() {
        return "SparkTrainer(" + trainer + ", syncEvery=" + syncEvery + ")";
    }
}
