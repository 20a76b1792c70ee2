package org.callbacks4j.dl4j;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.callbacks4j.BackupAndRestore;
import org.callbacks4j.Checkpoint;
import org.callbacks4j.CsvLogger;
import org.callbacks4j.EarlyStop;
import org.callbacks4j.History;
import org.callbacks4j.OnBatchEnd;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.ReduceLrOnPlateau;
import org.callbacks4j.internal.train.Backups;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;

/**
 * {@code @BackupAndRestore} on a DL4J network, in process: a fit that dies inside an epoch and is started again on a
 * fresh network of the same configuration ends exactly as an uninterrupted fit: bit-identical parameters and updater
 * state, the same History, CSV and checkpoints. (The SIGKILL version is {@link Dl4jKillTest}.)
 */
class BackupResumeTest {

    static final int EPOCHS = 8;

    /** Dies at the end of one batch when asked. */
    abstract static class Crashing {
        int crashEpoch = -1;
        int crashBatch = -1;

        @OnBatchEnd
        void crash(int epoch, int batch) {
            if (epoch == crashEpoch && batch == crashBatch) {
                throw new IllegalStateException("crash at " + epoch + "/" + batch);
            }
        }
    }

    @BackupAndRestore(value = "target/dl4j-tests/resume/run/backup", saveFreq = 3)
    @CsvLogger("target/dl4j-tests/resume/run/history.csv")
    @Checkpoint(path = "target/dl4j-tests/resume/run/ckpt-{epoch:02d}.zip")
    @ReduceLrOnPlateau(monitor = "val_loss", factor = 0.5, patience = 1, minDelta = 0.02)
    @EarlyStop(monitor = "val_loss", patience = 4, restoreBestWeights = true)
    static class Resumed extends Crashing {}

    @BackupAndRestore(value = "target/dl4j-tests/resume/reference/backup", saveFreq = 3)
    @CsvLogger("target/dl4j-tests/resume/reference/history.csv")
    @Checkpoint(path = "target/dl4j-tests/resume/reference/ckpt-{epoch:02d}.zip")
    @ReduceLrOnPlateau(monitor = "val_loss", factor = 0.5, patience = 1, minDelta = 0.02)
    @EarlyStop(monitor = "val_loss", patience = 4, restoreBestWeights = true)
    static class Reference extends Crashing {}

    private static History fit(MultiLayerNetwork net, Object training) {
        return Dl4jTrainer.fit(net, Nets.train(),
                Dl4jFit.epochs(EPOCHS).validationData(Nets.validation()).verbose(0), training);
    }

    @Test
    void aFitThatDiesInsideAnEpochResumesBitIdentically() throws IOException {
        Path reference = Nets.clean("target/dl4j-tests/resume/reference");
        Path run = Nets.clean("target/dl4j-tests/resume/run");
        MultiLayerNetwork expected = Nets.mlp(3e-2);
        History expectedHistory = fit(expected, new Reference());

        Resumed crashing = new Resumed();
        crashing.crashEpoch = 3;
        crashing.crashBatch = 7; // after the backup at batch 36 (3 x 12), one batch into epoch 3's second backup
        MultiLayerNetwork first = Nets.mlp(3e-2);
        IllegalStateException crash = assertThrows(IllegalStateException.class, () -> fit(first, crashing));
        assertThat(crash).hasMessageThat().contains("crash at 3/7");
        assertThat(Files.readAllLines(run.resolve("history.csv"))).hasSize(4); // header + epochs 0..2

        MultiLayerNetwork resumed = Nets.mlp(3e-2);
        Dl4jTrainerTest.RecordingListener steps = new Dl4jTrainerTest.RecordingListener();
        resumed.setListeners(steps);
        History history = fit(resumed, new Resumed());

        // It continued from the last backup (36 batches done), not from the start.
        assertThat(steps.scores).hasSize(expected.getIterationCount() - 36);
        assertThat(resumed.params()).isEqualTo(expected.params());
        assertThat(resumed.getUpdater().getStateViewArray()).isEqualTo(expected.getUpdater().getStateViewArray());
        assertThat(resumed.getIterationCount()).isEqualTo(expected.getIterationCount());
        assertThat(resumed.getEpochCount()).isEqualTo(expected.getEpochCount());
        assertThat(resumed.getLearningRate(0)).isEqualTo(expected.getLearningRate(0));
        assertThat(history.asMap()).isEqualTo(expectedHistory.asMap());
        assertThat(history.stoppedBy()).isEqualTo(expectedHistory.stoppedBy());
        assertThat(history.earlyStopping()).isEqualTo(expectedHistory.earlyStopping());
        assertThat(Files.readString(run.resolve("history.csv"), StandardCharsets.UTF_8))
                .isEqualTo(Files.readString(reference.resolve("history.csv"), StandardCharsets.UTF_8));
        List<String> checkpoints = zips(reference);
        assertThat(zips(run)).isEqualTo(checkpoints);
        for (String zip : checkpoints) {
            MultiLayerNetwork a = ModelSerializer.restoreMultiLayerNetwork(reference.resolve(zip).toFile(), true);
            MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(run.resolve(zip).toFile(), true);
            assertThat(b.params()).isEqualTo(a.params());
            assertThat(b.getUpdater().getStateViewArray()).isEqualTo(a.getUpdater().getStateViewArray());
        }
        // The normal end leaves only the completion record (deleteCheckpoint, the default, drops the rest), and a
        // restarted program gets the finished run back without training: this class would crash at its first batch.
        assertThat(Backups.files(run.resolve("backup"))).hasSize(1);
        assertThat(Backups.read(Backups.files(run.resolve("backup")).get(0)).complete()).isTrue();
        Resumed again = new Resumed();
        again.crashEpoch = 0;
        again.crashBatch = 0;
        MultiLayerNetwork restarted = Nets.mlp(3e-2);
        History finished = fit(restarted, again);
        assertThat(finished.asMap()).isEqualTo(expectedHistory.asMap());
        assertThat(restarted.params()).isEqualTo(expected.params());
    }

    private static History fit(ComputationGraph graph, Object training) {
        return Dl4jTrainer.fit(graph, Nets.train(),
                Dl4jFit.epochs(EPOCHS).validationData(Nets.validation()).verbose(0), training);
    }

    @Test
    void aComputationGraphResumesBitIdenticallyToo() throws IOException {
        Path reference = Nets.clean("target/dl4j-tests/resume/reference");
        Path run = Nets.clean("target/dl4j-tests/resume/run");
        ComputationGraph expected = Nets.graph(3e-2);
        History expectedHistory = fit(expected, new Reference());

        Resumed crashing = new Resumed();
        crashing.crashEpoch = 2;
        crashing.crashBatch = 4;
        assertThrows(IllegalStateException.class, () -> fit(Nets.graph(3e-2), crashing));
        ComputationGraph resumed = Nets.graph(3e-2);
        Dl4jTrainerTest.RecordingListener steps = new Dl4jTrainerTest.RecordingListener();
        resumed.setListeners(steps);
        History history = fit(resumed, new Resumed());

        assertThat(steps.scores).hasSize(expected.getIterationCount() - 24); // backup after 24 batches
        assertThat(resumed.params()).isEqualTo(expected.params());
        assertThat(resumed.getUpdater().getStateViewArray()).isEqualTo(expected.getUpdater().getStateViewArray());
        assertThat(resumed.getIterationCount()).isEqualTo(expected.getIterationCount());
        assertThat(resumed.getEpochCount()).isEqualTo(expected.getEpochCount());
        assertThat(history.asMap()).isEqualTo(expectedHistory.asMap());
        assertThat(Files.readString(run.resolve("history.csv"), StandardCharsets.UTF_8))
                .isEqualTo(Files.readString(reference.resolve("history.csv"), StandardCharsets.UTF_8));
        for (String zip : zips(reference)) {
            ComputationGraph a = ModelSerializer.restoreComputationGraph(reference.resolve(zip).toFile(), true);
            ComputationGraph b = ModelSerializer.restoreComputationGraph(run.resolve(zip).toFile(), true);
            assertThat(b.params()).isEqualTo(a.params());
        }
        assertThat(zips(run)).isEqualTo(zips(reference));
    }

    @Test
    void aBackupOfAnotherNetworkIsRefusedBeforeTraining() {
        Nets.clean("target/dl4j-tests/resume/run");
        Resumed crashing = new Resumed();
        crashing.crashEpoch = 0;
        crashing.crashBatch = 5;
        assertThrows(IllegalStateException.class, () -> fit(Nets.mlp(3e-2), crashing));

        MultiLayerNetwork other = Nets.mlp(1e-1); // another learning rate: another configuration
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fit(other, new Resumed()));

        assertThat(e).hasMessageThat().contains("was written for another training");
        assertThat(other.getIterationCount()).isEqualTo(0);
    }

    @BackupAndRestore(value = "target/dl4j-tests/resume/run/backup", saveFreq = 3)
    @CsvLogger("target/dl4j-tests/resume/run/history.csv")
    @Checkpoint(path = "target/dl4j-tests/resume/run/ckpt-{epoch:02d}.fb")
    @ReduceLrOnPlateau(monitor = "val_loss", factor = 0.5, patience = 1, minDelta = 0.02)
    @EarlyStop(monitor = "val_loss", patience = 4, restoreBestWeights = true)
    static class SdResumed extends Crashing {}

    @BackupAndRestore(value = "target/dl4j-tests/resume/reference/backup", saveFreq = 3)
    @CsvLogger("target/dl4j-tests/resume/reference/history.csv")
    @Checkpoint(path = "target/dl4j-tests/resume/reference/ckpt-{epoch:02d}.fb")
    @ReduceLrOnPlateau(monitor = "val_loss", factor = 0.5, patience = 1, minDelta = 0.02)
    @EarlyStop(monitor = "val_loss", patience = 4, restoreBestWeights = true)
    static class SdReference extends Crashing {}

    private static History fit(SameDiff sd, Object training) {
        return Dl4jTrainer.fit(sd, Nets.SD_OUTPUT, Nets.train(),
                Dl4jFit.epochs(EPOCHS).validationData(Nets.validation()).verbose(0), training);
    }

    @Test
    void aSameDiffGraphThatDiesInsideAnEpochResumesBitIdentically() throws IOException {
        Path reference = Nets.clean("target/dl4j-tests/resume/reference");
        Path run = Nets.clean("target/dl4j-tests/resume/run");
        SameDiff expected = Nets.sameDiff(3e-2);
        History expectedHistory = fit(expected, new SdReference());
        TrainingConfig expectedConfig = expected.getTrainingConfig();

        SdResumed crashing = new SdResumed();
        crashing.crashEpoch = 3;
        crashing.crashBatch = 7; // after the backup at batch 36 (3 x 12), one batch into epoch 3's second backup
        IllegalStateException crash = assertThrows(IllegalStateException.class,
                () -> fit(Nets.sameDiff(3e-2), crashing));
        assertThat(crash).hasMessageThat().contains("crash at 3/7");

        SameDiff resumed = Nets.sameDiff(3e-2);
        SameDiffTrainerTest.SdRecorder steps = new SameDiffTrainerTest.SdRecorder();
        resumed.setListeners(steps);
        History history = fit(resumed, new SdResumed());

        // It continued from the last backup (36 batches done), not from the start.
        assertThat(steps.losses).hasSize(expectedConfig.getIterationCount() - 36);
        assertThat(SameDiffTrainerTest.variables(resumed)).isEqualTo(SameDiffTrainerTest.variables(expected));
        assertThat(SameDiffTrainerTest.updaterState(resumed)).isEqualTo(SameDiffTrainerTest.updaterState(expected));
        assertThat(resumed.getTrainingConfig().getIterationCount()).isEqualTo(expectedConfig.getIterationCount());
        assertThat(resumed.getTrainingConfig().getEpochCount()).isEqualTo(expectedConfig.getEpochCount());
        assertThat(resumed.getTrainingConfig().getUpdater().getLearningRate(0, 0))
                .isEqualTo(expectedConfig.getUpdater().getLearningRate(0, 0));
        assertThat(history.asMap()).isEqualTo(expectedHistory.asMap());
        assertThat(history.earlyStopping()).isEqualTo(expectedHistory.earlyStopping());
        assertThat(Files.readString(run.resolve("history.csv"), StandardCharsets.UTF_8))
                .isEqualTo(Files.readString(reference.resolve("history.csv"), StandardCharsets.UTF_8));
        List<String> checkpoints = files(reference, ".fb");
        assertThat(checkpoints).isNotEmpty();
        assertThat(files(run, ".fb")).isEqualTo(checkpoints);
        for (String file : checkpoints) {
            SameDiff a = SameDiff.load(reference.resolve(file).toFile(), true);
            SameDiff b = SameDiff.load(run.resolve(file).toFile(), true);
            assertThat(SameDiffTrainerTest.variables(b)).isEqualTo(SameDiffTrainerTest.variables(a));
            assertThat(SameDiffTrainerTest.updaterState(b)).isEqualTo(SameDiffTrainerTest.updaterState(a));
        }
        // The completion record: a restarted program gets the finished run back without training.
        SdResumed again = new SdResumed();
        again.crashEpoch = 0;
        again.crashBatch = 0;
        SameDiff restarted = Nets.sameDiff(3e-2);
        History finished = fit(restarted, again);
        assertThat(finished.asMap()).isEqualTo(expectedHistory.asMap());
        assertThat(SameDiffTrainerTest.variables(restarted)).isEqualTo(SameDiffTrainerTest.variables(expected));
    }

    /** Dies at the end of one epoch when asked, after the epoch's last batch was backed up. */
    abstract static class CrashingAtEpochEnd {
        int crashEpoch = -1;

        @OnEpochEnd
        void crash(int epoch) {
            if (epoch == crashEpoch) {
                throw new IllegalStateException("crash at the end of epoch " + epoch);
            }
        }
    }

    @BackupAndRestore(value = "target/dl4j-tests/resume/run/backup", saveFreq = 5)
    @ReduceLrOnPlateau(monitor = "loss", factor = 0.5, patience = 0, minDelta = 0.05)
    static class SdEpochEnd extends CrashingAtEpochEnd {}

    @BackupAndRestore(value = "target/dl4j-tests/resume/reference/backup", saveFreq = 5)
    @ReduceLrOnPlateau(monitor = "loss", factor = 0.5, patience = 0, minDelta = 0.05)
    static class SdEpochEndReference extends CrashingAtEpochEnd {}

    @Test
    void aSameDiffGraphResumedAfterAnEpochsLastBatchRunsNoEmptyEpoch() {
        Nets.clean("target/dl4j-tests/resume/reference");
        Nets.clean("target/dl4j-tests/resume/run");
        SameDiff expected = Nets.sameDiff(3e-2);
        History expectedHistory = Dl4jTrainer.fit(expected, Nets.SD_OUTPUT, Nets.train(),
                Dl4jFit.epochs(4).verbose(0), new SdEpochEndReference());

        SdEpochEnd crashing = new SdEpochEnd();
        crashing.crashEpoch = 1; // its last backup: epoch 1 with all 10 batches done (saveFreq 5)
        assertThrows(IllegalStateException.class, () -> Dl4jTrainer.fit(Nets.sameDiff(3e-2), Nets.SD_OUTPUT,
                Nets.train(), Dl4jFit.epochs(4).verbose(0), crashing));
        SameDiff resumed = Nets.sameDiff(3e-2);
        SameDiffTrainerTest.SdRecorder steps = new SameDiffTrainerTest.SdRecorder();
        resumed.setListeners(steps);
        History history = Dl4jTrainer.fit(resumed, Nets.SD_OUTPUT, Nets.train(), Dl4jFit.epochs(4).verbose(0),
                new SdEpochEnd());

        assertThat(steps.losses).hasSize(20); // epochs 2 and 3: epoch 1's end ran again without a step
        assertThat(steps.epochEnds).isEqualTo(2);
        assertThat(resumed.getTrainingConfig().getEpochCount()).isEqualTo(4);
        assertThat(resumed.getTrainingConfig().getIterationCount()).isEqualTo(40);
        assertThat(SameDiffTrainerTest.variables(resumed)).isEqualTo(SameDiffTrainerTest.variables(expected));
        assertThat(SameDiffTrainerTest.updaterState(resumed)).isEqualTo(SameDiffTrainerTest.updaterState(expected));
        assertThat(history.asMap()).isEqualTo(expectedHistory.asMap());
    }

    private static List<String> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }

    private static List<String> zips(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".zip")).sorted().toList();
        }
    }
}
