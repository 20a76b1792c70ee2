package org.callbacks4j.internal.policy;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ModelCheckpoint: the decisions of {@link CheckpointPolicy} turned into saves through the plan. */
class ModelCheckpointTest {

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    @Test
    void savesThroughThePlanWithThePositionAndReportsEachSave() {
        String template = dir.resolve("c-{epoch}-{loss:.1f}.zip").toString();
        ModelCheckpoint checkpoint =
                new ModelCheckpoint(template, "loss", false, true, true, 0, Double.NaN, 1, log);
        FakeLogs logs = new FakeLogs("loss");
        FakePlan plan = new FakePlan(logs, false);
        checkpoint.prepare(plan);

        double[] losses = {0.5, 0.7, 0.25};
        for (int epoch = 0; epoch < losses.length; epoch++) {
            checkpoint.onEpochBegin(epoch, plan.context);
            checkpoint.onEpochEnd(epoch, logs.put("loss", losses[epoch]), plan.context);
        }

        assertThat(plan.saves).containsExactly(dir.resolve("c-1-0.5.zip") + " true 0 -1",
                dir.resolve("c-3-0.2.zip") + " true 2 -1").inOrder();
        assertThat(checkpoint.lastSaved()).isEqualTo(dir.resolve("c-3-0.2.zip").toString());
        assertThat(checkpoint.saves()).isEqualTo(2);
        assertThat(checkpoint.best()).isEqualTo(0.25);
        assertThat(log.at("INFO")).contains("Epoch 3: finished saving model to " + dir.resolve("c-3-0.2.zip"));
    }

    @Test
    void batchLevelSavesCarryTheEpochAndBatch() {
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir.resolve("b-{epoch}-{batch}.zip").toString(), "loss",
                false, false, false, 2, Double.NaN, 0, log);
        FakeLogs logs = new FakeLogs("loss").put("loss", 1.0);
        FakePlan plan = new FakePlan(logs, false);
        checkpoint.prepare(plan);

        for (int batch = 0; batch < 3; batch++) {
            checkpoint.onBatchEnd(4, batch, logs, plan.context); // no onEpochBegin: the batch call has the epoch
        }
        checkpoint.onEpochEnd(4, logs, plan.context); // batch-level checkpoints do not save at epoch end

        assertThat(plan.saves).containsExactly(dir.resolve("b-5-2.zip") + " false 4 1");
    }

    @Test
    void aFailedSaveIsAnErrorNamingTheEpochAndLeavesTheLastSaveAsItWas() {
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir.resolve("c.zip").toString(), "loss", false, false,
                false, 0, Double.NaN, 0, log);
        FakeLogs logs = new FakeLogs("loss").put("loss", 1.0);
        FakePlan plan = new FakePlan(logs, false);
        checkpoint.prepare(plan);
        checkpoint.onEpochEnd(0, logs, plan.context);
        plan.saveFailure = new IOException("disk full");

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> checkpoint.onEpochEnd(1, logs, plan.context));

        assertThat(e).hasMessageThat().isEqualTo("@Checkpoint could not save epoch 2: disk full");
        assertThat(checkpoint.saves()).isEqualTo(1);
    }

    @Test
    void prepareCreatesTheFixedPartOfTheFolder() {
        Path folder = dir.resolve("runs/one");
        new ModelCheckpoint(folder.resolve("{epoch}/c.zip").toString(), "loss", false, false, false, 0, Double.NaN,
                0, log).prepare(new FakePlan(new FakeLogs("loss"), false));

        assertThat(Files.isDirectory(folder)).isTrue();
    }

    @Test
    void prepareRejectsAPathThatIsAFolder() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("c.zip"));
        ModelCheckpoint checkpoint =
                new ModelCheckpoint(folder.toString(), "loss", false, false, false, 0, Double.NaN, 0, log);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> checkpoint.prepare(new FakePlan(new FakeLogs("loss"), false)));

        assertThat(e).hasMessageThat().isEqualTo("@Checkpoint path \"" + folder + "\": checkpoint path "
                + folder.toAbsolutePath() + " is a folder; pass the path of a file (inside it, or elsewhere)");
    }

    @Test
    void saveBeforePrepareFailsLoudly() {
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir.resolve("c.zip").toString(), "loss", false, false,
                false, 0, Double.NaN, 0, log);

        assertThrows(IllegalStateException.class,
                () -> checkpoint.onEpochEnd(0, new FakeLogs("loss").put("loss", 1.0), new FakeContext(0.1)));
    }
}
