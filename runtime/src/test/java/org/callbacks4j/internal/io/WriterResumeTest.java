package org.callbacks4j.internal.io;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV and TensorBoard positions a backup saves: a writer reopened at a saved position cuts off what was written
 * after it and continues, so that the file ends as an uninterrupted writer's; a file changed since is refused.
 */
class WriterResumeTest {

    @TempDir
    Path dir;

    private static TestLogs epoch(TestLogs logs, int epoch) {
        return logs.set("loss", 1.0 / (epoch + 1), "val_loss", 2.0 / (epoch + 1));
    }

    @Test
    void aCsvLogResumedAtASavedPositionEndsAsAnUninterruptedOne() throws IOException {
        TestLogs logs = new TestLogs("loss", "val_loss");
        Path whole = dir.resolve("whole.csv");
        try (CsvLogWriter w = CsvLogWriter.open(whole, ";", false)) {
            for (int e = 0; e < 5; e++) {
                w.writeEpoch(e, epoch(logs, e));
            }
        }
        for (int cut = 0; cut <= 4; cut++) {
            Path file = dir.resolve("cut" + cut + ".csv");
            CsvLogWriter.Position saved = null;
            CsvLogWriter first = CsvLogWriter.open(file, ";", false);
            for (int e = 0; e < 5; e++) {
                if (e == cut) {
                    saved = first.position();
                }
                first.writeEpoch(e, epoch(logs, e)); // rows after the save: written, then lost with the process
            }
            first.close();
            assertThat(saved.columns() == null).isEqualTo(cut == 0);
            try (CsvLogWriter resumed = CsvLogWriter.resume(file, ";", saved)) {
                for (int e = cut; e < 5; e++) {
                    resumed.writeEpoch(e, epoch(logs, e));
                }
            }
            assertThat(Files.readString(file)).isEqualTo(Files.readString(whole));
        }
    }

    @Test
    void aCsvLogChangedOrCutSinceTheBackupIsRefused() throws IOException {
        TestLogs logs = new TestLogs("loss", "val_loss");
        Path file = dir.resolve("h.csv");
        CsvLogWriter.Position saved;
        try (CsvLogWriter w = CsvLogWriter.open(file, ",", false)) {
            w.writeEpoch(0, epoch(logs, 0));
            saved = w.position();
        }
        String text = Files.readString(file);
        Files.writeString(file, text.replace("2.0", "2.5"));
        IOException changed = assertThrows(IOException.class, () -> CsvLogWriter.verify(file, saved));
        assertThat(changed).hasMessageThat().contains("CSV log " + file.toAbsolutePath() + ": its first "
                + saved.length() + " bytes are not those the backup recorded");
        Files.writeString(file, text.substring(0, 10));
        IOException cut = assertThrows(IOException.class, () -> CsvLogWriter.resume(file, ",", saved));
        assertThat(cut).hasMessageThat().contains("has 10 bytes, fewer than the " + saved.length());
        assertThat(Files.readString(file)).isEqualTo(text.substring(0, 10)); // refused: left as it was
        Files.delete(file);
        assertThat(assertThrows(IOException.class, () -> CsvLogWriter.verify(file, saved))).hasMessageThat()
                .contains("does not exist any more");
    }

    @Test
    void aTensorBoardRunResumedAtASavedPositionContinuesTheSameFilesWithoutRepeatedSteps() throws IOException {
        TestLogs logs = new TestLogs("loss", "val_loss");
        Path whole = dir.resolve("whole");
        try (TensorBoardWriter w = TensorBoardWriter.open(whole, 2)) {
            write(w, logs, 0, 4);
        }
        Path logDir = dir.resolve("cut");
        TensorBoardWriter first = TensorBoardWriter.open(logDir, 2);
        write(first, logs, 0, 2);
        TensorBoardWriter.Position saved = first.position();
        write(first, logs, 2, 3); // lost with the process
        first.close();

        assertThat(saved.globalBatch()).isEqualTo(6);
        try (TensorBoardWriter resumed = TensorBoardWriter.resume(logDir, 2, saved)) {
            assertThat(resumed.globalBatch()).isEqualTo(6);
            write(resumed, logs, 2, 4);
        }
        for (String run : List.of("train", "validation")) {
            assertThat(EventFiles.scalars(logDir.resolve(run))).isEqualTo(EventFiles.scalars(whole.resolve(run)));
            assertThat(EventFiles.fileCount(logDir.resolve(run))).isEqualTo(1);
        }
    }

    @Test
    void aTensorBoardFileChangedSinceTheBackupIsRefused() throws IOException {
        Path logDir = dir.resolve("tb");
        TensorBoardWriter.Position saved;
        try (TensorBoardWriter w = TensorBoardWriter.open(logDir, 0)) {
            w.writeEpoch(0, epoch(new TestLogs("loss", "val_loss"), 0), 0.01);
            saved = w.position();
        }
        Path train = logDir.resolve("train").resolve(saved.trainFile());
        byte[] bytes = Files.readAllBytes(train);
        bytes[bytes.length - 3] ^= 1;
        Files.write(train, bytes);
        IOException e = assertThrows(IOException.class, () -> TensorBoardWriter.resume(logDir, 0, saved));
        assertThat(e).hasMessageThat().contains("TensorBoard event file " + train.toAbsolutePath() + ": its first "
                + saved.trainLength() + " bytes are not those the backup recorded");
    }

    /** Epochs {@code from} until {@code to}, three batches each. */
    private static void write(TensorBoardWriter w, TestLogs logs, int from, int to) throws IOException {
        for (int e = from; e < to; e++) {
            for (int b = 0; b < 3; b++) {
                if (w.nextBatch()) {
                    w.writeBatch(new TestLogs("loss").set("loss", e + b / 10.0));
                }
            }
            w.writeEpoch(e, epoch(logs, e), 0.01);
        }
    }
}
