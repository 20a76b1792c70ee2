package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.callbacks4j.History;
import org.callbacks4j.internal.io.EventFiles;
import org.callbacks4j.internal.train.Backups;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program restarted after its {@code @BackupAndRestore} training finished gets the finished run back (its History
 * and parameters) without training, running a hook or writing a file, so TensorBoard never shows a step twice; a fit
 * asking for fewer epochs than an unfinished backup already ran is refused and the backup kept (issue 11).
 */
@Tag("reliability")
class RunCompletionTest {

    private static final int EPOCHS = 3;

    @TempDir
    Path dir;

    private static History fit(Sequential model, int epochs, RecordingDispatcher recorder, BackupTraining training) {
        return ResumeScenario.trainer().fit(model, ResumeScenario.DATA, ResumeScenario.fit(epochs), recorder, training);
    }

    @Test
    void aRestartAfterCompletionReturnsTheFinishedRunWithoutTrainingOrWriting() throws IOException {
        Sequential first = ResumeScenario.model();
        RecordingDispatcher firstHooks = new RecordingDispatcher(RecordingDispatcher.ALL);
        History done = fit(first, EPOCHS, firstHooks, new BackupTraining(dir, 4, 50));
        assertThat(firstHooks.events()).isNotEmpty();
        Map<String, byte[]> filesBefore = ResumeScenario.Outcome.files(dir);
        List<String> scalarsBefore = EventFiles.scalars(dir.resolve("tb/train"));
        int eventFilesBefore = EventFiles.fileCount(dir.resolve("tb/train"));
        List<Path> backups = Backups.files(dir.resolve("backup"));
        assertThat(backups).hasSize(1); // deleteCheckpoint: only the completion record is left
        assertThat(Backups.read(backups.get(0)).complete()).isTrue();

        // The program again, unchanged: fresh model and callbacks.
        Sequential again = ResumeScenario.model();
        RecordingDispatcher hooks = new RecordingDispatcher(RecordingDispatcher.ALL);
        History returned = fit(again, EPOCHS, hooks, new BackupTraining(dir, 4, 50));

        assertThat(ResumeScenario.historyText(returned.epochs(), returned.asMap()))
                .isEqualTo(ResumeScenario.historyText(done.epochs(), done.asMap()));
        assertThat(again.params().toFloatVector()).isEqualTo(first.params().toFloatVector());
        assertThat(hooks.events()).isEmpty(); // nothing ran: no onTrainBegin, no epoch
        assertThat(Backups.files(dir.resolve("backup"))).isEqualTo(backups);
        Map<String, byte[]> filesAfter = ResumeScenario.Outcome.files(dir);
        assertThat(filesAfter.keySet()).isEqualTo(filesBefore.keySet());
        for (Map.Entry<String, byte[]> e : filesBefore.entrySet()) {
            assertWithMessage("file %s", e.getKey()).that(filesAfter.get(e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(EventFiles.fileCount(dir.resolve("tb/train"))).isEqualTo(eventFilesBefore);
        assertThat(EventFiles.scalars(dir.resolve("tb/train"))).isEqualTo(scalarsBefore);
    }

    @Test
    void tensorBoardNeverShowsAStepTwiceAfterRestarts() throws IOException {
        for (int run = 0; run < 3; run++) {
            fit(ResumeScenario.model(), EPOCHS, new RecordingDispatcher(0), new BackupTraining(dir, 4, 50));
        }
        for (String tb : List.of("tb/train", "tb/validation")) {
            List<String> scalars = EventFiles.scalars(dir.resolve(tb));
            assertThat(scalars).isNotEmpty();
            Set<String> tagSteps = new HashSet<>();
            List<String> repeated = new ArrayList<>();
            for (String line : scalars) {
                String tagStep = line.substring(0, line.lastIndexOf(' '));
                if (!tagSteps.add(tagStep)) {
                    repeated.add(tagStep);
                }
            }
            assertWithMessage("%s: repeated (tag, step)", tb).that(repeated).isEmpty();
            assertThat(EventFiles.filesWithScalars(dir.resolve(tb))).isEqualTo(1);
        }
    }

    @Test
    void keepingBackupsLeavesThePreviousGenerationBesideTheCompletionRecord() throws IOException {
        fit(ResumeScenario.model(), EPOCHS, new RecordingDispatcher(0), new BackupTraining(dir, 0, 50, false));
        List<Path> backups = Backups.files(dir.resolve("backup"));
        assertThat(backups).hasSize(2);
        assertThat(Backups.read(backups.get(0)).complete()).isTrue();
        assertThat(Backups.read(backups.get(1)).complete()).isFalse();
        assertThat(fit(ResumeScenario.model(), EPOCHS, new RecordingDispatcher(0),
                new BackupTraining(dir, 0, 50, false)).epochs()).containsExactly(0, 1, 2).inOrder();
    }

    @Test
    void resumingWithFewerEpochsThanTheBackupRanIsRefusedAndKeepsTheBackup() throws IOException {
        // Dies in epoch 3 (of 5): the backup has 3 epochs done.
        assertThrows(BackupTraining.Crash.class, () -> fit(ResumeScenario.model(), 5, new RecordingDispatcher(0),
                new BackupTraining(dir, 0, 50).crashAt(3, 2)));
        List<Path> backups = Backups.files(dir.resolve("backup"));
        byte[] newest = Files.readAllBytes(backups.get(0));
        Sequential model = ResumeScenario.model();
        float[] before = model.params().toFloatVector();
        RecordingDispatcher hooks = new RecordingDispatcher(RecordingDispatcher.ALL);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> fit(model, 2, hooks, new BackupTraining(dir, 0, 50)));
        assertThat(refused.getMessage()).isEqualTo("@BackupAndRestore: backup " + backups.get(0).toAbsolutePath()
                + " already ran 3 epochs, but this fit asks for 2 (Fit.epochs(2)); pass Fit.epochs(3) or more to "
                + "finish that run, or move or delete the folder " + dir.resolve("backup").toAbsolutePath()
                + " to start a new one");
        assertThat(hooks.events()).isEmpty();
        assertThat(model.params().toFloatVector()).isEqualTo(before);
        assertThat(Backups.files(dir.resolve("backup"))).isEqualTo(backups);
        assertThat(Files.readAllBytes(backups.get(0))).isEqualTo(newest);
        // As many epochs as it ran: nothing left to train, the run completes.
        assertThat(fit(ResumeScenario.model(), 3, new RecordingDispatcher(0), new BackupTraining(dir, 0, 50))
                .epochs()).containsExactly(0, 1, 2).inOrder();
        assertThat(Backups.read(Backups.files(dir.resolve("backup")).get(0)).complete()).isTrue();
    }
}
