package org.callbacks4j.train;

import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.callbacks4j.data.BatchSource;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.progress.ProgbarLogger;

/**
 * The settings of one {@code fit} call, Keras's {@code fit} arguments. Immutable: each setter returns a new
 * {@code Fit}.
 *
 * <pre>{@code Fit.epochs(100).batchSize(64).validationSplit(0.2).seed(7)}</pre>
 */
public final class Fit {

    /** The shuffle seed when none is given: a constant, so that two identical runs train identically. */
    public static final long DEFAULT_SEED = 0x5EEDL;

    // Not final: each setter changes one field of a copy (copy()), so that adding a setting touches one place.
    private int epochs;
    private int batchSize;
    private double validationSplit;
    private BatchSource validationData;
    private boolean shuffle;
    private long seed;
    private int initialEpoch;
    private int verbose;
    private PrintStream progressOut; // null: System.out as it is when the fit starts
    private Boolean terminal; // null: detect
    private int validationFreq = 1;
    private float[] classWeight; // null: none; else one weight per class index
    private float[] sampleWeight; // null: none; else one weight per training row

    private Fit(
            int epochs,
            int batchSize,
            double validationSplit,
            BatchSource validationData,
            boolean shuffle,
            long seed,
            int initialEpoch,
            int verbose,
            PrintStream progressOut,
            Boolean terminal) {
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.validationSplit = validationSplit;
        this.validationData = validationData;
        this.shuffle = shuffle;
        this.seed = seed;
        this.initialEpoch = initialEpoch;
        this.verbose = verbose;
        this.progressOut = progressOut;
        this.terminal = terminal;
    }

    /**
     * Trains for {@code epochs} epochs (Keras {@code epochs}): the last epoch index is {@code epochs - 1}, counting
     * from 0 even when {@link #initialEpoch(int)} is set.
     */
    public static Fit epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException(
                    "epochs " + epochs + " must be at least 1; pass e.g. Fit.epochs(10)");
        }
        return new Fit(epochs, 32, Double.NaN, null, true, DEFAULT_SEED, 0, 1, null, null);
    }

    /** Examples per optimizer step (default 32, as Keras); the last batch of an epoch may be smaller. */
    public Fit batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(
                    "batchSize " + batchSize + " must be at least 1; pass e.g. Fit.epochs(" + epochs
                            + ").batchSize(32)");
        }
        Fit f = copy();
        f.batchSize = batchSize;
        return f;
    }

    /**
     * Holds out the last {@code fraction} of the training data for validation, before any shuffling (Keras
     * {@code validation_split}).
     */
    public Fit validationSplit(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException(
                    "validationSplit " + fraction + " is outside (0, 1); pass e.g. Fit.epochs(" + epochs
                            + ").validationSplit(0.2)");
        }
        if (validationData != null) {
            throw new IllegalArgumentException(
                    "validationSplit(" + fraction + ") given after validationData(..); pass one or the other");
        }
        Fit f = copy();
        f.validationSplit = fraction;
        return f;
    }

    /**
     * Validates on {@code data} at the end of each epoch (Keras {@code validation_data}): a {@link Dataset} or any
     * other {@link BatchSource} (a file, an iterator), read in order, unweighted.
     */
    public Fit validationData(BatchSource data) {
        Objects.requireNonNull(data, "validation data is null; pass a Dataset or another BatchSource, or leave "
                + "validationData out");
        if (!Double.isNaN(validationSplit)) {
            throw new IllegalArgumentException(
                    "validationData(..) given after validationSplit(" + validationSplit + "); pass one or the other");
        }
        Fit f = copy();
        f.validationData = data;
        return f;
    }

    /** Whether to shuffle the training rows before each epoch (default true, as Keras). */
    public Fit shuffle(boolean shuffle) {
        Fit f = copy();
        f.shuffle = shuffle;
        return f;
    }

    /**
     * Seed of the per-epoch shuffles (default {@link #DEFAULT_SEED}). Epoch {@code e}'s order depends only on the
     * seed and {@code e}, so a run resumed at {@link #initialEpoch(int)} sees the same orders.
     */
    public Fit seed(long seed) {
        Fit f = copy();
        f.seed = seed;
        return f;
    }

    /** The epoch to start at, 0-based (Keras {@code initial_epoch}), for resuming a previous run. */
    public Fit initialEpoch(int initialEpoch) {
        if (initialEpoch < 0 || initialEpoch >= epochs) {
            throw new IllegalArgumentException(
                    "initialEpoch " + initialEpoch + " is outside [0, " + epochs + "): epochs are numbered from 0 "
                            + "and Fit.epochs(" + epochs + ") ends at epoch " + (epochs - 1)
                            + "; pass a smaller initialEpoch or more epochs");
        }
        Fit f = copy();
        f.initialEpoch = initialEpoch;
        return f;
    }

    /**
     * Progress output, Keras's {@code verbose} (default 1): 0 silent; 1 a progress bar redrawn in place while each
     * epoch runs, then the epoch's line; 2 one line per epoch. When the output is not a terminal (a pipe, a file, a CI
     * log), 1 prints as 2: one line per epoch, no control characters. See {@link ProgbarLogger}.
     */
    public Fit verbose(int verbose) {
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException(
                    "verbose " + verbose + " is not 0, 1 or 2; pass 0 for silence, 1 for a progress bar or 2 for one "
                            + "line per epoch");
        }
        Fit f = copy();
        f.verbose = verbose;
        return f;
    }

    /**
     * Validates every {@code n} epochs (Keras {@code validation_freq}): after epochs {@code n-1}, {@code 2n-1}, ...
     * (counting from 0). Epochs that do not validate have no {@code val_} values in their logs and History; a
     * monitor on one skips those epochs as Keras's callbacks do. Default 1.
     */
    public Fit validationFreq(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("validationFreq " + n + " must be at least 1; pass 1 to validate "
                    + "every epoch, or N to validate every N epochs");
        }
        Fit f = copy();
        f.validationFreq = n;
        return f;
    }

    /**
     * Weights of the training loss by class (Keras {@code class_weight}): a row of class {@code c} (the argmax of a
     * one-hot label row, or the rounded value of a single label column) counts {@code weights.get(c)} times, classes
     * not in the map once. The loss is {@code sum(w_i * loss_i) / rows} over each batch, and the metrics are weighted
     * means {@code sum(w_i * m_i) / sum(w_i)}, as Keras. Validation is not weighted. Not together with
     * {@link #sampleWeight(float[])} (Keras refuses that too).
     */
    public Fit classWeight(Map<Integer, Double> weights) {
        Objects.requireNonNull(weights, "class weights are null; pass a map from class index to weight");
        if (sampleWeight != null) {
            throw new IllegalArgumentException("classWeight(..) given after sampleWeight(..); Keras cannot use both "
                    + "either: fold the class weights into the sample weights");
        }
        int max = -1;
        for (Map.Entry<Integer, Double> e : weights.entrySet()) {
            Integer c = e.getKey();
            Double w = e.getValue();
            if (c == null || c < 0) {
                throw new IllegalArgumentException("class weight key " + c + " is not a class index; pass keys 0, 1, "
                        + "...");
            }
            if (w == null || !(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("class weight " + w + " of class " + c + " must be finite and "
                        + "not negative; pass e.g. 2.0 to count the class twice");
            }
            max = Math.max(max, c);
        }
        float[] table = new float[max + 1];
        java.util.Arrays.fill(table, 1f);
        weights.forEach((c, w) -> table[c] = w.floatValue());
        Fit f = copy();
        f.classWeight = table;
        return f;
    }

    /**
     * Weights of the training loss per row (Keras {@code sample_weight}): {@code weights[i]} for row {@code i} of the
     * training data, in the order of the data given to {@code fit} (before shuffling; with
     * {@link #validationSplit(double)}, the held-out rows' weights are not used). Loss and metrics are weighted as
     * in {@link #classWeight(Map)}.
     */
    public Fit sampleWeight(float[] weights) {
        Objects.requireNonNull(weights, "sample weights are null; pass one weight per training row");
        if (classWeight != null) {
            throw new IllegalArgumentException("sampleWeight(..) given after classWeight(..); Keras cannot use both "
                    + "either: fold the class weights into the sample weights");
        }
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Float.isInfinite(weights[i])) {
                throw new IllegalArgumentException("sample weight " + weights[i] + " of row " + i + " must be finite "
                        + "and not negative; fix that weight");
            }
        }
        Fit f = copy();
        f.sampleWeight = weights.clone();
        return f;
    }

    private Fit copy() {
        Fit f = new Fit(epochs, batchSize, validationSplit, validationData, shuffle, seed, initialEpoch, verbose,
                progressOut, terminal);
        f.validationFreq = validationFreq;
        f.classWeight = classWeight;
        f.sampleWeight = sampleWeight;
        return f;
    }

    /**
     * Where progress goes (default {@code System.out}) and whether it is a terminal that shows a bar redrawn with
     * {@code \r}. By default that is detected for {@code System.out} ({@link ProgbarLogger#isTerminal}); pass
     * {@code true} for consoles the detection misses (some IDE consoles) and {@code false} for logs and files.
     */
    public Fit progressOutput(PrintStream out, boolean terminal) {
        Objects.requireNonNull(out, "progress output is null; pass a PrintStream such as System.out");
        Fit f = copy();
        f.progressOut = out;
        f.terminal = terminal;
        return f;
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The validation split fraction, if one was set. */
    public OptionalDouble validationSplit() {
        return Double.isNaN(validationSplit) ? OptionalDouble.empty() : OptionalDouble.of(validationSplit);
    }

    /** The validation data, if given. */
    public Optional<BatchSource> validationData() {
        return Optional.ofNullable(validationData);
    }

    /** Whether {@link #validationSplit(double)} or {@link #validationData(BatchSource)} was given. */
    public boolean validates() {
        return validationData != null || !Double.isNaN(validationSplit);
    }

    /** Validation runs after epochs where {@code (epoch + 1) % validationFreq() == 0}. */
    public int validationFreq() {
        return validationFreq;
    }

    /** Whether epoch {@code epoch} (0-based) validates, given validation data: Keras's {@code _should_eval}. */
    public boolean validatesAt(int epoch) {
        return (epoch + 1) % validationFreq == 0;
    }

    /** Whether {@link #classWeight(Map)} or {@link #sampleWeight(float[])} was given. */
    public boolean weighted() {
        return classWeight != null || sampleWeight != null;
    }

    /** Class weights indexed by class (1 for classes not given), or null. */
    float[] classWeightTable() {
        return classWeight;
    }

    /** Per-row sample weights, or null. */
    float[] sampleWeightArray() {
        return sampleWeight;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public long seed() {
        return seed;
    }

    public int initialEpoch() {
        return initialEpoch;
    }

    public int verbose() {
        return verbose;
    }

    /** The progress output: the one given to {@link #progressOutput}, or {@code System.out} as it is now. */
    public PrintStream progressOutput() {
        return progressOut != null ? progressOut : System.out;
    }

    /** Whether {@link #progressOutput()} is a terminal: as given to {@link #progressOutput}, or detected now. */
    public boolean progressTerminal() {
        return terminal != null ? terminal : ProgbarLogger.isTerminal(progressOutput());
    }

    @Override
    public String toString() {
        return "Fit(epochs=" + epochs + ", batchSize=" + batchSize
                + (Double.isNaN(validationSplit) ? "" : ", validationSplit=" + validationSplit)
                + (validationData == null ? "" : ", validationData=" + validationData)
                + (validationFreq == 1 ? "" : ", validationFreq=" + validationFreq)
                + (classWeight == null ? "" : ", classWeight=" + java.util.Arrays.toString(classWeight))
                + (sampleWeight == null ? "" : ", sampleWeight=" + sampleWeight.length + " rows")
                + ", shuffle=" + shuffle + ", seed=" + seed + ", initialEpoch=" + initialEpoch
                + ", verbose=" + verbose + ")";
    }
}
