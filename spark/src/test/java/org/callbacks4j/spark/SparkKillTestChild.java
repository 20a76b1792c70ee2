package org.callbacks4j.spark;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.callbacks4j.BackupAndRestore;
import org.callbacks4j.CsvLogger;
import org.callbacks4j.EarlyStop;
import org.callbacks4j.History;
import org.callbacks4j.OnBatchEnd;
import org.callbacks4j.ReduceLrOnPlateau;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.io.AtomicFiles;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.OptimizerState;
import org.callbacks4j.train.Trainer;

/**
 * The driver of {@link SparkKillTest}, started in its run folder (the annotations' paths are relative): a Spark fit in
 * {@code local[2]} of digits in 3 partitions with {@code @BackupAndRestore} every 2 rounds and stateful policies,
 * printing {@code round e/r} after each round (the batch hook, once per round on the driver) and
 * {@code writing <folder> <file>} before each atomic rename; from the {@code pauseFrom}-th write into the folder
 * {@code pauseKind} on, it then sleeps {@code pauseMillis}, so that a SIGKILL sent on that line lands between the
 * temporary file and its rename. Writes the final parameters, optimizer state and History under {@code result/},
 * then prints {@code done}.
 *
 * <p>Arguments: {@code epochs pauseKind pauseFrom pauseMillis}.
 */
public final class SparkKillTestChild {

    static final int PARTITIONS = 3;

    @BackupAndRestore(value = "backup", saveFreq = 2)
    @CsvLogger("history.csv")
    @ReduceLrOnPlateau(monitor = "val_loss", factor = 0.5, patience = 1, minDelta = 0.02)
    @EarlyStop(monitor = "val_loss", patience = 50, restoreBestWeights = true)
    public static class Training {
        final PrintStream out;

        Training(PrintStream out) {
            this.out = out;
        }

        @OnBatchEnd
        void progress(int epoch, int batch) {
            out.println("round " + epoch + "/" + batch);
            out.flush();
        }
    }

    private SparkKillTestChild() {}

    public static void main(String[] args) throws Exception {
        int epochs = Integer.parseInt(args[0]);
        String pauseKind = args[1];
        int pauseFrom = Integer.parseInt(args[2]);
        long pauseMillis = Long.parseLong(args[3]);
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

        SparkConf conf = new SparkConf()
                .setMaster("local[2]")
                .setAppName("callbacks4j-spark-kill-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                // Inside the test's folder: a killed driver leaves its block manager's files behind.
                .set("spark.local.dir", Path.of("spark-local").toAbsolutePath().toString());
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        System.out.println("started");
        System.out.flush();

        Dataset digits = Digits.load();
        Sequential model = Sequential.input(64).dense(16, Activation.RELU).dense(10, Activation.SOFTMAX).seed(9)
                .build();
        Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(3e-3))
                .metrics("accuracy").build();
        Fit fit = Fit.epochs(epochs).batchSize(32).validationData(digits.rows(900, 1100)).verbose(0);
        History history = SparkTrainer.of(trainer).syncEvery(2).fit(model,
                SparkData.parallelize(sc, digits.rows(0, 900), PARTITIONS), fit, new Training(System.out));
        seam.set(null, null);

        OptimizerState state = trainer.optimizerState(model);
        Path result = Files.createDirectories(Path.of("result"));
        Files.writeString(result.resolve("params.txt"), Arrays.toString(model.params().toFloatVector()) + "\n"
                + Arrays.toString(state.flat().toFloatVector()) + "\n" + state.iterations() + " "
                + state.learningRate(), StandardCharsets.US_ASCII);
        Files.writeString(result.resolve("history.txt"), history.asMap() + "\n" + history.stoppedBy() + "\n"
                + history.earlyStopping(), StandardCharsets.US_ASCII);
        sc.stop();
        System.out.println("done");
        System.out.flush();
    }
}
