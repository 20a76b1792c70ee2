package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.callbacks4j.History;
import org.callbacks4j.data.BatchSource;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The position in streamed data is part of a backup: a fit on a file source that dies mid-epoch (a hook throws,
 * standing in for a killed process) resumes at the same row of the same epoch order and ends bit-identical to the
 * uninterrupted fit, for a memory-mapped file (index permutation, jumped to), a gzipped one (shuffle buffer, replayed
 * up to the saved batch) and weighted rows (the epoch's weights are saved too). The reliability rules of in-memory
 * fits hold for streamed ones: their output paths are locked, and a restart after completion returns the run.
 */
class StreamingResumeTest {

    private static final int EPOCHS = 5;

    @TempDir
    Path dir;

    private ResumeScenario.Outcome train(Path root, BatchSource data, BatchSource validation, Fit fit,
            BackupTraining callbacks) throws IOException {
        Sequential model = StreamingFitTest.model();
        History history = StreamingFitTest.trainer().fit(model, data, fit.validationData(validation), callbacks);
        return ResumeScenario.Outcome.of(model, history, root);
    }

    private void assertResumesBitIdentically(BatchSource data, BatchSource validation, Fit fit) throws IOException {
        Path reference = dir.resolve("reference");
        ResumeScenario.Outcome expected = train(reference, data, validation, fit, new BackupTraining(reference, 4, 50));
        Path root = dir.resolve("interrupted");
        for (int[] crash : new int[][] {{0, 6}, {1, 14}, {3, 2}, {3, 10}}) {
            BackupTraining callbacks = new BackupTraining(root, 4, 50).crashAt(crash[0], crash[1]);
            assertThrows(BackupTraining.Crash.class, () -> train(root, data, validation, fit, callbacks));
        }
        ResumeScenario.Outcome actual = train(root, data, validation, fit, new BackupTraining(root, 4, 50));
        assertWithMessage("History").that(actual.historyText()).isEqualTo(expected.historyText());
        assertThat(actual.params()).isEqualTo(expected.params());
        assertThat(actual.files().keySet()).isEqualTo(expected.files().keySet());
        for (Map.Entry<String, byte[]> e : expected.files().entrySet()) {
            assertWithMessage("file %s", e.getKey()).that(actual.files().get(e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(actual.scalars()).isEqualTo(expected.scalars());
    }

    private static Fit fit() {
        return Fit.epochs(EPOCHS).batchSize(16).seed(7).verbose(0);
    }

    @Test
    void aMappedFileResumesMidEpochBitIdentically() throws IOException {
        assertResumesBitIdentically(StreamingFitTest.npy(dir, "t", StreamingFitTest.DATA, false),
                StreamingFitTest.npy(dir, "v", StreamingFitTest.VALIDATION, false), fit());
    }

    @Test
    void aGzippedFileResumesMidEpochBitIdentically() throws IOException {
        assertResumesBitIdentically(StreamingFitTest.npy(dir, "t", StreamingFitTest.DATA, true).shuffleBuffer(40),
                StreamingFitTest.npy(dir, "v", StreamingFitTest.VALIDATION, true), fit());
    }

    @Test
    void weightedRowsResumeMidEpochBitIdentically() throws IOException {
        assertResumesBitIdentically(StreamingFitTest.npy(dir, "t", StreamingFitTest.DATA, true),
                StreamingFitTest.npy(dir, "v", StreamingFitTest.VALIDATION, false),
                fit().classWeight(Map.of(0, 2.0, 1, 0.5)));
    }

    @Test
    void aBackupOfOtherDataIsRefused() throws IOException {
        Path root = dir.resolve("run");
        BatchSource validation = StreamingFitTest.npy(dir, "v", StreamingFitTest.VALIDATION, false);
        BackupTraining crashing = new BackupTraining(root, 4, 50).crashAt(1, 3);
        assertThrows(BackupTraining.Crash.class, () -> train(root,
                StreamingFitTest.npy(dir, "t", StreamingFitTest.DATA, false), validation, fit(), crashing));
        // The same file name, other values: the fingerprint differs.
        BatchSource changed = StreamingFitTest.npy(dir, "t", StreamingFitTest.ALL.rows(60, 300), false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> train(root, changed, validation, fit(), new BackupTraining(root, 4, 50)));
        assertThat(e.getMessage()).contains("was written for another training");
        assertThat(e.getMessage()).contains("CRC-32C");
    }

    @Test
    void aStreamedRunLocksItsOutputsAndARestartAfterCompletionReturnsItWithoutTraining() throws Exception {
        Path root = dir.resolve("run");
        BatchSource data = StreamingFitTest.npy(dir, "t", StreamingFitTest.DATA, true);
        BatchSource validation = StreamingFitTest.npy(dir, "v", StreamingFitTest.VALIDATION, false);
        Fit fit = fit().validationData(validation);
        FitLocksTest.Holder holder = new FitLocksTest.Holder();
        Sequential first = StreamingFitTest.model();
        CompletableFuture<History> running = CompletableFuture.supplyAsync(() -> StreamingFitTest.trainer()
                .fit(first, data, fit, holder, new BackupTraining(root, 4, 50)));
        assertThat(holder.inEpoch.await(60, TimeUnit.SECONDS)).isTrue();

        // A second fit on the same folders while the first streams: refused before anything runs.
        RecordingDispatcher refusedHooks = new RecordingDispatcher(RecordingDispatcher.ALL);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> StreamingFitTest.trainer()
                .fit(StreamingFitTest.model(), data, fit, refusedHooks, new BackupTraining(root, 4, 50)));
        assertThat(refused.getMessage()).contains("is in use by another fit");
        assertThat(refusedHooks.events()).isEmpty();
        holder.release.countDown();
        History done = running.get(120, TimeUnit.SECONDS);
        assertThat(done.epochs()).hasSize(EPOCHS);
        Map<String, byte[]> filesBefore = ResumeScenario.Outcome.files(root);

        // The program again: the completion record gives the finished run back, without training or writing.
        // (The same callbacks as the finished run, or the backup is another training's: a holder that would not hold.)
        Sequential again = StreamingFitTest.model();
        FitLocksTest.Holder notHolding = new FitLocksTest.Holder();
        notHolding.release.countDown();
        History returned = StreamingFitTest.trainer().fit(again, data, fit, notHolding,
                new BackupTraining(root, 4, 50));
        assertThat(ResumeScenario.historyText(returned.epochs(), returned.asMap()))
                .isEqualTo(ResumeScenario.historyText(done.epochs(), done.asMap()));
        assertThat(again.params().toFloatVector()).isEqualTo(first.params().toFloatVector());
        assertThat(notHolding.inEpoch.getCount()).isEqualTo(1); // no epoch began
        Map<String, byte[]> filesAfter = ResumeScenario.Outcome.files(root);
        assertThat(filesAfter.keySet()).isEqualTo(filesBefore.keySet());
        for (Map.Entry<String, byte[]> e : filesBefore.entrySet()) {
            assertWithMessage("file %s", e.getKey()).that(filesAfter.get(e.getKey())).isEqualTo(e.getValue());
        }
        // Every fit, refused, finished or returned, has ended its reader threads.
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("callbacks4j-batches-")).toList()).isEmpty();
    }
}
