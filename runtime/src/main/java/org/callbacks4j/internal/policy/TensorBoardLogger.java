package org.callbacks4j.internal.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.io.AtomicFiles;
import org.callbacks4j.internal.io.TensorBoardWriter;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;

/**
 * Keras 3.15 {@code TensorBoard}, scalars only: event files under {@code <logDir>/train} and
 * {@code <logDir>/validation}, written by {@link TensorBoardWriter} (see it for the tags, steps and crash safety).
 * Built from {@code @TensorBoard}.
 *
 * <p>Per fit: {@link #prepare} checks that {@code logDir} can be written (creating it), failing the fit before the
 * first epoch if not; {@link #onTrainBegin} opens a new event file per run; {@link #onBatchEnd} (only with
 * {@code updateFreq > 0}, with batch logs) writes {@code batch_*} scalars every {@code updateFreq} global batches;
 * {@link #onEpochEnd} writes {@code epoch_*} scalars, {@code epoch_learning_rate}, and, in epochs that validated,
 * {@code evaluation_*_vs_iterations} at the optimizer's step count; {@link #onTrainEnd} closes the files.
 *
 * <p>{@code epoch_learning_rate} is the {@code learning_rate} of the logs when a learning-rate policy wrote one (the
 * rate used in the epoch, as History and the CSV log record it), else the optimizer's current rate. Keras reads the
 * optimizer's rate at the time, which after a {@code ReduceLROnPlateau} earlier in the callback list is already the
 * reduced one.
 */
public final class TensorBoardLogger implements Policy {

    private static final String LEARNING_RATE = "learning_rate";

    private final Path logDir;
    private final int updateFreq;
    private FitPlan plan;
    private TensorBoardWriter writer;
    private int learningRateSlot = -1;
    /** Where to continue the event files in a resumed fit: set by {@link #restoreState}, used by onTrainBegin. */
    private TensorBoardWriter.Position resumeAt;

    /**
     * @param logDir the log folder, e.g. {@code runs/digits/tb}
     * @param updateFreq 0 to write epoch scalars only (Keras {@code update_freq="epoch"}); N &gt; 0 to also write
     *     batch scalars every N batches (Keras {@code "batch"} is 1)
     * @throws IllegalArgumentException if the folder is empty or {@code updateFreq} is negative
     */
    public TensorBoardLogger(String logDir, int updateFreq) {
        if (logDir == null || logDir.isEmpty()) {
            throw new IllegalArgumentException("@TensorBoard needs a log folder, e.g. \"runs/tb\"");
        }
        if (updateFreq < 0) {
            throw new IllegalArgumentException("@TensorBoard updateFreq " + updateFreq
                    + " is negative; use 0 to log once per epoch, or N > 0 to also log every N batches");
        }
        this.logDir = Path.of(logDir);
        this.updateFreq = updateFreq;
    }

    /**
     * Checks, before training, that the log folder can be written.
     *
     * @throws IllegalStateException naming the folder and the fix if it cannot
     */
    @Override
    public void prepare(FitPlan plan) {
        try {
            AtomicFiles.checkWritableDirectory(logDir, "TensorBoard log");
        } catch (IOException e) {
            throw new IllegalStateException("@TensorBoard: " + e.getMessage(), e);
        }
        plan.ownOutput(logDir, "@TensorBoard folder");
        this.plan = plan;
        this.learningRateSlot = plan.logs().slot(LEARNING_RATE);
    }

    /**
     * Opens this fit's event files (closing those a failed fit left open); in a fit that resumes from a backup,
     * reopens the files of the interrupted run where the backup left them, so that TensorBoard shows one run.
     */
    @Override
    public void onTrainBegin(TrainingContext context) {
        closeQuietly();
        TensorBoardWriter.Position position = resumeAt;
        resumeAt = null;
        try {
            writer = plan != null && plan.resuming() && position != null
                    ? TensorBoardWriter.resume(logDir, updateFreq, position)
                    : TensorBoardWriter.open(logDir, updateFreq);
            if (plan != null && plan.hasValidation()) {
                // Before the first backup: a process killed after its first validation write must not leave that
                // file behind when the resumed run continues from the backup.
                writer.openValidation();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("@TensorBoard: " + e.getMessage(), e);
        }
    }

    /** Counts the batch and writes its scalars every {@code updateFreq} batches. */
    @Override
    public void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {
        TensorBoardWriter w = open();
        if (w.nextBatch()) {
            try {
                w.writeBatch(logs);
            } catch (IOException e) {
                throw new UncheckedIOException("@TensorBoard: " + e.getMessage(), e);
            }
        }
    }

    /** Writes the epoch's scalars, the learning rate and, after validation, the evaluation scalars. */
    @Override
    public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
        TensorBoardWriter w = open();
        double learningRate = logs.has(learningRateSlot) ? logs.get(learningRateSlot) : context.learningRate();
        try {
            w.writeEpoch(epoch, logs, learningRate);
            Logs validation = ValidationLogs.of(logs);
            if (!validation.names().isEmpty()) {
                w.writeEvaluation(plan.iterations(), validation);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("@TensorBoard: " + e.getMessage(), e);
        }
    }

    /** Closes the event files. */
    @Override
    public void onTrainEnd(Logs logs, TrainingContext context) {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("@TensorBoard: cannot close the event files in " + logDir + ": "
                    + e.getMessage(), e);
        } finally {
            writer = null;
        }
    }

    @Override
    public String stateConfiguration() {
        return "TensorBoardLogger/1(logDir=" + logDir + ", updateFreq=" + updateFreq + ")";
    }

    /**
     * The event files' names, lengths and checksums (forced to the device now) and the global batch count; nothing
     * ({@code open} false) outside a fit.
     */
    @Override
    public void saveState(StateWriter out) {
        TensorBoardWriter.Position p;
        try {
            p = writer == null ? null : writer.position();
        } catch (IOException e) {
            throw new UncheckedIOException("@TensorBoard: " + e.getMessage(), e);
        }
        out.putBoolean("open", p != null)
                .putString("trainFile", p == null ? null : p.trainFile())
                .putLong("trainLength", p == null ? 0 : p.trainLength())
                .putInt("trainCrc32c", p == null ? 0 : p.trainCrc32c())
                .putString("validationFile", p == null ? null : p.validationFile())
                .putLong("validationLength", p == null ? 0 : p.validationLength())
                .putInt("validationCrc32c", p == null ? 0 : p.validationCrc32c())
                .putLong("globalBatch", p == null ? 0 : p.globalBatch());
    }

    /**
     * Takes the saved position and checks, changing nothing, that the event files still start with what the backup
     * saw; {@link #onTrainBegin} reopens them there.
     *
     * @throws IllegalStateException naming the file if one is missing, shorter or changed since the backup
     */
    @Override
    public void restoreState(StateReader in) {
        boolean open = in.readBoolean("open");
        String trainFile = in.readString("trainFile");
        long trainLength = in.readLong("trainLength");
        int trainCrc = in.readInt("trainCrc32c");
        String validationFile = in.readString("validationFile");
        long validationLength = in.readLong("validationLength");
        int validationCrc = in.readInt("validationCrc32c");
        long globalBatch = in.readLong("globalBatch");
        if (!open) {
            resumeAt = null;
            return;
        }
        TensorBoardWriter.Position position = new TensorBoardWriter.Position(trainFile, trainLength, trainCrc,
                validationFile, validationLength, validationCrc, globalBatch);
        try {
            TensorBoardWriter.verify(logDir, position);
        } catch (IOException e) {
            throw new IllegalStateException("@TensorBoard cannot continue its event files from the backup: "
                    + e.getMessage() + ". Restore the files, or delete the backup folder to start the training over",
                    e);
        }
        resumeAt = position;
    }

    /** The log folder. */
    public Path logDir() {
        return logDir;
    }

    /** The writer of the current fit, or null outside a fit (for tests and tools that read the files). */
    public TensorBoardWriter writer() {
        return writer;
    }

    private TensorBoardWriter open() {
        if (writer == null) {
            throw new IllegalStateException("@TensorBoard " + logDir + " is not open: onTrainBegin(..) opens it");
        }
        return writer;
    }

    private void closeQuietly() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                // Records written are already in the files; a new fit writes new files.
            }
            writer = null;
        }
    }

    /** The {@code val_} values of epoch logs, as Keras's evaluation logs (a copy, once per validated epoch). */
    private static final class ValidationLogs implements Logs {

        private final Map<String, Double> values;
        private final List<String> names;

        private ValidationLogs(Map<String, Double> values) {
            this.values = values;
            this.names = List.copyOf(values.keySet());
        }

        static Logs of(Logs logs) {
            Map<String, Double> values = new TreeMap<>();
            for (String name : logs.names()) {
                if (name.startsWith("val_")) {
                    values.put(name, logs.get(name));
                }
            }
            return new ValidationLogs(values);
        }

        @Override
        public double get(String name) {
            Double value = values.get(name);
            if (value == null) {
                throw new NoSuchElementException("no value for \"" + name + "\"; the validation logs hold " + names);
            }
            return value;
        }

        @Override
        public double get(int slot) {
            return slot >= 0 && slot < names.size() ? values.get(names.get(slot)) : Double.NaN;
        }

        @Override
        public boolean has(int slot) {
            return slot >= 0 && slot < names.size();
        }

        @Override
        public boolean contains(String name) {
            return values.containsKey(name);
        }

        @Override
        public int slot(String name) {
            return names.indexOf(name);
        }

        @Override
        public List<String> names() {
            return names;
        }

        @Override
        public Map<String, Double> toMap() {
            return new TreeMap<>(values);
        }
    }
}
