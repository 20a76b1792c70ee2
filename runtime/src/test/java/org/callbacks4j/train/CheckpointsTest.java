package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.io.PythonFloats;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.internal.policy.LearningRateScheduler;
import org.callbacks4j.internal.policy.ModelCheckpoint;
import org.callbacks4j.internal.policy.PolicyDispatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checkpoint files written by {@code @Checkpoint} ({@link ModelCheckpoint}) during a real fit, and read back with
 * {@link Checkpoints}: exact round trips, weights-only files, bit-identical resumption, atomic replacement.
 */
class CheckpointsTest {

    @TempDir
    Path dir;

    private final Dataset data = Blobs.classification(150, 4, 3, 6);

    private static Trainer trainer() {
        return Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2)).metrics("accuracy").build();
    }

    private static Sequential model(long seed) {
        return Sequential.input(4).dense(8, Activation.RELU).dense(3, Activation.SOFTMAX).seed(seed).build();
    }

    private static Fit fit(int epochs) {
        return Fit.epochs(epochs).batchSize(32).validationSplit(0.2).verbose(0);
    }

    /** Every value of {@code array}, in C order, bit for bit. */
    static float[] values(INDArray array) {
        return array.dup('c').data().asFloat();
    }

    private static ModelCheckpoint everyEpoch(Path template, boolean weightsOnly) {
        return new ModelCheckpoint(template.toString(), "val_loss", false, false, weightsOnly, 0, Double.NaN, 0);
    }

    @Test
    void aLoadedModelPredictsExactlyAsTheSavedOneAndTheFileHoldsTheTrainingState() throws IOException {
        Trainer trainer = trainer();
        Sequential model = model(3);
        List<float[]> predictionsAtEpochEnd = new ArrayList<>();
        INDArray x = data.features();
        PolicyDispatcher policies = new PolicyDispatcher()
                .checkpoint(everyEpoch(dir.resolve("ckpt-{epoch:02d}-{val_loss:.4f}.zip"), false), false)
                .onEpochEnd((epoch, logs, context) -> predictionsAtEpochEnd.add(
                        values(context.model().predict(x))));

        History history = trainer.fit(model, data, fit(3), policies);

        for (int epoch = 0; epoch < 3; epoch++) {
            String name = String.format("ckpt-%02d-%s.zip", epoch + 1,
                    PythonFloats.format(history.get("val_loss").get(epoch), ".4f"));
            SavedTraining saved = Checkpoints.load(dir.resolve(name));
            assertThat(values(saved.model().predict(x))).isEqualTo(predictionsAtEpochEnd.get(epoch));
            assertThat(saved.epoch()).isEqualTo(epoch);
            assertThat(saved.batch()).isEqualTo(-1);
            assertThat(saved.initialEpoch()).isEqualTo(epoch + 1);
            assertThat(saved.metrics()).containsEntry("val_loss", history.get("val_loss").get(epoch));
            assertThat(saved.metrics()).containsEntry("accuracy", history.get("accuracy").get(epoch));
        }
        SavedTraining last = Checkpoints.load(dir.resolve(String.format("ckpt-03-%s.zip",
                PythonFloats.format(history.last("val_loss"), ".4f"))));
        OptimizerState state = trainer.optimizerState(model);
        assertThat(last.formatVersion()).isEqualTo(Checkpoints.FORMAT_VERSION);
        assertThat(last.model().layers()).isEqualTo(model.layers());
        assertThat(last.model().seed()).isEqualTo(3);
        assertThat(last.model().params().toFloatVector()).isEqualTo(model.params().toFloatVector());
        assertThat(last.hasOptimizerState()).isTrue();
        assertThat(last.optimizer().name()).isEqualTo("adam");
        assertThat(last.optimizer().iterations()).isEqualTo(state.iterations());
        assertThat(last.optimizer().learningRate()).isEqualTo(state.learningRate());
        assertThat(last.optimizer().state().toFloatVector()).isEqualTo(state.flat().toFloatVector());
        assertThat(last.loss()).isEqualTo("SOFTMAX_CROSS_ENTROPY");
        assertThat(last.compiledMetrics()).containsExactly("accuracy");
    }

    @Test
    void weightsOnlyFilesHoldNoOptimizerStateAndLoadIntoAModel() throws IOException {
        Sequential model = model(3);
        PolicyDispatcher policies = new PolicyDispatcher()
                .checkpoint(everyEpoch(dir.resolve("w.zip"), true), false);
        trainer().fit(model, data, fit(2), policies);

        SavedTraining saved = Checkpoints.load(dir.resolve("w.zip"));
        assertThat(saved.hasOptimizerState()).isFalse();
        assertThat(assertThrows(IllegalStateException.class, () -> saved.restoreOptimizer(trainer())))
                .hasMessageThat().contains("holds weights only");
        Sequential fresh = model(77);
        Checkpoints.loadWeights(dir.resolve("w.zip"), fresh);
        assertThat(fresh.params().toFloatVector()).isEqualTo(model.params().toFloatVector());

        Sequential other = Sequential.input(4).dense(5, Activation.RELU).dense(3, Activation.SOFTMAX).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoints.loadWeights(dir.resolve("w.zip"), other));
        assertThat(e).hasMessageThat().contains("holds the weights of layers [dense 4->8 RELU, dense 8->3 SOFTMAX] "
                + "but the model has [dense 4->5 RELU, dense 5->3 SOFTMAX]");
    }

    @Test
    void resumingFromAFullCheckpointContinuesBitIdentically() throws IOException {
        // A schedule that changes the rate every epoch: the resumed run must also get the saved rate back.
        Fit fit = fit(5);
        Sequential straight = model(8);
        History full = trainer().fit(straight, data, fit, new PolicyDispatcher()
                .schedule(new LearningRateScheduler("T.decay(int, double)", 0), (e, lr) -> lr * 0.7));

        Sequential interrupted = model(8);
        trainer().fit(interrupted, data, fit, new PolicyDispatcher()
                .schedule(new LearningRateScheduler("T.decay(int, double)", 0), (e, lr) -> lr * 0.7)
                .checkpoint(everyEpoch(dir.resolve("ckpt-{epoch}.zip"), false), false)
                .onEpochEnd((epoch, logs, context) -> {
                    if (epoch == 1) {
                        context.stopTraining(); // "crash" after epoch 1
                    }
                }));

        SavedTraining saved = Checkpoints.load(dir.resolve("ckpt-2.zip"));
        Trainer resumedTrainer = trainer();
        saved.restoreOptimizer(resumedTrainer);
        History rest = resumedTrainer.fit(saved.model(), data, fit.initialEpoch(saved.initialEpoch()),
                new PolicyDispatcher()
                        .schedule(new LearningRateScheduler("T.decay(int, double)", 0), (e, lr) -> lr * 0.7));

        assertThat(rest.epochs()).containsExactly(2, 3, 4).inOrder();
        assertThat(saved.model().params().toFloatVector()).isEqualTo(straight.params().toFloatVector());
        assertThat(rest.get("val_loss")).isEqualTo(full.get("val_loss").subList(2, 5));
        assertThat(rest.get("learning_rate")).isEqualTo(full.get("learning_rate").subList(2, 5));
    }

    @Test
    void batchLevelCheckpointsRecordTheirPosition() throws IOException {
        // 120 training rows in batches of 32: batches 0..3 per epoch; saving every 3 batches counts across epochs.
        PolicyDispatcher policies = new PolicyDispatcher().checkpoint(new ModelCheckpoint(
                dir.resolve("b-{epoch}-{batch}.zip").toString(), "loss", false, false, false, 3, Double.NaN, 0), true);

        trainer().fit(model(1), data, fit(2), policies);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("b-1-3.zip", "b-2-2.zip").inOrder();
        }
        SavedTraining saved = Checkpoints.load(dir.resolve("b-2-2.zip"));
        assertThat(saved.epoch()).isEqualTo(1);
        assertThat(saved.batch()).isEqualTo(1);
        assertThat(saved.initialEpoch()).isEqualTo(1);
        assertThat(saved.optimizer().iterations()).isEqualTo(6);
        assertThat(saved.metrics().keySet()).containsExactly("accuracy", "loss"); // batch logs: no val_ values
    }

    @Test
    void aFailedWriteLeavesThePreviousFileIntactAndNoTemporaryFile() throws IOException {
        Sequential model = model(1);
        Path file = dir.resolve("ckpt.zip");
        Checkpoints.saveWeights(file, model);
        byte[] before = Files.readAllBytes(file);

        model.params().addi(1.0f);
        // An interrupted thread makes the file channel fail in the middle of the write (ClosedByInterruptException),
        // as a training thread interrupted during a save would.
        Thread.currentThread().interrupt();
        try {
            IOException e = assertThrows(IOException.class, () -> Checkpoints.saveWeights(file, model));
            assertThat(e).hasMessageThat().contains("cannot write checkpoint " + file.toAbsolutePath());
            assertThat(e).hasCauseThat().isInstanceOf(ClosedByInterruptException.class);
        } finally {
            Thread.interrupted();
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("ckpt.zip");
        }
        Checkpoints.saveWeights(file, model); // and the next write succeeds
        assertThat(Checkpoints.load(file).model().params().toFloatVector())
                .isEqualTo(model.params().toFloatVector());
    }

    @Test
    void theSameStateWritesTheSameBytes() throws IOException {
        Sequential model = model(1);
        Checkpoints.saveWeights(dir.resolve("a.zip"), model);
        Checkpoints.saveWeights(dir.resolve("b.zip"), model);

        assertThat(Files.readAllBytes(dir.resolve("a.zip"))).isEqualTo(Files.readAllBytes(dir.resolve("b.zip")));
    }

    @Test
    void nonFiniteMetricsRoundTrip() throws IOException {
        Sequential model = model(1);
        Map<String, Double> metrics = Map.of("loss", Double.NaN, "a", Double.POSITIVE_INFINITY,
                "b", Double.NEGATIVE_INFINITY, "c", 0.1);
        Checkpoints.save(dir.resolve("m.zip"),
                new SavedTraining(Checkpoints.FORMAT_VERSION, model, null, 3, -1, metrics, null, List.of()));

        SavedTraining saved = Checkpoints.load(dir.resolve("m.zip"));

        assertThat(saved.metrics()).isEqualTo(metrics);
        assertThat(saved.loss()).isNull();
    }

    @Test
    void filesThatAreNotCheckpointsAreRejectedNamingTheFile() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.zip"), "not a zip");
        assertThat(assertThrows(IOException.class, () -> Checkpoints.load(text)))
                .hasMessageThat().contains(text.toAbsolutePath() + " has no checkpoint.json entry");

        assertThat(assertThrows(IOException.class, () -> Checkpoints.load(dir.resolve("missing.zip"))))
                .hasMessageThat().contains("does not exist");

        Path future = dir.resolve("future.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(future))) {
            zip.putNextEntry(new ZipEntry("checkpoint.json"));
            zip.write("{\"format\": \"callbacks4j-checkpoint\", \"formatVersion\": 99}".getBytes());
        }
        assertThat(assertThrows(IOException.class, () -> Checkpoints.load(future)))
                .hasMessageThat().contains("has format version 99; this callbacks4j reads versions 1 to 2");
    }

    @Test
    void aFolderIsNotACheckpointPath() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("ckpt"));

        IOException e = assertThrows(IOException.class, () -> Checkpoints.saveWeights(folder, model(1)));

        assertThat(e).hasMessageThat().contains(folder.toAbsolutePath() + " is a folder");
    }
}
