package org.callbacks4j.internal.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.io.AtomicFiles;
import org.callbacks4j.internal.io.CsvLogWriter;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;

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
public final class CsvLoggerPolicy implements Policy {

    private final Path file;
    private final String separator;
    private final boolean append;
    private CsvLogWriter writer;
    private FitPlan plan;
    /** Where to continue the file in a resumed fit: set by {@link #restoreState}, used by {@link #onTrainBegin}. */
    private CsvLogWriter.Position resumeAt;

    /**
     * @param path the CSV file, e.g. {@code runs/digits/history.csv}
     * @param separator the field separator, one character (Keras default {@code ","})
     * @param append whether to append to an existing file instead of overwriting it
     * @throws IllegalArgumentException if the path is empty or the separator is not a single allowed character
     */
    public CsvLoggerPolicy(String path, String separator, boolean append) {
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
        plan.ownOutput(file, "@CsvLogger file");
        this.plan = plan;
    }

    /**
     * Opens the file for this fit (closing one a failed fit left open); in a fit that resumes from a backup, reopens
     * it where the backup left it, cutting off the rows written after the backup (the resumed run writes them again).
     */
    @Override
    public void onTrainBegin(TrainingContext context) {
        closeQuietly();
        CsvLogWriter.Position position = resumeAt;
        resumeAt = null;
        try {
            boolean resuming = plan != null && plan.resuming() && position != null;
            writer = resuming ? CsvLogWriter.resume(file, separator, position)
                    : CsvLogWriter.open(file, separator, append);
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

    @Override
    public String stateConfiguration() {
        return "CsvLogger/1(file=" + file + ", separator=" + separator + ", append=" + append + ")";
    }

    /**
     * Where the file is: its length and checksum (forced to the device with each row already), and the header and
     * columns still to write or already fixed. Nothing ({@code open} false) outside a fit.
     */
    @Override
    public void saveState(StateWriter out) {
        CsvLogWriter.Position p;
        try {
            p = writer == null ? null : writer.position();
        } catch (IOException e) {
            throw new UncheckedIOException("@CsvLogger: " + e.getMessage(), e);
        }
        out.putBoolean("open", p != null)
                .putLong("length", p == null ? 0 : p.length())
                .putInt("crc32c", p == null ? 0 : p.crc32c())
                .putBoolean("headerPending", p != null && p.headerPending())
                .putStrings("columns", p == null ? null : p.columns())
                .putString("existingHeader", p == null ? null : p.existingHeader())
                .putString("pendingPrefix", p == null ? "" : p.pendingPrefix());
    }

    /**
     * Takes the saved position and checks, without changing the file, that the file still starts with what the backup
     * saw; {@link #onTrainBegin} reopens it there.
     *
     * @throws IllegalStateException naming the file if it is missing, shorter or changed since the backup
     */
    @Override
    public void restoreState(StateReader in) {
        boolean open = in.readBoolean("open");
        long length = in.readLong("length");
        int crc = in.readInt("crc32c");
        boolean headerPending = in.readBoolean("headerPending");
        List<String> columns = in.readStrings("columns");
        String existingHeader = in.readString("existingHeader");
        String pendingPrefix = in.readString("pendingPrefix");
        if (!open) {
            resumeAt = null;
            return;
        }
        CsvLogWriter.Position position = new CsvLogWriter.Position(length, crc, headerPending, columns, existingHeader,
                pendingPrefix == null ? "" : pendingPrefix);
        try {
            CsvLogWriter.verify(file, position);
        } catch (IOException e) {
            throw new IllegalStateException("@CsvLogger cannot continue its file from the backup: " + e.getMessage()
                    + ". Restore the file, or delete the backup folder to start the training over", e);
        }
        resumeAt = position;
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
