package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.callbacks4j.History;
import org.callbacks4j.data.BatchSource;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The position in streamed data is part of a backup: a fit on a file source that dies mid-epoch (a hook throws,
 * standing in for a killed process) resumes at the same row of the same epoch order and ends bit-identical to the
 * uninterrupted fit, for a memory-mapped file (index permutation, jumped to), a gzipped one (shuffle buffer, replayed
 * up to the saved batch) and weighted rows (the epoch's weights are saved too).
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
}
