package org.callbacks4j.benchmarks.e2e;

import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.callbacks4j.Logs;
import org.callbacks4j.OnBatchEnd;
import org.callbacks4j.OnEpochBegin;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.OnTrainBegin;
import org.callbacks4j.OnTrainEnd;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.benchmarks.ProgressBar;
import org.callbacks4j.io.AtomicFiles;
import org.callbacks4j.io.CsvLogWriter;
import org.callbacks4j.io.TensorBoardWriter;
import org.callbacks4j.policy.CheckpointPolicy;
import org.callbacks4j.policy.EarlyStopping;
import org.callbacks4j.policy.ReduceLROnPlateau;
import org.callbacks4j.train.FitContext;
import org.callbacks4j.train.SlotLogs;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The "full callback set" of the end-to-end benchmark: early stopping, a best-only checkpoint, plateau LR, a CSV log,
 * TensorBoard and a per-batch progress bar, with their real file output.
 *
 * <p>Interim form: the policy annotations ({@code @EarlyStop}, {@code @Checkpoint}, {@code @ReduceLrOnPlateau},
 * {@code @CsvLogger}, {@code @TensorBoard}) are not in this build yet, so hooks drive the runtime's policy and writer
 * classes themselves, on a copy of the epoch logs that has the {@code learning_rate} slot the trainer will add. Once
 * the annotations land, replace the policy hooks with the annotations on this class (same monitors and settings) and
 * keep the two clock hooks, which must stay the first epoch-begin and the last epoch-end hook.
 *
 * <p>All monitors watch the training {@code loss}, so the fit needs no validation and trains exactly what the
 * no-callback fit trains. The loss improves every epoch here, so the checkpoint writes a file every epoch: the
 * most I/O this set can cost.
 */
public class FullCallbacks {

    final EpochTimes times;
    private final Path dir;
    private final EarlyStopping earlyStop = new EarlyStopping("loss", false, 0.0, 3, Double.NaN, false, 0, 0);
    private final ReduceLROnPlateau plateau = new ReduceLROnPlateau("loss", false, 0.5, 2, 1e-4, 0, 0.0, 0);
    private final CheckpointPolicy checkpoint;
    private final SlotLogs logs = new SlotLogs(List.of("loss", "accuracy", ReduceLROnPlateau.LEARNING_RATE));
    private final int lossSlot = logs.slot("loss");
    private final int accuracySlot = logs.slot("accuracy");
    private CsvLogWriter csv;
    private TensorBoardWriter tensorBoard;
    private Writer progressOut;
    private ProgressBar progress;
    private int trainerLossSlot = -1;
    private int trainerAccuracySlot = -1;
    /** Time spent inside this class's policy, writer and progress hooks (not the clock's). */
    long hookNanos;
    /** The parts of {@link #hookNanos} spent on checkpoints, the CSV log, TensorBoard and the progress bar. */
    final long[] checkpointNanos;
    final long[] csvNanos;
    final long[] tensorBoardNanos;
    final long[] progressNanos;
    private long hookNanosAtEpochStart;
    int checkpointsWritten;

    private final long budgetNanos;

    /** @param budgetNanos stop the fit once its measured epochs took this long (0: run all epochs) */
    FullCallbacks(Path dir, int epochs, long budgetNanos) {
        this.dir = dir;
        this.budgetNanos = budgetNanos;
        this.times = new EpochTimes(epochs);
        this.checkpointNanos = new long[epochs];
        this.csvNanos = new long[epochs];
        this.tensorBoardNanos = new long[epochs];
        this.progressNanos = new long[epochs];
        this.checkpoint = new CheckpointPolicy(dir.resolve("ckpt-{epoch:02d}-{loss:.4f}.zip").toString(), "loss",
                false, true, CheckpointPolicy.SAVE_EVERY_EPOCH, Double.NaN, 0);
    }

    @OnTrainBegin
    void open(TrainingContext context) throws IOException {
        long t = System.nanoTime();
        Files.createDirectories(dir);
        csv = CsvLogWriter.open(dir.resolve("history.csv"), ",", false);
        tensorBoard = TensorBoardWriter.open(dir.resolve("tb"), 0);
        progressOut = new BufferedWriter(Files.newBufferedWriter(dir.resolve("progress.txt"), StandardCharsets.UTF_8));
        progress = new ProgressBar(progressOut, 50_000_000L);
        earlyStop.prepare(logs, false);
        plateau.prepare(logs, false, logs::put);
        checkpoint.prepare(logs, false);
        earlyStop.onTrainBegin(context);
        plateau.onTrainBegin();
        hookNanos += System.nanoTime() - t;
        hookNanosAtEpochStart = hookNanos;
    }

    @OnEpochBegin
    void startClock() {
        times.begin();
    }

    @OnEpochBegin
    void epochBegins(int epoch, TrainingContext context) {
        long t = System.nanoTime();
        checkpoint.onEpochBegin(epoch);
        progress.start(context.batchesPerEpoch());
        hookNanos += System.nanoTime() - t;
    }

    @OnBatchEnd
    void showProgress(int batch, Logs batchLogs) {
        long t = System.nanoTime();
        if (trainerLossSlot < 0) {
            trainerLossSlot = batchLogs.slot("loss");
            trainerAccuracySlot = batchLogs.slot("accuracy");
        }
        progress.update(batch, batchLogs.get(trainerLossSlot), batchLogs.get(trainerAccuracySlot));
        long spent = System.nanoTime() - t;
        hookNanos += spent;
        progressNanos[times.count] += spent;
    }

    @OnEpochEnd
    void policiesAndLogs(int epoch, Logs epochLogs, TrainingContext context) throws IOException {
        int e = times.count;
        long t = System.nanoTime();
        progress.finish();
        long t1 = System.nanoTime();
        progressNanos[e] += t1 - t;
        logs.clear();
        logs.put(lossSlot, epochLogs.get("loss"));
        logs.put(accuracySlot, epochLogs.get("accuracy"));
        plateau.onEpochEnd(epoch, logs, context);
        long t2 = System.nanoTime();
        String path = checkpoint.onEpochEnd(epoch, logs);
        if (path != null) {
            save(Path.of(path), context);
            checkpoint.onSaved(path);
            checkpointsWritten++;
        }
        long t3 = System.nanoTime();
        checkpointNanos[e] = t3 - t2;
        earlyStop.onEpochEnd(epoch, logs, context);
        long t4 = System.nanoTime();
        csv.writeEpoch(epoch, logs);
        long t5 = System.nanoTime();
        csvNanos[e] = t5 - t4;
        tensorBoard.writeEpoch(epoch, logs, context.learningRate());
        long t6 = System.nanoTime();
        tensorBoardNanos[e] = t6 - t5;
        hookNanos += t6 - t;
    }

    @OnEpochEnd
    void stopClock(Logs epochLogs, TrainingContext context) {
        times.end(epochLogs);
        if (times.overBudget(budgetNanos)) {
            context.stopTraining();
        }
        times.hookNanos[times.count - 1] = hookNanos - hookNanosAtEpochStart;
        hookNanosAtEpochStart = hookNanos;
    }

    @OnTrainEnd
    void close(TrainingContext context) throws IOException {
        earlyStop.onTrainEnd(context);
        csv.close();
        tensorBoard.close();
        progressOut.close();
    }

    /**
     * A checkpoint as the runtime's will be: a zip of the parameters, the optimizer state and a line of metadata,
     * written atomically (temporary file, fsync, rename). Stored without compression (float noise does not
     * compress); arrays are copied out of ND4J's buffers in bulk, with a small header of their shape.
     */
    private static void save(Path target, TrainingContext context) throws IOException {
        AtomicFiles.write(target, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.setLevel(Deflater.NO_COMPRESSION);
            byte[] chunk = new byte[1 << 16];
            writeEntry(zip, "params.bin", context.model().params(), chunk);
            if (context instanceof FitContext fit) {
                writeEntry(zip, "optimizer.bin", fit.optimizerState().flat(), chunk);
            }
            zip.putNextEntry(new ZipEntry("meta.txt"));
            zip.write(("epoch=" + context.epoch() + "\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.finish();
        });
    }

    private static void writeEntry(ZipOutputStream zip, String name, INDArray array, byte[] chunk)
            throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        DataOutputStream header = new DataOutputStream(zip);
        header.writeUTF(array.dataType().name());
        header.writeInt(array.rank());
        for (long d : array.shape()) {
            header.writeLong(d);
        }
        ByteBuffer bytes = array.data().asNio();
        bytes.position((int) (array.offset() * array.dataType().width()));
        bytes.limit(bytes.position() + (int) (array.length() * array.dataType().width()));
        while (bytes.hasRemaining()) {
            int n = Math.min(chunk.length, bytes.remaining());
            bytes.get(chunk, 0, n);
            zip.write(chunk, 0, n);
        }
        zip.closeEntry();
    }
}
