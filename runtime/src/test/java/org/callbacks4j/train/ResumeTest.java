package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.train.Backups;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fit that dies (here: a hook throws, standing in for a killed process) and is started again with fresh objects
 * resumes from its backup and ends exactly where the uninterrupted fit ends: the same parameters bit for bit, the same
 * History, the same CSV and checkpoint bytes, the same TensorBoard scalars in the same single event file.
 */
class ResumeTest {

    private static final int EPOCHS = 8;

    @TempDir
    Path dir;

    ResumeScenario.Outcome uninterrupted(int backupFreq, int patience) throws IOException {
        Path root = dir.resolve("reference");
        return ResumeScenario.train(root, EPOCHS, new BackupTraining(root, backupFreq, patience));
    }

    /** Crashes at each point in turn (each run resuming the previous one), then lets the last run finish. */
    private ResumeScenario.Outcome interrupted(int backupFreq, int patience, int[]... crashes) throws IOException {
        Path root = dir.resolve("interrupted");
        for (int[] crash : crashes) {
            BackupTraining callbacks = new BackupTraining(root, backupFreq, patience).crashAt(crash[0], crash[1]);
            assertThrows(BackupTraining.Crash.class, () -> ResumeScenario.train(root, EPOCHS, callbacks));
        }
        return ResumeScenario.train(root, EPOCHS, new BackupTraining(root, backupFreq, patience));
    }

    static void assertSameRun(ResumeScenario.Outcome actual, ResumeScenario.Outcome expected) {
        assertWithMessage("History").that(actual.historyText()).isEqualTo(expected.historyText());
        assertThat(actual.params()).isEqualTo(expected.params());
        assertThat(actual.stoppedBy()).isEqualTo(expected.stoppedBy());
        assertThat(actual.earlyStopping()).isEqualTo(expected.earlyStopping());
        assertThat(actual.files().keySet()).isEqualTo(expected.files().keySet());
        for (Map.Entry<String, byte[]> e : expected.files().entrySet()) {
            assertWithMessage("file %s", e.getKey()).that(actual.files().get(e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(actual.scalars()).isEqualTo(expected.scalars());
        assertThat(actual.eventFiles()).isEqualTo(1);
        assertWithMessage("validation scalars").that(actual.validationScalars())
                .isEqualTo(expected.validationScalars());
        assertThat(actual.validationEventFiles()).isEqualTo(expected.validationEventFiles());
    }

    @Test
    void twoUninterruptedRunsAreBitIdentical() throws IOException {
        ResumeScenario.Outcome a = uninterrupted(0, 50);
        Path root = dir.resolve("again");
        ResumeScenario.Outcome b = ResumeScenario.train(root, EPOCHS, new BackupTraining(root, 0, 50));
        assertSameRun(b, a);
        assertThat(a.epochs()).hasSize(EPOCHS);
        // deleteCheckpoint: after a normal end only the completion record is left.
        List<Path> backups = Backups.files(dir.resolve("reference/backup"));
        assertThat(backups).hasSize(1);
        assertThat(Backups.read(backups.get(0)).complete()).isTrue();
    }

    @Test
    void epochBackupsResumeAtTheNextEpochAsIfNothingHappened() throws IOException {
        ResumeScenario.Outcome expected = uninterrupted(0, 50);
        // Crashes in the middle of epochs 2 and 5, and at the very start of epoch 6.
        ResumeScenario.Outcome actual = interrupted(0, 50, new int[] {2, 9}, new int[] {5, 3}, new int[] {6, 0});
        assertSameRun(actual, expected);
        String csv = new String(actual.files().get("history.csv"), StandardCharsets.US_ASCII);
        assertThat(csv.split("\r\n")).hasLength(EPOCHS + 1);
    }

    @Test
    void batchBackupsResumeInTheMiddleOfAnEpoch() throws IOException {
        ResumeScenario.Outcome expected = uninterrupted(4, 50);
        // Backups every 4 batches: 4, 8, 12, then 1, 5, ... of the next epoch (15 batches per epoch).
        ResumeScenario.Outcome actual = interrupted(4, 50, new int[] {0, 6}, new int[] {1, 14}, new int[] {3, 2},
                new int[] {3, 10}, new int[] {7, 14});
        assertSameRun(actual, expected);
    }

    @Test
    void aRunKilledAfterItsFirstValidationWriteResumesTheValidationEventFile() throws IOException {
        // Backups every 100 batches: the only one before the crash is the one taken before any training, so the
        // validation event file must already exist then, or the resumed run leaves epoch 0's scalars twice.
        ResumeScenario.Outcome expected = uninterrupted(100, 50);
        assertSameRun(interrupted(100, 50, new int[] {1, 0}), expected);
    }

    @Test
    void aStopRequestSavedAtAnEpochEndStillEndsTheRun() throws IOException {
        int epochs = 30;
        Path reference = dir.resolve("reference");
        ResumeScenario.Outcome expected = ResumeScenario.train(reference, epochs, new BackupTraining(reference, 0, 0));
        assertThat(expected.stoppedBy()).isEqualTo("EarlyStopping(monitor=val_loss)");
        assertThat(expected.epochs().size()).isLessThan(epochs);
        // The last backup holds the stop request; the run dies before its train end.
        Path root = dir.resolve("interrupted");
        BackupTraining crashing = new BackupTraining(root, 0, 0).crashAtTrainEnd();
        assertThrows(BackupTraining.Crash.class, () -> ResumeScenario.train(root, epochs, crashing));
        assertSameRun(ResumeScenario.train(root, epochs, new BackupTraining(root, 0, 0)), expected);
    }

    @Test
    void aStopRequestSavedInTheMiddleOfAnEpochRunsNoFurtherBatch() throws IOException {
        Path reference = dir.resolve("reference");
        ResumeScenario.Outcome expected = ResumeScenario.train(reference, EPOCHS,
                new BackupTraining(reference, 1, 50).stopAt(2, 5));
        assertThat(expected.epochs()).containsExactly(0, 1, 2).inOrder();
        Path root = dir.resolve("interrupted");
        BackupTraining crashing = new BackupTraining(root, 1, 50).stopAt(2, 5).crashAtTrainEnd();
        assertThrows(BackupTraining.Crash.class, () -> ResumeScenario.train(root, EPOCHS, crashing));
        // Not at train end this time: the backup after batch 5 holds the stop; the epoch's end never ran.
        assertSameRun(ResumeScenario.train(root, EPOCHS, new BackupTraining(root, 1, 50).stopAt(2, 5)), expected);
    }

    /** A crashed run under {@code root}, leaving its backups, CSV and event files; returns the files' bytes. */
    Map<String, byte[]> crashed(Path root) throws IOException {
        BackupTraining crashing = new BackupTraining(root, 4, 50).crashAt(2, 6);
        assertThrows(BackupTraining.Crash.class, () -> ResumeScenario.train(root, EPOCHS, crashing));
        return ResumeScenario.Outcome.files(root);
    }

    /** Refuses to resume: the message, after checking that nothing was trained, written or deleted. */
    String refused(Path root, Map<String, byte[]> before, Sequential model, Dataset data, Fit fit)
            throws IOException {
        INDArray params = model.params().dup();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ResumeScenario.trainer().fit(model, data, fit, new BackupTraining(root, 4, 50)));
        assertThat(model.params()).isEqualTo(params);
        Map<String, byte[]> after = ResumeScenario.Outcome.files(root);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String file : before.keySet()) {
            assertWithMessage(file).that(after.get(file)).isEqualTo(before.get(file));
        }
        assertThat(e).hasMessageThat().contains("Resume with the settings it was written with, or move or delete the "
                + "folder " + root.resolve("backup").toAbsolutePath() + " to start a new run.");
        return e.getMessage();
    }

    @Test
    void aBackupOfAnotherModelDataOrFitIsRefusedBeforeAnythingChanges() throws IOException {
        Path root = dir.resolve("run");
        Map<String, byte[]> before = crashed(root);

        Sequential wider = Sequential.input(6).dense(17, Activation.RELU).dense(3, Activation.SOFTMAX).seed(3).build();
        assertThat(refused(root, before, wider, ResumeScenario.DATA, ResumeScenario.fit(EPOCHS)))
                .contains("was written for another training: the backup has \"model: input 6; dense 6->16 RELU "
                        + "HE; dense 16->3 SOFTMAX XAVIER\" where this fit has \"model: input 6; dense "
                        + "6->17 RELU HE; dense 17->3 SOFTMAX XAVIER\"");

        Dataset otherData = Blobs.classification(300, 6, 3, 12);
        assertThat(refused(root, before, ResumeScenario.model(), otherData, ResumeScenario.fit(EPOCHS)))
                .containsMatch("the backup has \"data: 300 rows; features 6 columns, CRC-32C [0-9a-f]{8}; labels 3 "
                        + "columns, CRC-32C [0-9a-f]{8}\" where this fit has \"data: 300 rows; features 6 columns");

        assertThat(refused(root, before, ResumeScenario.model(), ResumeScenario.DATA,
                ResumeScenario.fit(EPOCHS).batchSize(32)))
                .contains("the backup has \"fit: batchSize 16; shuffle true; seed 7; validation split 0.2\" where "
                        + "this fit has \"fit: batchSize 32; shuffle true; seed 7; validation split 0.2\"");

        // The backup was kept intact through the refusals: resuming with the right settings still works.
        assertSameRun(ResumeScenario.train(root, EPOCHS, new BackupTraining(root, 4, 50)), uninterrupted(4, 50));
    }

    @Test
    void aBackupWhoseCallbackStateHasAnotherLayoutIsRefused() throws IOException {
        Path root = dir.resolve("run");
        Map<String, byte[]> before = crashed(root);
        Sequential model = ResumeScenario.model();
        INDArray params = model.params().dup();
        // A second callback object: the backup holds the state of one.
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ResumeScenario.trainer().fit(
                model, ResumeScenario.DATA, ResumeScenario.fit(EPOCHS), new BackupTraining(root, 4, 50),
                new RecordingDispatcher(RecordingDispatcher.ALL)));
        assertThat(e).hasMessageThat().contains("was written for another training: the backup has \"(nothing)\" "
                + "where this fit has \"callback 1: org.callbacks4j.train.RecordingDispatcher\"");
        assertThat(model.params()).isEqualTo(params);
        assertThat(ResumeScenario.Outcome.files(root).keySet()).isEqualTo(before.keySet());
    }

    @Test
    void aDamagedNewestBackupIsReportedAndThePreviousOneResumesTheRunExactly() throws IOException {
        ResumeScenario.Outcome expected = uninterrupted(4, 50);
        Path root = dir.resolve("interrupted");
        crashed(root);
        List<Path> backups = Backups.files(root.resolve("backup"));
        assertThat(backups).hasSize(2);
        byte[] newest = Files.readAllBytes(backups.get(0));
        newest[newest.length / 2] ^= 0x55;
        Files.write(backups.get(0), newest);

        assertSameRun(ResumeScenario.train(root, EPOCHS, new BackupTraining(root, 4, 50)), expected);
    }
}
