package org.callbacks4j.spark;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.callbacks4j.BackupAndRestore;
import org.callbacks4j.EarlyStop;
import org.callbacks4j.History;
import org.callbacks4j.internal.train.Backups;
import org.callbacks4j.OnBatchEnd;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;
import org.junit.jupiter.api.Test;

/** A driver that dies resumes from {@code @BackupAndRestore} and ends exactly as the uninterrupted run. */
class ResumeTest {

    static final Path DIR = Path.of("target/spark-test-runs/backup");

    /** Backed up every 2 rounds; dies in round {@code crashRound} of epoch {@code crashEpoch} when set. */
    @BackupAndRestore(value = "target/spark-test-runs/backup", saveFreq = 2)
    @EarlyStop(monitor = "val_loss", patience = 5)
    public static class Crashing {

        final int crashEpoch;
        final int crashRound;
        final List<Integer> epochs = new ArrayList<>();

        Crashing(int crashEpoch, int crashRound) {
            this.crashEpoch = crashEpoch;
            this.crashRound = crashRound;
        }

        @OnBatchEnd
        void batchEnd(int epoch, int batch) {
            if (epoch == crashEpoch && batch == crashRound) {
                throw new IllegalStateException("simulated driver crash");
            }
        }

        @OnEpochEnd
        void epochEnd(int epoch) {
            epochs.add(epoch);
        }
    }

    private static History fit(Sequential model, Trainer trainer, int partitions, Object callbacks) {
        Dataset digits = Digits.load();
        JavaRDD<Example> rows = SparkData.parallelize(LocalSpark.context(), digits.rows(0, 900), partitions);
        Fit fit = Fit.epochs(4).batchSize(32).validationData(digits.rows(900, 1100)).verbose(0);
        return SparkTrainer.of(trainer).syncEvery(2).fit(model, rows, fit, callbacks);
    }

    private static Sequential model() {
        return Sequential.input(64).dense(16, Activation.RELU).dense(10, Activation.SOFTMAX).seed(9).build();
    }

    private static Trainer trainer() {
        return Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(3e-3)).metrics("accuracy")
                .build();
    }

    @Test
    void aCrashedDriverResumesBitIdenticallyForTheSamePartitioning() throws IOException {
        deleteRecursively(DIR);
        Sequential uninterrupted = model();
        History expected = fit(uninterrupted, trainer(), 3, new Crashing(-1, -1));
        // The normal end leaves only the completion record; a restart returns the finished run without training.
        assertThat(Backups.files(DIR)).hasSize(1);
        assertThat(Backups.read(Backups.files(DIR).get(0)).complete()).isTrue();
        Sequential restarted = model();
        History again = fit(restarted, trainer(), 3, new Crashing(0, 0));
        assertThat(again.asMap()).isEqualTo(expected.asMap()); // Crashing(0, 0) would throw had it trained
        assertThat(restarted.params().toFloatVector()).isEqualTo(uninterrupted.params().toFloatVector());
        deleteRecursively(DIR);

        // 300 rows per partition, batches of 32: 10 batches, 5 rounds per epoch; the last backup before the crash
        // is mid-epoch (after round 1 of epoch 2, the 12th round).
        IllegalStateException crash = assertThrows(IllegalStateException.class,
                () -> fit(model(), trainer(), 3, new Crashing(2, 3)));
        assertThat(crash).hasMessageThat().contains("simulated driver crash");
        assertThat(Files.list(DIR).count()).isGreaterThan(0);

        // Another partitioning is refused before anything changes.
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> fit(model(), trainer(), 2, new Crashing(-1, -1)));
        assertThat(refused).hasMessageThat().contains("was written for another training");
        assertThat(refused).hasMessageThat().contains("partitions 3");

        Sequential resumedModel = model();
        Crashing resumedHooks = new Crashing(-1, -1);
        History resumed = fit(resumedModel, trainer(), 3, resumedHooks);
        assertThat(resumedHooks.epochs).containsExactly(2, 3).inOrder();
        assertThat(resumedModel.params().toFloatVector()).isEqualTo(uninterrupted.params().toFloatVector());
        assertThat(resumed.asMap()).isEqualTo(expected.asMap());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
