package org.callbacks4j.internal.io;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardWriterTest {

    @TempDir
    Path dir;

    /** One scalar as a reader sees it: run-relative tag, step, value. */
    record Scalar(String tag, long step, float value) {
        @Override
        public String toString() {
            return tag + "@" + step + "=" + value;
        }
    }

    @Test
    void epochScalarsGoToTrainAndValidationRunsAsKerasNamesThem() throws IOException {
        Path logDir = dir.resolve("tb");
        TestLogs logs = new TestLogs("loss", "accuracy", "val_loss", "val_accuracy");
        try (TensorBoardWriter tb = TensorBoardWriter.open(logDir, 0)) {
            tb.writeEpoch(0, logs.set("loss", 0.9, "accuracy", 0.5, "val_loss", 1.0, "val_accuracy", 0.4), 1e-3);
            tb.writeEpoch(1, logs.set("loss", 0.7, "accuracy", 0.6, "val_loss", 0.8, "val_accuracy", 0.55), 5e-4);
        }

        assertThat(scalars(logDir.resolve("train"))).containsExactly(
                new Scalar("epoch_accuracy", 0, 0.5f), new Scalar("epoch_loss", 0, 0.9f),
                new Scalar("epoch_learning_rate", 0, 1e-3f),
                new Scalar("epoch_accuracy", 1, 0.6f), new Scalar("epoch_loss", 1, 0.7f),
                new Scalar("epoch_learning_rate", 1, 5e-4f)).inOrder();
        assertThat(scalars(logDir.resolve("validation"))).containsExactly(
                new Scalar("epoch_accuracy", 0, 0.4f), new Scalar("epoch_loss", 0, 1.0f),
                new Scalar("epoch_accuracy", 1, 0.55f), new Scalar("epoch_loss", 1, 0.8f)).inOrder();
    }

    @Test
    void eachRunHoldsOneEventFileNamedForTensorBoardThatStartsWithFileVersion() throws IOException {
        Path logDir = dir.resolve("tb");
        try (TensorBoardWriter tb = TensorBoardWriter.open(logDir, 0)) {
            tb.writeEpoch(0, new TestLogs("loss", "val_loss").set("loss", 1, "val_loss", 2), Double.NaN);
            assertThat(tb.trainFile().getParent()).isEqualTo(logDir.resolve("train"));
            assertThat(tb.validationFile().getParent()).isEqualTo(logDir.resolve("validation"));
        }

        for (String run : List.of("train", "validation")) {
            List<Path> files = files(logDir.resolve(run));
            assertThat(files).hasSize(1);
            String name = files.get(0).getFileName().toString();
            // events.out.tfevents.<10-digit seconds>.<host>.<pid>.<counter>.v2; readers require "tfevents".
            assertThat(name).matches("events\\.out\\.tfevents\\.\\d{10}\\.[A-Za-z0-9._-]+\\."
                    + ProcessHandle.current().pid() + "\\.\\d+\\.v2");
            long seconds = Long.parseLong(name.split("\\.")[3]);
            assertThat(Math.abs(seconds - System.currentTimeMillis() / 1000)).isLessThan(3600);
            List<TfEventReader.Event> events = TfEventReader.readEvents(files.get(0));
            assertThat(events.get(0).fileVersion()).isEqualTo("brain.Event:2");
            assertThat(events.get(0).values()).isEmpty();
            assertThat(events.get(0).wallTime()).isWithin(3600).of(System.currentTimeMillis() / 1000.0);
        }
    }

    @Test
    void theValidationRunIsCreatedOnlyWhenAValidationValueArrives() throws IOException {
        Path logDir = dir.resolve("tb");
        TestLogs logs = new TestLogs("loss", "val_loss");
        try (TensorBoardWriter tb = TensorBoardWriter.open(logDir, 0)) {
            tb.writeEpoch(0, logs.set("loss", 1.0), Double.NaN); // validation_freq = 2: none in epoch 0
            assertThat(tb.validationFile()).isNull();
            assertThat(Files.exists(logDir.resolve("validation"))).isFalse();
            tb.writeEpoch(1, logs.set("loss", 0.5, "val_loss", 0.75), Double.NaN);
        }

        assertThat(scalars(logDir.resolve("validation"))).containsExactly(new Scalar("epoch_loss", 1, 0.75f));
        assertThat(scalars(logDir.resolve("train")))
                .containsExactly(new Scalar("epoch_loss", 0, 1.0f), new Scalar("epoch_loss", 1, 0.5f)).inOrder();
    }

    @Test
    void theLearningRateArgumentReplacesALearningRateInTheLogs() throws IOException {
        Path logDir = dir.resolve("tb");
        TestLogs logs = new TestLogs("learning_rate", "loss");
        try (TensorBoardWriter tb = TensorBoardWriter.open(logDir, 0)) {
            tb.writeEpoch(0, logs.set("learning_rate", 0.5, "loss", 1.0), 0.25);
            tb.writeEpoch(1, logs.set("learning_rate", 0.125, "loss", 1.0), Double.NaN);
        }

        assertThat(scalars(logDir.resolve("train"))).containsExactly(
                new Scalar("epoch_learning_rate", 0, 0.25f), new Scalar("epoch_loss", 0, 1.0f),
                new Scalar("epoch_learning_rate", 1, 0.125f), new Scalar("epoch_loss", 1, 1.0f)).inOrder();
    }

    @Test
    void batchScalarsEveryNthGlobalBatchCountedAcrossEpochs() throws IOException {
        Path logDir = dir.resolve("tb");
        TestLogs logs = new TestLogs("loss", "accuracy", "val_loss");
        List<Long> recorded = new ArrayList<>();
        try (TensorBoardWriter tb = TensorBoardWriter.open(logDir, 3)) {
            for (int epoch = 0; epoch < 2; epoch++) {
                for (int batch = 0; batch < 4; batch++) {
                    if (tb.nextBatch()) {
                        recorded.add(tb.globalBatch());
                        tb.writeBatch(logs.set("loss", tb.globalBatch() * 0.25, "accuracy", batch * 0.125));
                    }
                }
                tb.writeEpoch(epoch, logs.set("loss", 10.0 + epoch, "val_loss", 20.0 + epoch), Double.NaN);
            }
            assertThat(tb.globalBatch()).isEqualTo(8);
        }

        // 1-based global batches 3 and 6 of 8 (epoch 0: batches 1-4, epoch 1: batches 5-8).
        assertThat(recorded).containsExactly(3L, 6L).inOrder();
        assertThat(scalars(logDir.resolve("train"))).containsExactly(
                new Scalar("batch_accuracy", 3, 0.25f), new Scalar("batch_loss", 3, 0.75f),
                new Scalar("epoch_loss", 0, 10f),
                new Scalar("batch_accuracy", 6, 0.125f), new Scalar("batch_loss", 6, 1.5f),
                new Scalar("epoch_loss", 1, 11f)).inOrder();
        assertThat(scalars(logDir.resolve("validation")))
                .containsExactly(new Scalar("epoch_loss", 0, 20f), new Scalar("epoch_loss", 1, 21f)).inOrder();
    }

    @Test
    void updateFreqZeroRecordsNoBatchAndOneRecordsEvery() throws IOException {
        try (TensorBoardWriter epochOnly = TensorBoardWriter.open(dir.resolve("a"), 0);
                TensorBoardWriter everyBatch = TensorBoardWriter.open(dir.resolve("b"), 1)) {
            for (int i = 0; i < 5; i++) {
                assertThat(epochOnly.nextBatch()).isFalse();
                assertThat(everyBatch.nextBatch()).isTrue();
            }
        }
    }

    @Test
    void aBatchNanIsRecordedButAnAbsentValueIsNot() throws IOException {
        Path logDir = dir.resolve("tb");
        TestLogs logs = new TestLogs("loss", "accuracy");
        try (TensorBoardWriter tb = TensorBoardWriter.open(logDir, 1)) {
            tb.nextBatch();
            tb.writeBatch(logs.set("loss", 1.0, "accuracy", 0.5));
            tb.nextBatch();
            tb.writeBatch(logs.set("loss", Double.NaN));
        }

        List<Scalar> scalars = scalars(logDir.resolve("train"));
        assertThat(scalars).hasSize(3);
        assertThat(scalars.get(2).tag()).isEqualTo("batch_loss");
        assertThat(scalars.get(2).step()).isEqualTo(2);
        assertThat(Float.isNaN(scalars.get(2).value())).isTrue();
    }

    @Test
    void evaluationScalarsGoToValidationAtTheIterationStep() throws IOException {
        Path logDir = dir.resolve("tb");
        try (TensorBoardWriter tb = TensorBoardWriter.open(logDir, 0)) {
            tb.writeEvaluation(120, new TestLogs("val_loss", "val_accuracy").set("val_loss", 0.5, "val_accuracy", 0.75));
        }

        assertThat(scalars(logDir.resolve("validation"))).containsExactly(
                new Scalar("evaluation_accuracy_vs_iterations", 120, 0.75f),
                new Scalar("evaluation_loss_vs_iterations", 120, 0.5f)).inOrder();
    }

    @Test
    void valuesAreStoredAsFloat32SimpleValues() throws IOException {
        Path logDir = dir.resolve("tb");
        try (TensorBoardWriter tb = TensorBoardWriter.open(logDir, 0)) {
            tb.writeEpoch(0, new TestLogs("loss").set("loss", 0.1), Double.NaN);
        }

        TfEventReader.Event event = TfEventReader.readEvents(files(logDir.resolve("train")).get(0)).get(1);
        assertThat(event.values()).hasSize(1);
        assertThat(event.values().get(0).simpleValue()).isEqualTo(0.1f);
        assertThat(event.values().get(0).tensorValue()).isNull();
    }

    @Test
    void aCrashAfterEpochNLeavesEveryRecordOfEpochsUpToN() throws IOException {
        Path logDir = dir.resolve("tb");
        TestLogs logs = new TestLogs("loss", "val_loss");
        TensorBoardWriter tb = TensorBoardWriter.open(logDir, 2);
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int batch = 0; batch < 3; batch++) {
                if (tb.nextBatch()) {
                    tb.writeBatch(logs.set("loss", tb.globalBatch()));
                }
            }
            tb.writeEpoch(epoch, logs.set("loss", epoch, "val_loss", epoch + 0.5), Double.NaN);
        }
        // No close(): read what a crash would leave.

        assertThat(TfEventReader.readRecords(Files.readAllBytes(tb.trainFile())).truncated()).isFalse();
        assertThat(scalars(logDir.resolve("train"))).containsExactly(
                new Scalar("batch_loss", 2, 2f), new Scalar("epoch_loss", 0, 0f),
                new Scalar("batch_loss", 4, 4f), new Scalar("batch_loss", 6, 6f), new Scalar("epoch_loss", 1, 1f),
                new Scalar("batch_loss", 8, 8f), new Scalar("epoch_loss", 2, 2f)).inOrder();
        assertThat(scalars(logDir.resolve("validation"))).containsExactly(new Scalar("epoch_loss", 0, 0.5f),
                new Scalar("epoch_loss", 1, 1.5f), new Scalar("epoch_loss", 2, 2.5f)).inOrder();
        tb.close();
    }

    @Test
    void aTruncatedLastRecordIsToleratedAndTheCompleteOnesRead() throws IOException {
        Path logDir = dir.resolve("tb");
        try (TensorBoardWriter tb = TensorBoardWriter.open(logDir, 0)) {
            for (int epoch = 0; epoch < 3; epoch++) {
                tb.writeEpoch(epoch, new TestLogs("loss").set("loss", epoch), Double.NaN);
            }
        }
        byte[] whole = Files.readAllBytes(files(logDir.resolve("train")).get(0));
        int lastRecordLength = whole.length - TfEventReader.readRecords(Arrays.copyOf(whole, whole.length))
                .records().stream().limit(3).mapToInt(r -> r.length + 16).sum();

        // Cut the last record (epoch 2) at every possible length: inside its header, data and footer.
        for (int cut = 1; cut < lastRecordLength; cut++) {
            TfEventReader.Records records = TfEventReader.readRecords(Arrays.copyOf(whole, whole.length - cut));
            assertThat(records.truncated()).isTrue();
            assertThat(records.records()).hasSize(3); // file_version, epoch 0, epoch 1
            assertThat(TfEventReader.parseEvent(records.records().get(2)).step()).isEqualTo(1);
        }
    }

    @Test
    void theReaderRejectsACorruptedRecord() throws IOException {
        Path logDir = dir.resolve("tb");
        try (TensorBoardWriter tb = TensorBoardWriter.open(logDir, 0)) {
            tb.writeEpoch(0, new TestLogs("loss").set("loss", 1), Double.NaN);
        }
        byte[] bytes = Files.readAllBytes(files(logDir.resolve("train")).get(0));
        bytes[bytes.length - 6] ^= 1; // inside the last value

        IOException e = assertThrows(IOException.class, () -> TfEventReader.readRecords(bytes));
        assertThat(e).hasMessageThat().contains("data CRC mismatch");
    }

    @Test
    void eachFitGetsItsOwnFileInTheSameRun() throws IOException {
        Path logDir = dir.resolve("tb");
        for (int fit = 0; fit < 3; fit++) {
            try (TensorBoardWriter tb = TensorBoardWriter.open(logDir, 0)) {
                tb.writeEpoch(0, new TestLogs("loss").set("loss", fit), Double.NaN);
            }
        }
        List<Path> files = files(logDir.resolve("train"));
        assertThat(files).hasSize(3);
        List<Float> losses = new ArrayList<>();
        for (Path file : files) {
            losses.add(TfEventReader.readEvents(file).get(1).values().get(0).simpleValue());
        }
        assertThat(losses).containsExactly(0f, 1f, 2f); // any order: names differ only in the counter
    }

    @Test
    void closeIsIdempotentAndWritingAfterCloseFails() throws IOException {
        TensorBoardWriter tb = TensorBoardWriter.open(dir.resolve("tb"), 1);
        tb.close();
        tb.close();

        assertThrows(IllegalStateException.class,
                () -> tb.writeEpoch(0, new TestLogs("loss").set("loss", 1), Double.NaN));
        assertThrows(IllegalStateException.class, () -> tb.writeBatch(new TestLogs("loss").set("loss", 1)));
    }

    @Test
    void writeBatchBeforeNextBatchIsAnError() throws IOException {
        try (TensorBoardWriter tb = TensorBoardWriter.open(dir.resolve("tb"), 1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> tb.writeBatch(new TestLogs("loss").set("loss", 1)));
            assertThat(e).hasMessageThat().contains("nextBatch()");
        }
    }

    @Test
    void rejectsANegativeUpdateFreqAndALogDirThatIsAFile() throws IOException {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> TensorBoardWriter.open(dir.resolve("tb"), -1));
        assertThat(negative).hasMessageThat().contains("updateFreq -1 is negative");

        Path file = Files.writeString(dir.resolve("tb-file"), "x");
        IOException notDir = assertThrows(IOException.class, () -> TensorBoardWriter.open(file, 0));
        assertThat(notDir).hasMessageThat().contains(file.toAbsolutePath() + " is a file, not a folder");
    }

    /** Every scalar in a run's files, in file order then record order, after validating every record. */
    static List<Scalar> scalars(Path run) throws IOException {
        List<Scalar> scalars = new ArrayList<>();
        for (Path file : files(run)) {
            List<TfEventReader.Event> events = TfEventReader.readEvents(file);
            assertThat(events.get(0).fileVersion()).isEqualTo("brain.Event:2");
            for (TfEventReader.Event event : events.subList(1, events.size())) {
                assertThat(event.values()).hasSize(1);
                TfEventReader.Value value = event.values().get(0);
                scalars.add(new Scalar(value.tag(), event.step(), value.scalar()));
            }
        }
        return scalars;
    }

    static List<Path> files(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run)) {
            return files.filter(p -> p.getFileName().toString().contains("tfevents")).sorted()
                    .collect(Collectors.toList());
        }
    }
}
