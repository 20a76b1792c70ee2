package org.callbacks4j.internal.io;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.internal.policy.CsvLoggerPolicy;
import org.callbacks4j.internal.policy.PolicyDispatcher;
import org.callbacks4j.internal.policy.ReduceLROnPlateau;
import org.callbacks4j.internal.policy.TensorBoardLogger;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @CsvLogger} and {@code @TensorBoard} ({@link CsvLogger}, {@link TensorBoardLogger}) over real fits, driven as
 * generated code drives them: the files are complete after the fit and hold what the History holds.
 */
class LoggingPoliciesFitTest {

    @TempDir
    Path dir;

    private final Trainer trainer = Trainer.builder()
            .loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2)).metrics("accuracy").build();

    /** 150 rows in 3 blobs: with validationSplit(0.2), 120 training rows in 4 batches of 32. */
    private static Dataset blobs() {
        Random r = new Random(5);
        float[][] x = new float[150][4];
        int[] y = new int[150];
        for (int i = 0; i < 150; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x[i][j] = y[i] * 2 - 2 + (float) r.nextGaussian();
            }
        }
        return Dataset.classification(x, y, 3);
    }

    private static Sequential model() {
        return Sequential.input(4).dense(8, Activation.RELU).dense(3, Activation.SOFTMAX).seed(4).build();
    }

    private static Fit fit(int epochs) {
        return Fit.epochs(epochs).batchSize(32).validationSplit(0.2).verbose(0);
    }

    /** Halves the learning rate after every epoch but the first (no epoch improves by 10). */
    private static ReduceLROnPlateau halving() {
        return new ReduceLROnPlateau("loss", false, 0.5, 1, 10, 0, 0, 0);
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.parse(in, CSVFormat.RFC4180)) {
            return new ArrayList<>(parser.getRecords());
        }
    }

    @Test
    void csvLogHasEveryEpochOfTheHistoryIncludingTheLearningRate() throws IOException {
        Path file = dir.resolve("runs/history.csv");
        PolicyDispatcher policies = new PolicyDispatcher().reduceLr(halving())
                .csv(new CsvLoggerPolicy(file.toString(), ",", false));

        History history = trainer.fit(model(), blobs(), fit(3), policies);

        List<CSVRecord> rows = csv(file);
        assertThat(rows.get(0).toList())
                .containsExactly("epoch", "accuracy", "learning_rate", "loss", "val_accuracy", "val_loss").inOrder();
        assertThat(rows).hasSize(4);
        for (int epoch = 0; epoch < 3; epoch++) {
            CSVRecord row = rows.get(epoch + 1);
            assertThat(row.get(0)).isEqualTo(Integer.toString(epoch));
            for (int c = 1; c < rows.get(0).size(); c++) {
                String name = rows.get(0).get(c);
                assertThat(row.get(c)).isEqualTo(PythonFloats.repr(history.get(name).get(epoch)));
            }
        }
        assertThat(Files.readString(file)).endsWith("\r\n");
    }

    @Test
    void csvLogAppendsWithoutASecondHeaderOrStartsOver() throws IOException {
        Path file = dir.resolve("history.csv");
        trainer.fit(model(), blobs(), fit(2), new PolicyDispatcher().csv(new CsvLoggerPolicy(file.toString(), ",", true)));
        Sequential model = model();
        trainer.fit(model, blobs(), fit(4).initialEpoch(2),
                new PolicyDispatcher().csv(new CsvLoggerPolicy(file.toString(), ",", true)));

        List<CSVRecord> appended = csv(file);
        assertThat(appended).hasSize(5);
        assertThat(appended.stream().map(r -> r.get(0)).toList()).containsExactly("epoch", "0", "1", "2", "3")
                .inOrder();

        trainer.fit(model, blobs(), fit(1), new PolicyDispatcher().csv(new CsvLoggerPolicy(file.toString(), ",", false)));
        assertThat(csv(file)).hasSize(2);
    }

    @Test
    void csvLogPathThatIsAFolderFailsTheFitBeforeTraining() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("history.csv"));
        PolicyDispatcher policies = new PolicyDispatcher().csv(new CsvLoggerPolicy(folder.toString(), ",", false));

        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> trainer.fit(model(), blobs(), fit(2), policies));

        assertThat(e).hasMessageThat().isEqualTo("@CsvLogger: CSV log path " + folder.toAbsolutePath()
                + " is a folder; pass the path of a file (inside it, or elsewhere)");
        assertThat(policies.calls).containsExactly("prepare");
    }

    @Test
    void tensorBoardLogDirThatIsAFileFailsTheFitBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("tb"), "not a folder");
        PolicyDispatcher policies = new PolicyDispatcher().tensorBoard(new TensorBoardLogger(file.toString(), 0), false);

        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> trainer.fit(model(), blobs(), fit(2), policies));

        assertThat(e).hasMessageThat().contains(file.toAbsolutePath().toString());
        assertThat(policies.calls).containsExactly("prepare");
        assertThat(Files.readString(file)).isEqualTo("not a folder");
    }

    @Test
    void tensorBoardFilesHoldEveryEpochTheLearningRateAndTheEvaluations() throws IOException {
        Path logDir = dir.resolve("tb");
        PolicyDispatcher policies = new PolicyDispatcher().reduceLr(halving())
                .tensorBoard(new TensorBoardLogger(logDir.toString(), 0), false);

        History history = trainer.fit(model(), blobs(), fit(3), policies);

        List<TfEventReader.Event> train = events(logDir.resolve("train"));
        List<TfEventReader.Event> validation = events(logDir.resolve("validation"));
        for (int epoch = 0; epoch < 3; epoch++) {
            assertThat(scalar(train, "epoch_loss", epoch)).isEqualTo((float) (double) history.get("loss").get(epoch));
            assertThat(scalar(train, "epoch_learning_rate", epoch))
                    .isEqualTo((float) (double) history.get("learning_rate").get(epoch));
            assertThat(scalar(validation, "epoch_loss", epoch))
                    .isEqualTo((float) (double) history.get("val_loss").get(epoch));
            // Keras's evaluation scalars, at the optimizer's step count: 4 batches per epoch.
            assertThat(scalar(validation, "evaluation_accuracy_vs_iterations", 4L * (epoch + 1)))
                    .isEqualTo((float) (double) history.get("val_accuracy").get(epoch));
        }
        assertThat(tags(train)).containsNoneOf("epoch_val_loss", "batch_loss");
    }

    @Test
    void tensorBoardBatchScalarsEveryNGlobalBatches() throws IOException {
        Path logDir = dir.resolve("tb");
        PolicyDispatcher policies = new PolicyDispatcher()
                .tensorBoard(new TensorBoardLogger(logDir.toString(), 3), true);

        trainer.fit(model(), blobs(), fit(3), policies);

        List<Long> steps = new ArrayList<>();
        for (TfEventReader.Event event : events(logDir.resolve("train"))) {
            for (TfEventReader.Value value : event.values()) {
                if (value.tag().equals("batch_loss")) {
                    steps.add(event.step());
                }
            }
        }
        assertThat(steps).containsExactly(3L, 6L, 9L, 12L).inOrder();
        // Without a learning-rate policy the optimizer's rate is written.
        assertThat(scalar(events(logDir.resolve("train")), "epoch_learning_rate", 2)).isEqualTo(0.01f);
    }

    /** The events of the run's one event file, which must be complete (closed at train end). */
    private static List<TfEventReader.Event> events(Path run) throws IOException {
        List<Path> files = TensorBoardWriterTest.files(run);
        assertThat(files).hasSize(1);
        assertThat(TfEventReader.readRecords(Files.readAllBytes(files.get(0))).truncated()).isFalse();
        return TfEventReader.readEvents(files.get(0));
    }

    private static float scalar(List<TfEventReader.Event> events, String tag, long step) {
        for (TfEventReader.Event event : events) {
            for (TfEventReader.Value value : event.values()) {
                if (value.tag().equals(tag) && event.step() == step) {
                    return value.scalar();
                }
            }
        }
        throw new AssertionError("no " + tag + " at step " + step);
    }

    private static List<String> tags(List<TfEventReader.Event> events) {
        List<String> tags = new ArrayList<>();
        events.forEach(e -> e.values().forEach(v -> tags.add(v.tag())));
        return tags;
    }
}
