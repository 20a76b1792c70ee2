package org.callbacks4j.spark;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.callbacks4j.Checkpoint;
import org.callbacks4j.CsvLogger;
import org.callbacks4j.History;
import org.callbacks4j.ReduceLrOnPlateau;
import org.callbacks4j.TensorBoard;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Checkpoints;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.SavedTraining;
import org.callbacks4j.train.Trainer;
import org.junit.jupiter.api.Test;

/** The file-writing policies work in a Spark fit: the driver writes the logs, event files and checkpoints. */
class DriverFilesTest {

    static final Path RUN = Path.of("target/spark-test-runs/files");

    @CsvLogger("target/spark-test-runs/files/history.csv")
    @TensorBoard("target/spark-test-runs/files/tb")
    @Checkpoint(path = "target/spark-test-runs/files/ckpt-{epoch:02d}.zip", monitor = "val_loss")
    @ReduceLrOnPlateau(monitor = "val_loss", factor = 0.5, patience = 1, minDelta = 10)
    public static class Logged {}

    @Test
    void csvTensorBoardAndCheckpointsAreWrittenFromTheGlobalValues() throws IOException {
        deleteRecursively(RUN);
        Dataset digits = Digits.load();
        Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(3e-3))
                .metrics("accuracy").build();
        Sequential model = Sequential.input(64).dense(10, Activation.SOFTMAX).seed(2).build();
        Fit fit = Fit.epochs(3).batchSize(50).validationData(digits.rows(600, 800)).verbose(0);
        History history = SparkTrainer.of(trainer).syncEvery(2)
                .fit(model, SparkData.parallelize(LocalSpark.context(), digits.rows(0, 600), 2), fit, new Logged());

        List<String> csv = Files.readAllLines(RUN.resolve("history.csv"));
        assertThat(csv).hasSize(4);
        assertThat(csv.get(0)).startsWith("epoch,");
        assertThat(csv.get(0)).contains("val_loss");
        // The plateau policy halved the rate on the driver; the rounds after it used the halved rate.
        assertThat(history.get("learning_rate").get(2)).isLessThan(history.get("learning_rate").get(0));
        for (int epoch = 1; epoch <= 3; epoch++) {
            assertThat(Files.exists(RUN.resolve(String.format("ckpt-%02d.zip", epoch)))).isTrue();
        }
        SavedTraining last = Checkpoints.load(RUN.resolve("ckpt-03.zip"));
        assertThat(last.model().params().toFloatVector()).isEqualTo(model.params().toFloatVector());
        assertThat(last.metrics().get("val_loss")).isEqualTo(history.last("val_loss"));
        try (Stream<Path> files = Files.walk(RUN.resolve("tb"))) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents")).count())
                    .isEqualTo(2);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
