package org.callbacks4j.dl4j;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.callbacks4j.BackupAndRestore;
import org.callbacks4j.Checkpoint;
import org.callbacks4j.CsvLogger;
import org.callbacks4j.EarlyStop;
import org.callbacks4j.History;
import org.callbacks4j.OnBatchEnd;
import org.callbacks4j.ReduceLrOnPlateau;
import org.callbacks4j.TensorBoard;
import org.callbacks4j.internal.io.AtomicFiles;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The child process of {@link Dl4jKillTest}, started in its run folder (the annotations' paths are relative): fits a
 * DL4J network with {@code @BackupAndRestore} (a backup every 4 batches) and the other file-writing policies,
 * printing {@code batch e/b} after each batch and {@code writing <folder> <file>} before each atomic rename; the
 * {@code pauseFrom}-th and later writes into the folder {@code pauseKind} then sleep {@code pauseMillis}, so that a
 * SIGKILL sent on that line lands between the temporary file and its rename. Writes the final parameters, updater
 * state and History under {@code result/}, then prints {@code done}.
 *
 * <p>Arguments: {@code epochs pauseKind pauseFrom pauseMillis network}, the network {@code mlp} (a
 * {@code MultiLayerNetwork}) or {@code samediff} (the same MLP as a SameDiff graph).
 */
public final class Dl4jKillTestChild {

    /** Prints each batch's end, and leaves room for kills between batches. */
    abstract static class Progress {
        final PrintStream out;

        Progress(PrintStream out) {
            this.out = out;
        }

        @OnBatchEnd
        void progress(int epoch, int batch) throws InterruptedException {
            out.println("batch " + epoch + "/" + batch);
            out.flush();
            Thread.sleep(3); // room for kills between batches on a fast machine
        }
    }

    @BackupAndRestore(value = "backup", saveFreq = 4, deleteCheckpoint = false)
    @CsvLogger("history.csv")
    @Checkpoint(path = "ckpt/ckpt-{epoch:02d}.zip")
    @TensorBoard("tb")
    @ReduceLrOnPlateau(monitor = "val_loss", factor = 0.5, patience = 2, minDelta = 0.01)
    @EarlyStop(monitor = "val_loss", patience = 50, restoreBestWeights = true)
    static class Training extends Progress {
        Training(PrintStream out) {
            super(out);
        }
    }

    /** {@link Training} for a SameDiff graph: its checkpoints are SameDiff's FlatBuffers files. */
    @BackupAndRestore(value = "backup", saveFreq = 4, deleteCheckpoint = false)
    @CsvLogger("history.csv")
    @Checkpoint(path = "ckpt/ckpt-{epoch:02d}.fb")
    @TensorBoard("tb")
    @ReduceLrOnPlateau(monitor = "val_loss", factor = 0.5, patience = 2, minDelta = 0.01)
    @EarlyStop(monitor = "val_loss", patience = 50, restoreBestWeights = true)
    static class SameDiffTraining extends Progress {
        SameDiffTraining(PrintStream out) {
            super(out);
        }
    }

    private Dl4jKillTestChild() {}

    public static void main(String[] args) throws Exception {
        int epochs = Integer.parseInt(args[0]);
        String pauseKind = args[1];
        int pauseFrom = Integer.parseInt(args[2]);
        long pauseMillis = Long.parseLong(args[3]);
        String network = args[4];
        int[] writes = {0};
        AtomicFiles.IoConsumer<Path> hook = target -> {
            String folder = target.toAbsolutePath().getParent().getFileName().toString();
            System.out.println("writing " + folder + " " + target.getFileName());
            System.out.flush();
            if (folder.equals(pauseKind) && ++writes[0] >= pauseFrom) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        // The runtime's test seam (package-private): reached by reflection from this module's tests.
        Field seam = AtomicFiles.class.getDeclaredField("beforeRename");
        seam.setAccessible(true);
        seam.set(null, hook);
        System.out.println("started");
        System.out.flush();

        History history;
        String result;
        if (network.equals("samediff")) {
            SameDiff sd = Nets.sameDiff(3e-2);
            history = Dl4jTrainer.fit(sd, Nets.SD_OUTPUT, Nets.train(),
                    Dl4jFit.epochs(epochs).validationData(Nets.validation()).verbose(0),
                    new SameDiffTraining(System.out));
            result = SameDiffTrainerTest.exact(SameDiffTrainerTest.variables(sd)) + "\n"
                    + SameDiffTrainerTest.exact(SameDiffTrainerTest.updaterState(sd)) + "\n"
                    + sd.getTrainingConfig().getIterationCount() + " " + sd.getTrainingConfig().getEpochCount() + " "
                    + sd.getTrainingConfig().getUpdater().getLearningRate(0, 0);
        } else {
            MultiLayerNetwork net = Nets.mlp(3e-2);
            history = Dl4jTrainer.fit(net, Nets.train(),
                    Dl4jFit.epochs(epochs).validationData(Nets.validation()).verbose(0), new Training(System.out));
            result = Arrays.toString(net.params().toFloatVector()) + "\n"
                    + Arrays.toString(net.getUpdater().getStateViewArray().toFloatVector()) + "\n"
                    + net.getIterationCount() + " " + net.getEpochCount() + " " + net.getLearningRate(0);
        }
        seam.set(null, null);
        Path results = Files.createDirectories(Path.of("result"));
        Files.writeString(results.resolve("params.txt"), result, StandardCharsets.US_ASCII);
        Files.writeString(results.resolve("history.txt"), history.asMap() + "\n" + history.stoppedBy() + "\n"
                + history.earlyStopping(), StandardCharsets.US_ASCII);
        System.out.println("done");
        System.out.flush();
    }
}
