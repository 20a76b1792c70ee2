package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    private ResumeScenario.Outcome uninterrupted(int backupFreq, int patience) throws IOException {
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

    private static void assertSameRun(ResumeScenario.Outcome actual, ResumeScenario.Outcome expected) {
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
    }

    @Test
    void twoUninterruptedRunsAreBitIdentical() throws IOException {
        ResumeScenario.Outcome a = uninterrupted(0, 50);
        Path root = dir.resolve("again");
        ResumeScenario.Outcome b = ResumeScenario.train(root, EPOCHS, new BackupTraining(root, 0, 50));
        assertSameRun(b, a);
        assertThat(a.epochs()).hasSize(EPOCHS);
        assertThat(a.files()).doesNotContainKey("backup"); // deleteCheckpoint: gone after a normal end
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
}
