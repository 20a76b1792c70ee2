package org.callbacks4j.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.dispatch.FitPlan;
import org.callbacks4j.io.AtomicFiles;
import org.callbacks4j.io.CsvLogWriter;

/**
 * Keras 3.15 {@code CSVLogger}: one row per epoch with every value of the epoch logs, written by
 * {@link CsvLogWriter} (see it for the exact format: sorted columns fixed at the first epoch, {@code NA} for missing
 * values, Python float text, {@code \r\n} line ends, each row forced to the device). Built from {@code @CsvLogger}.
 *
 * <p>Per fit: {@link #prepare} checks that the file can be written (missing folders are created; a folder path or an
 * unwritable file fails the fit before the first epoch, naming the path); {@link #onTrainBegin} opens the file,
 * truncating it unless {@code append} (appending to a non-empty file writes no second header, as Keras);
 * {@link #onEpochEnd} writes the row, after every other policy and the user's epoch-end hooks, so that
 * {@code learning_rate} and {@code @Metric} values are in it; {@link #onTrainEnd} closes the file. If the fit fails,
 * the rows written so far stay complete, and the next fit's {@link #onTrainBegin} closes the stale file.
 */
public final class CsvLogger implements Policy {

    private final Path file;
    private final String separator;
    private final boolean append;
    private CsvLogWriter writer;

    /**
     * @param path the CSV file, e.g. {@code runs/digits/history.csv}
     * @param separator the field separator, one character (Keras default {@code ","})
     * @param append whether to append to an existing file instead of overwriting it
     * @throws IllegalArgumentException if the path is empty or the separator is not a single allowed character
     */
    public CsvLogger(String path, String separator, boolean append) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("@CsvLogger needs a file path, e.g. \"runs/history.csv\"");
        }
        CsvLogWriter.checkSeparator(separator);
        this.file = Path.of(path);
        this.separator = separator;
        this.append = append;
    }

    /**
     * Checks, before training, that the file can be written.
     *
     * @throws IllegalStateException naming the path and the fix if it cannot
     */
    @Override
    public void prepare(FitPlan plan) {
        try {
            AtomicFiles.checkWritable(file, "CSV log");
        } catch (IOException e) {
            throw new IllegalStateException("@CsvLogger: " + e.getMessage(), e);
        }
    }

    /** Opens the file for this fit (closing one a failed fit left open). */
    @Override
    public void onTrainBegin(TrainingContext context) {
        closeQuietly();
        try {
            writer = CsvLogWriter.open(file, separator, append);
        } catch (IOException e) {
            throw new UncheckedIOException("@CsvLogger: " + e.getMessage(), e);
        }
    }

    /** Writes the epoch's row. */
    @Override
    public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
        if (writer == null) {
            throw new IllegalStateException("@CsvLogger " + file + " is not open: onTrainBegin(..) opens it");
        }
        try {
            writer.writeEpoch(epoch, logs);
        } catch (IOException e) {
            throw new UncheckedIOException("@CsvLogger: " + e.getMessage(), e);
        }
    }

    /** Closes the file. */
    @Override
    public void onTrainEnd(Logs logs, TrainingContext context) {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("@CsvLogger: cannot close " + file + ": " + e.getMessage(), e);
        } finally {
            writer = null;
        }
    }

    /** The CSV file. */
    public Path file() {
        return file;
    }

    private void closeQuietly() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                // The rows written are already on the device; a new writer starts now.
            }
            writer = null;
        }
    }
}
