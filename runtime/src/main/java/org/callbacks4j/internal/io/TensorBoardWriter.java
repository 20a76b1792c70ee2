package org.callbacks4j.internal.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.callbacks4j.Logs;

/**
 * Writes training scalars as TensorBoard event files, laid out as Keras's {@code TensorBoard} callback lays them out
 * (scalars only), one writer per fit: open it at train begin, call it at batch and epoch ends, close it at train end.
 *
 * <ul>
 *   <li>Runs: {@code <logDir>/train} and {@code <logDir>/validation}, each with one new
 *       {@code events.out.tfevents.*.v2} file per fit. The validation file is created when the first validation value
 *       arrives, so a fit without validation shows no empty run.
 *   <li>{@link #writeEpoch}: {@code epoch_<name>} at {@code step = epoch} (0-based) in train for every name without
 *       the {@code val_} prefix, plus {@code epoch_learning_rate}; {@code val_<name>} goes to validation as
 *       {@code epoch_<name>}.
 *   <li>{@link #nextBatch} / {@link #writeBatch}: with {@code updateFreq = N > 0}, {@code batch_<name>} in train at
 *       every N-th global batch, {@code step} = the 1-based global batch counted across epochs of this fit (Keras 3.15).
 *   <li>{@link #writeEvaluation}: {@code evaluation_<name>_vs_iterations} in validation at {@code step} = optimizer
 *       iterations, as Keras writes at the end of each validation.
 * </ul>
 *
 * <p>Values are stored as float32 {@code simple_value}s (what every TensorBoard reader accepts as a scalar, see
 * {@code tensorboard-format.md} 1.3); the file format and its framing are in {@link TfRecordBuffer}.
 *
 * <p>Crash safety: an epoch's records reach the file in one write per run before {@link #writeEpoch} returns, and are
 * then forced to the device in the background ({@link BackgroundForce}; synchronously by {@link #position()}, before
 * a backup records the lengths, and by {@link #close()}); a recorded batch reaches the file (the OS, not yet the
 * device) before {@link #writeBatch} returns. So a process that dies after epoch N leaves every record of epochs
 * 0..N-1 and every recorded batch; after a power cut the last records may be missing. Readers tolerate a record cut
 * short by a crash inside a write.
 *
 * <p>Cost: epochs allocate a little (one list of names); batches allocate nothing after the first recorded one, which
 * fixes the batch names and encodes their tags once. Each recorded batch costs one {@code write} call.
 *
 * <p>Threading: not thread-safe. All calls happen on the training thread. Each call reads {@link Logs} only while it
 * runs and turns values into bytes before writing, so the writing could later move to a background thread without
 * changing this API. It starts no threads.
 */
public final class TensorBoardWriter implements Closeable {

    private static final String VAL_PREFIX = "val_";
    private static final String LEARNING_RATE = "learning_rate";

    private final Path logDir;
    private final int updateFreq;
    private final EventFile train;
    private EventFile validation;
    private long globalBatch;
    private boolean closed;

    /** Tags by log name, encoded once: {@code loss} -> {@code epoch_loss}, {@code val_loss} -> {@code epoch_loss}. */
    private final Map<String, byte[]> epochTags = new HashMap<>();
    private final Map<String, byte[]> evaluationTags = new HashMap<>();
    private final byte[] learningRateTag = utf8("epoch_" + LEARNING_RATE);
    /** Fixed at the first recorded batch. */
    private String[] batchNames;
    private int[] batchSlots;
    private byte[][] batchTags;

    private TensorBoardWriter(Path logDir, int updateFreq, EventFile train) {
        this.logDir = logDir;
        this.updateFreq = updateFreq;
        this.train = train;
    }

    /**
     * Opens the writer for a fit (Keras's {@code on_train_begin}): checks that {@code logDir} can be written, and
     * creates {@code <logDir>/train} with a new event file. Call it before the first epoch so that a bad path fails at
     * once.
     *
     * @param updateFreq 0 to write epoch scalars only (Keras {@code update_freq="epoch"}); N &gt; 0 to also write batch
     *     scalars every N global batches (Keras {@code "batch"} is 1)
     * @throws IllegalArgumentException if {@code updateFreq} is negative
     * @throws IOException naming the folder and the fix if it cannot be written
     */
    public static TensorBoardWriter open(Path logDir, int updateFreq) throws IOException {
        if (updateFreq < 0) {
            throw new IllegalArgumentException("TensorBoard updateFreq " + updateFreq
                    + " is negative; use 0 to log once per epoch, or N > 0 to also log every N batches");
        }
        AtomicFiles.checkWritableDirectory(logDir, "TensorBoard log");
        return new TensorBoardWriter(logDir, updateFreq, EventFile.create(logDir.resolve("train")));
    }

    /**
     * Where this writer is, forcing both files to the device first: the event files' names, lengths and checksums,
     * and the global batch count. A backup saves it; {@link #resume} continues from it.
     *
     * @throws IOException naming the file if forcing it fails
     */
    public Position position() throws IOException {
        checkOpen();
        train.flush(true);
        if (validation != null) {
            validation.flush(true);
        }
        return new Position(train.path().getFileName().toString(), train.length(), train.crc32c(),
                validation == null ? null : validation.path().getFileName().toString(),
                validation == null ? 0 : validation.length(), validation == null ? 0 : validation.crc32c(),
                globalBatch);
    }

    /**
     * What {@link #position()} reports: enough to continue the same event files exactly where a backup left them, so
     * that TensorBoard shows one run without repeated steps.
     *
     * @param trainFile the name of the event file in {@code <logDir>/train}
     * @param trainLength its length in bytes
     * @param trainCrc32c the CRC-32C of those bytes
     * @param validationFile the name of the event file in {@code <logDir>/validation}, or null if none was created yet
     * @param validationLength its length (0 if none)
     * @param validationCrc32c the CRC-32C of those bytes (0 if none)
     * @param globalBatch the global batch count ({@link #globalBatch()})
     */
    public record Position(String trainFile, long trainLength, int trainCrc32c, String validationFile,
            long validationLength, int validationCrc32c, long globalBatch) {}

    /**
     * Checks, without changing anything, that the event files of {@code position} under {@code logDir} still start
     * with the bytes it describes.
     *
     * @throws IOException naming the file and what differs
     */
    public static void verify(Path logDir, Position position) throws IOException {
        EventFile.verify(logDir.resolve("train").resolve(position.trainFile()), position.trainLength(),
                position.trainCrc32c());
        if (position.validationFile() != null) {
            EventFile.verify(logDir.resolve("validation").resolve(position.validationFile()),
                    position.validationLength(), position.validationCrc32c());
        }
    }

    /**
     * Reopens the event files of {@code position} (what {@link #position()} returned when a backup was taken),
     * cutting off the records written after that point (the resumed run writes them again), and continues counting
     * batches from there.
     *
     * @throws IllegalArgumentException if {@code updateFreq} is negative
     * @throws IOException naming the file if one is missing, shorter or changed since the backup
     */
    public static TensorBoardWriter resume(Path logDir, int updateFreq, Position position) throws IOException {
        if (updateFreq < 0) {
            throw new IllegalArgumentException("TensorBoard updateFreq " + updateFreq
                    + " is negative; use 0 to log once per epoch, or N > 0 to also log every N batches");
        }
        verify(logDir, position);
        EventFile train = EventFile.resume(logDir.resolve("train").resolve(position.trainFile()),
                position.trainLength(), position.trainCrc32c());
        TensorBoardWriter writer = new TensorBoardWriter(logDir, updateFreq, train);
        try {
            if (position.validationFile() != null) {
                writer.validation = EventFile.resume(logDir.resolve("validation").resolve(position.validationFile()),
                        position.validationLength(), position.validationCrc32c());
            }
        } catch (IOException e) {
            train.close();
            throw e;
        }
        writer.globalBatch = position.globalBatch();
        return writer;
    }

    /**
     * Writes the epoch scalars at {@code step = epoch} to the files (one write per run), and forces them to the device
     * in the background.
     *
     * @param epoch the 0-based epoch
     * @param learningRate the optimizer's learning rate, written as {@code epoch_learning_rate} (it replaces a
     *     {@code learning_rate} in {@code logs}, as Keras does); {@code NaN} to write only what {@code logs} holds
     * @throws IllegalStateException if the writer is closed
     * @throws IOException naming the file if a write fails
     */
    public void writeEpoch(int epoch, Logs logs, double learningRate) throws IOException {
        checkOpen();
        double wallTime = EventFile.wallTime();
        boolean wroteLearningRate = false;
        boolean wroteValidation = false;
        List<String> names = logs.names();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.startsWith(VAL_PREFIX)) {
                validation().scalar(wallTime, epoch, epochTag(name), (float) logs.get(name));
                wroteValidation = true;
            } else if (name.equals(LEARNING_RATE) && !Double.isNaN(learningRate)) {
                train.scalar(wallTime, epoch, learningRateTag, (float) learningRate);
                wroteLearningRate = true;
            } else {
                train.scalar(wallTime, epoch, epochTag(name), (float) logs.get(name));
            }
        }
        if (!wroteLearningRate && !Double.isNaN(learningRate)) {
            train.scalar(wallTime, epoch, learningRateTag, (float) learningRate);
        }
        train.flushForcingLater();
        if (wroteValidation) {
            validation.flushForcingLater();
        }
    }

    /**
     * Counts one finished training batch and says whether it is recorded: true on every {@code updateFreq}-th global
     * batch (never when {@code updateFreq} is 0). When true, pass the batch logs to {@link #writeBatch}; when false,
     * the trainer need not gather them.
     */
    public boolean nextBatch() {
        globalBatch++;
        return updateFreq > 0 && globalBatch % updateFreq == 0;
    }

    /** The 1-based global batch counted by {@link #nextBatch} so far in this fit (0 before the first). */
    public long globalBatch() {
        return globalBatch;
    }

    /**
     * Writes {@code batch_<name>} for the values in {@code logs} at {@code step = }{@link #globalBatch()}, to the file
     * (not forced: the epoch end forces). The first call fixes the names; a name that first appears later is not
     * written.
     *
     * @throws IllegalStateException if the writer is closed or {@link #nextBatch} was never called
     * @throws IOException naming the file if the write fails
     */
    public void writeBatch(Logs logs) throws IOException {
        checkOpen();
        if (globalBatch == 0) {
            throw new IllegalStateException("writeBatch before nextBatch: count the batch with nextBatch() first");
        }
        if (batchNames == null) {
            fixBatchNames(logs);
        }
        double wallTime = EventFile.wallTime();
        for (int i = 0; i < batchNames.length; i++) {
            double value = logs.get(batchSlots[i]);
            // NaN from get(slot) means "no value" unless the name is present (a real NaN loss is worth recording).
            if (!Double.isNaN(value) || logs.has(batchSlots[i])) {
                train.scalar(wallTime, globalBatch, batchTags[i], (float) value);
            }
        }
        train.flush(false);
    }

    private void fixBatchNames(Logs logs) {
        List<String> names = logs.names();
        batchNames = names.toArray(new String[0]);
        batchSlots = new int[batchNames.length];
        batchTags = new byte[batchNames.length][];
        for (int i = 0; i < batchNames.length; i++) {
            batchSlots[i] = logs.slot(batchNames[i]);
            batchTags[i] = utf8("batch_" + batchNames[i]);
        }
    }

    /**
     * Writes {@code evaluation_<name>_vs_iterations} to the validation run at {@code step = iterations} (the number of
     * optimizer steps so far), as Keras does at the end of each validation; a {@code val_} prefix is dropped from the
     * names. Forced to the device.
     *
     * @throws IllegalStateException if the writer is closed
     * @throws IOException naming the file if a write fails
     */
    public void writeEvaluation(long iterations, Logs logs) throws IOException {
        checkOpen();
        double wallTime = EventFile.wallTime();
        List<String> names = logs.names();
        if (names.isEmpty()) {
            return;
        }
        EventFile run = validation();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            byte[] tag = evaluationTags.computeIfAbsent(name, n -> utf8("evaluation_" + stripVal(n) + "_vs_iterations"));
            run.scalar(wallTime, iterations, tag, (float) logs.get(name));
        }
        run.flushForcingLater();
    }

    private byte[] epochTag(String name) {
        return epochTags.computeIfAbsent(name, n -> utf8("epoch_" + stripVal(n)));
    }

    private static String stripVal(String name) {
        return name.startsWith(VAL_PREFIX) ? name.substring(VAL_PREFIX.length()) : name;
    }

    /**
     * Creates the validation run's event file now, if it does not exist yet, instead of at the first validation
     * write: a backup taken before that write then records it, and a resumed run continues it rather than leaving
     * a file with the killed run's first scalars beside a new one.
     *
     * @throws IOException if the file cannot be created
     */
    public void openValidation() throws IOException {
        checkOpen();
        validation();
    }

    private EventFile validation() throws IOException {
        if (validation == null) {
            validation = EventFile.create(logDir.resolve("validation"));
        }
        return validation;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("TensorBoard writer for " + logDir + " is closed; open a new one per fit");
        }
    }

    /** The log folder given to {@link #open}. */
    public Path logDir() {
        return logDir;
    }

    /** The event file of the train run. */
    public Path trainFile() {
        return train.path();
    }

    /** The event file of the validation run, or null while no validation value has been written. */
    public Path validationFile() {
        return validation == null ? null : validation.path();
    }

    /** Flushes, forces and closes both files. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        for (EventFile file : new EventFile[] {train, validation}) {
            if (file == null) {
                continue;
            }
            try {
                file.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
