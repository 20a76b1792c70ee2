package org.callbacks4j.train;

import java.io.PrintStream;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
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

    private final int epochs;
    private final int batchSize;
    private final double validationSplit;
    private final Dataset validationData;
    private final boolean shuffle;
    private final long seed;
    private final int initialEpoch;
    private final int verbose;
    private final PrintStream progressOut; // null: System.out as it is when the fit starts
    private final Boolean terminal; // null: detect

    private Fit(
            int epochs,
            int batchSize,
            double validationSplit,
            Dataset validationData,
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
        return new Fit(epochs, batchSize, validationSplit, validationData, shuffle, seed, initialEpoch, verbose,
                progressOut, terminal);
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
        return new Fit(epochs, batchSize, fraction, null, shuffle, seed, initialEpoch, verbose,
                progressOut, terminal);
    }

    /** Validates on {@code data} at the end of each epoch (Keras {@code validation_data}). */
    public Fit validationData(Dataset data) {
        Objects.requireNonNull(data, "validation data is null; pass a Dataset or leave validationData out");
        if (!Double.isNaN(validationSplit)) {
            throw new IllegalArgumentException(
                    "validationData(..) given after validationSplit(" + validationSplit + "); pass one or the other");
        }
        return new Fit(epochs, batchSize, Double.NaN, data, shuffle, seed, initialEpoch, verbose,
                progressOut, terminal);
    }

    /** Whether to shuffle the training rows before each epoch (default true, as Keras). */
    public Fit shuffle(boolean shuffle) {
        return new Fit(epochs, batchSize, validationSplit, validationData, shuffle, seed, initialEpoch, verbose,
                progressOut, terminal);
    }

    /**
     * Seed of the per-epoch shuffles (default {@link #DEFAULT_SEED}). Epoch {@code e}'s order depends only on the
     * seed and {@code e}, so a run resumed at {@link #initialEpoch(int)} sees the same orders.
     */
    public Fit seed(long seed) {
        return new Fit(epochs, batchSize, validationSplit, validationData, shuffle, seed, initialEpoch, verbose,
                progressOut, terminal);
    }

    /** The epoch to start at, 0-based (Keras {@code initial_epoch}), for resuming a previous run. */
    public Fit initialEpoch(int initialEpoch) {
        if (initialEpoch < 0 || initialEpoch >= epochs) {
            throw new IllegalArgumentException(
                    "initialEpoch " + initialEpoch + " is outside [0, " + epochs + "): epochs are numbered from 0 "
                            + "and Fit.epochs(" + epochs + ") ends at epoch " + (epochs - 1)
                            + "; pass a smaller initialEpoch or more epochs");
        }
        return new Fit(epochs, batchSize, validationSplit, validationData, shuffle, seed, initialEpoch, verbose,
                progressOut, terminal);
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
        return new Fit(epochs, batchSize, validationSplit, validationData, shuffle, seed, initialEpoch, verbose,
                progressOut, terminal);
    }

    /**
     * Where progress goes (default {@code System.out}) and whether it is a terminal that shows a bar redrawn with
     * {@code \r}. By default that is detected for {@code System.out} ({@link ProgbarLogger#isTerminal}); pass
     * {@code true} for consoles the detection misses (some IDE consoles) and {@code false} for logs and files.
     */
    public Fit progressOutput(PrintStream out, boolean terminal) {
        Objects.requireNonNull(out, "progress output is null; pass a PrintStream such as System.out");
        return new Fit(epochs, batchSize, validationSplit, validationData, shuffle, seed, initialEpoch, verbose,
                out, terminal);
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
    public Optional<Dataset> validationData() {
        return Optional.ofNullable(validationData);
    }

    /** Whether {@link #validationSplit(double)} or {@link #validationData(Dataset)} was given. */
    public boolean validates() {
        return validationData != null || !Double.isNaN(validationSplit);
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
                + ", shuffle=" + shuffle + ", seed=" + seed + ", initialEpoch=" + initialEpoch
                + ", verbose=" + verbose + ")";
    }
}
