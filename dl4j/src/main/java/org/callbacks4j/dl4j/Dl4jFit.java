package org.callbacks4j.dl4j;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.callbacks4j.internal.progress.ProgbarLogger;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The settings of one {@link Dl4jTrainer} fit, as Keras's {@code fit} arguments: {@code Dl4jFit.epochs(20)
 * .validationData(test).metrics("accuracy", "f1").verbose(2)}. Immutable; each method returns a changed copy.
 *
 * <p>The batches are the training iterator's: its batch size, shuffling and preprocessing are DL4J's.
 */
public final class Dl4jFit {

    /** The metric names DL4J's evaluators compute for {@link #metrics(String...)}. */
    public static final List<String> METRICS = List.of("accuracy", "precision", "recall", "f1", "auc", "mse", "mae");

    private final int epochs;
    private final int initialEpoch;
    private final DataSetIterator validationData;
    private final List<String> metrics;
    private final boolean trainingMetrics;
    private final int verbose;
    private final PrintStream progressOutput;
    private final boolean progressTerminal;

    private Dl4jFit(int epochs, int initialEpoch, DataSetIterator validationData, List<String> metrics,
            boolean trainingMetrics, int verbose, PrintStream progressOutput, boolean progressTerminal) {
        this.epochs = epochs;
        this.initialEpoch = initialEpoch;
        this.validationData = validationData;
        this.metrics = metrics;
        this.trainingMetrics = trainingMetrics;
        this.verbose = verbose;
        this.progressOutput = progressOutput;
        this.progressTerminal = progressTerminal;
    }

    /**
     * Trains up to epoch {@code epochs} (exclusive, counted from 0 as Keras; see {@link #initialEpoch}).
     *
     * @throws IllegalArgumentException if {@code epochs < 1}
     */
    public static Dl4jFit epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        return new Dl4jFit(epochs, 0, null, List.of(), false, 1, System.out,
                ProgbarLogger.isTerminal(System.out));
    }

    /** The epoch to start from (to continue an earlier fit); {@code 0 <= initialEpoch < epochs}. */
    public Dl4jFit initialEpoch(int initialEpoch) {
        if (initialEpoch < 0 || initialEpoch >= epochs) {
            throw new IllegalArgumentException("initialEpoch must be in [0, " + epochs + "), got " + initialEpoch);
        }
        return new Dl4jFit(epochs, initialEpoch, validationData, metrics, trainingMetrics, verbose, progressOutput,
                progressTerminal);
    }

    /**
     * Validates on {@code data} at the end of every epoch: {@code val_loss} (DL4J's score in inference mode,
     * example-weighted over the batches) and the {@code val_} version of every {@link #metrics metric}. The iterator
     * must be resettable.
     */
    public Dl4jFit validationData(DataSetIterator data) {
        Objects.requireNonNull(data, "validation data is null; leave validationData(..) out to fit without it");
        if (!data.resetSupported()) {
            throw new IllegalArgumentException("validation iterator " + data.getClass().getName() + " cannot be "
                    + "reset, so it cannot validate more than one epoch; pass a resettable iterator");
        }
        return new Dl4jFit(epochs, initialEpoch, data, metrics, trainingMetrics, verbose, progressOutput,
                progressTerminal);
    }

    /**
     * The metrics DL4J's evaluators compute on the validation data each epoch, logged as {@code val_<name>}:
     * {@code accuracy}, {@code precision}, {@code recall}, {@code f1} ({@code Evaluation}, macro-averaged over
     * classes), {@code auc} ({@code ROC} for one or two output columns, else the mean of {@code ROCMultiClass}),
     * {@code mse}, {@code mae} ({@code RegressionEvaluation}, averaged over columns). Monitor the last four on a
     * class marked {@link Dl4jMetrics}.
     *
     * @throws IllegalArgumentException naming an unknown metric and listing the known ones
     */
    public Dl4jFit metrics(String... names) {
        List<String> list = new ArrayList<>();
        for (String name : names) {
            if (!METRICS.contains(name)) {
                throw new IllegalArgumentException("unknown DL4J metric \"" + name + "\"; use one of " + METRICS);
            }
            if (!list.contains(name)) {
                list.add(name);
            }
        }
        return new Dl4jFit(epochs, initialEpoch, validationData, List.copyOf(list), trainingMetrics, verbose,
                progressOutput, progressTerminal);
    }

    /**
     * Also computes the {@link #metrics} on the training data at the end of each epoch (logged without the
     * {@code val_} prefix): one more pass over the training iterator, in inference mode, with the epoch's final
     * weights (Keras's training metrics are running means over the epoch's batches instead).
     */
    public Dl4jFit trainingMetrics(boolean on) {
        return new Dl4jFit(epochs, initialEpoch, validationData, metrics, on, verbose, progressOutput,
                progressTerminal);
    }

    /** Keras's {@code verbose}: 0 silent, 1 a progress bar (on a terminal), 2 one line per epoch. Default 1. */
    public Dl4jFit verbose(int verbose) {
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException("verbose must be 0, 1 or 2, got " + verbose);
        }
        return new Dl4jFit(epochs, initialEpoch, validationData, metrics, trainingMetrics, verbose, progressOutput,
                progressTerminal);
    }

    /** Where the progress bar goes (default {@code System.out}); {@code terminal}: draw it live. */
    public Dl4jFit progressOutput(PrintStream out, boolean terminal) {
        return new Dl4jFit(epochs, initialEpoch, validationData, metrics, trainingMetrics, verbose,
                Objects.requireNonNull(out, "out"), terminal);
    }

    public int epochs() {
        return epochs;
    }

    public int initialEpoch() {
        return initialEpoch;
    }

    public Optional<DataSetIterator> validationData() {
        return Optional.ofNullable(validationData);
    }

    public List<String> metrics() {
        return metrics;
    }

    public boolean trainingMetrics() {
        return trainingMetrics;
    }

    public int verbose() {
        return verbose;
    }

    PrintStream progressOutput() {
        return progressOutput;
    }

    boolean progressTerminal() {
        return progressTerminal;
    }

    @Override
    public String toString() {
        return "Dl4jFit(epochs=" + epochs + ", initialEpoch=" + initialEpoch + ", validation="
                + (validationData != null) + ", metrics=" + metrics + ", trainingMetrics=" + trainingMetrics + ")";
    }
}
