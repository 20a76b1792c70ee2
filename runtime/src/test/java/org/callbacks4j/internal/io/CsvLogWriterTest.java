package org.callbacks4j.internal.io;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLogWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesKerasHeaderAndRowsWithCrLfAndPythonReprValues() throws IOException {
        Path file = dir.resolve("history.csv");
        TestLogs logs = new TestLogs("loss", "accuracy", "val_loss", "val_accuracy");
        try (CsvLogWriter csv = CsvLogWriter.open(file, ",", false)) {
            csv.writeEpoch(0, logs.set("loss", 0.1 + 0.2, "accuracy", 0.5, "val_loss", 1e-5, "val_accuracy", 1.5e20));
            csv.writeEpoch(1, logs.set("loss", Double.NaN, "accuracy", Double.POSITIVE_INFINITY,
                    "val_loss", Double.NEGATIVE_INFINITY, "val_accuracy", 1.0));
        }

        // Exactly what Keras 3's CSVLogger writes for the same logs (sorted keys, 0-based epoch, Python repr).
        assertThat(Files.readString(file)).isEqualTo(""
                + "epoch,accuracy,loss,val_accuracy,val_loss\r\n"
                + "0,0.5,0.30000000000000004,1.5e+20,1e-05\r\n"
                + "1,inf,nan,1.0,-inf\r\n");
    }

    @Test
    void addsValColumnsInTheSameOrderWhenTheFirstEpochHasNoValidation() throws IOException {
        Path file = dir.resolve("history.csv");
        TestLogs logs = new TestLogs("loss", "mae", "val_loss", "val_mae");
        try (CsvLogWriter csv = CsvLogWriter.open(file, ",", false)) {
            csv.writeEpoch(0, logs.set("mae", 2.0, "loss", 4.0));
            assertThat(csv.columns()).containsExactly("loss", "mae", "val_loss", "val_mae").inOrder();
            csv.writeEpoch(1, logs.set("mae", 1.0, "loss", 3.0, "val_loss", 3.5, "val_mae", 1.25));
        }

        assertThat(Files.readString(file)).isEqualTo(""
                + "epoch,loss,mae,val_loss,val_mae\r\n"
                + "0,4.0,2.0,NA,NA\r\n"
                + "1,3.0,1.0,3.5,1.25\r\n");
    }

    @Test
    void valColumnsAreAppendedUnsortedAfterTheSortedTrainingColumns() throws IOException {
        Path file = dir.resolve("history.csv");
        // sorted(["loss", "acc"]) = acc, loss; then val_acc, val_loss in that order, not merged into the sort.
        try (CsvLogWriter csv = CsvLogWriter.open(file, ",", false)) {
            csv.writeEpoch(0, new TestLogs("loss", "acc").set("loss", 1, "acc", 0.25));
        }
        assertThat(firstLine(file)).isEqualTo("epoch,acc,loss,val_acc,val_loss");
    }

    @Test
    void fixesColumnsAtTheFirstEpochAndWritesNaForMissingValues() throws IOException {
        Path file = dir.resolve("history.csv");
        TestLogs logs = new TestLogs("loss", "val_loss", "learning_rate");
        try (CsvLogWriter csv = CsvLogWriter.open(file, ",", false)) {
            csv.writeEpoch(0, logs.set("loss", 1.0, "val_loss", 2.0));
            csv.writeEpoch(1, logs.set("loss", 0.5, "learning_rate", 0.01)); // learning_rate is new: dropped
        }

        assertThat(Files.readString(file)).isEqualTo("epoch,loss,val_loss\r\n0,1.0,2.0\r\n1,0.5,NA\r\n");
    }

    @Test
    void aPresentNanIsNanAndAnAbsentValueIsNa() throws IOException {
        Path file = dir.resolve("history.csv");
        TestLogs logs = new TestLogs("loss", "val_loss");
        try (CsvLogWriter csv = CsvLogWriter.open(file, ",", false)) {
            csv.writeEpoch(0, logs.set("loss", Double.NaN, "val_loss", 1.0));
            csv.writeEpoch(1, logs.set("val_loss", Double.NaN));
        }

        assertThat(Files.readString(file)).isEqualTo("epoch,loss,val_loss\r\n0,nan,1.0\r\n1,NA,nan\r\n");
    }

    @Test
    void usesTheSeparatorAndQuotesOnlyFieldsThatNeedIt() throws IOException {
        Path file = dir.resolve("history.csv");
        TestLogs logs = new TestLogs("a;b", "say \"hi\"", "loss", "val_loss");
        try (CsvLogWriter csv = CsvLogWriter.open(file, ";", false)) {
            csv.writeEpoch(0, logs.set("a;b", 1.5, "say \"hi\"", 2.5, "loss", 0.25, "val_loss", 0.75));
        }

        // Python csv QUOTE_MINIMAL, doublequote=True: quote fields holding the separator or a quote, double quotes.
        assertThat(Files.readString(file)).isEqualTo(
                "epoch;\"a;b\";loss;\"say \"\"hi\"\"\";val_loss\r\n0;1.5;0.25;2.5;0.75\r\n");

        List<CSVRecord> records = parse(file, ';');
        assertThat(records.get(0).toList()).containsExactly("epoch", "a;b", "loss", "say \"hi\"", "val_loss").inOrder();
        assertThat(records.get(1).toList()).containsExactly("0", "1.5", "0.25", "2.5", "0.75").inOrder();
    }

    @Test
    void quotesNumbersWhenTheSeparatorIsPartOfThem() throws IOException {
        Path file = dir.resolve("history.csv");
        try (CsvLogWriter csv = CsvLogWriter.open(file, ".", false)) {
            csv.writeEpoch(0, new TestLogs("loss", "val_loss").set("loss", 0.5, "val_loss", 1e-5));
        }

        assertThat(Files.readString(file)).isEqualTo("epoch.loss.val_loss\r\n0.\"0.5\".1e-05\r\n");
        assertThat(parse(file, '.').get(1).toList()).containsExactly("0", "0.5", "1e-05").inOrder();
    }

    @Test
    void readsBackAsRfc4180WithCommonsCsv() throws IOException {
        Path file = dir.resolve("history.csv");
        TestLogs logs = new TestLogs("loss", "accuracy", "val_loss", "val_accuracy");
        double[][] expected = new double[5][];
        try (CsvLogWriter csv = CsvLogWriter.open(file, ",", false)) {
            for (int epoch = 0; epoch < 5; epoch++) {
                double loss = 1.0 / (epoch + 3);
                double accuracy = 1 - loss / 7;
                if (epoch % 2 == 0) {
                    logs.set("loss", loss, "accuracy", accuracy);
                } else {
                    logs.set("loss", loss, "accuracy", accuracy, "val_loss", loss * 1.1, "val_accuracy", accuracy);
                }
                expected[epoch] = new double[] {accuracy, loss};
                csv.writeEpoch(epoch, logs);
            }
        }

        List<CSVRecord> records = parse(file, ',');
        assertThat(records.get(0).toList())
                .containsExactly("epoch", "accuracy", "loss", "val_accuracy", "val_loss").inOrder();
        assertThat(records).hasSize(6);
        for (int epoch = 0; epoch < 5; epoch++) {
            CSVRecord record = records.get(epoch + 1);
            assertThat(record.size()).isEqualTo(5);
            assertThat(record.get(0)).isEqualTo(Integer.toString(epoch));
            // The shortest repr reads back as exactly the double that was logged.
            assertThat(Double.parseDouble(record.get(1))).isEqualTo(expected[epoch][0]);
            assertThat(Double.parseDouble(record.get(2))).isEqualTo(expected[epoch][1]);
            assertThat(record.get(4)).isEqualTo(epoch % 2 == 0 ? "NA" : PythonFloats.repr(expected[epoch][1] * 1.1));
        }
    }

    @Test
    void appendToANonEmptyFileAddsRowsWithoutAHeader() throws IOException {
        Path file = dir.resolve("history.csv");
        TestLogs logs = new TestLogs("loss", "val_loss");
        try (CsvLogWriter csv = CsvLogWriter.open(file, ",", false)) {
            csv.writeEpoch(0, logs.set("loss", 1.0, "val_loss", 2.0));
        }
        try (CsvLogWriter csv = CsvLogWriter.open(file, ",", true)) {
            csv.writeEpoch(1, logs.set("loss", 0.5, "val_loss", 1.5));
        }

        assertThat(Files.readString(file)).isEqualTo("epoch,loss,val_loss\r\n0,1.0,2.0\r\n1,0.5,1.5\r\n");
    }

    @Test
    void appendToAMissingOrEmptyFileWritesTheHeader() throws IOException {
        Path missing = dir.resolve("missing.csv");
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        for (Path file : List.of(missing, empty)) {
            try (CsvLogWriter csv = CsvLogWriter.open(file, ",", true)) {
                csv.writeEpoch(0, new TestLogs("loss", "val_loss").set("loss", 1.0));
            }
            assertThat(Files.readString(file)).isEqualTo("epoch,loss,val_loss\r\n0,1.0,NA\r\n");
        }
    }

    @Test
    void withoutAppendAnExistingFileStartsOver() throws IOException {
        Path file = Files.writeString(dir.resolve("history.csv"), "epoch,old\r\n0,1\r\n9,9\r\n");
        try (CsvLogWriter csv = CsvLogWriter.open(file, ",", false)) {
            csv.writeEpoch(0, new TestLogs("loss", "val_loss").set("loss", 1.0, "val_loss", 2.0));
        }
        assertThat(Files.readString(file)).isEqualTo("epoch,loss,val_loss\r\n0,1.0,2.0\r\n");
    }

    @Test
    void appendEndsAnUnterminatedLastLineInsteadOfGluingOntoIt() throws IOException {
        Path file = Files.writeString(dir.resolve("history.csv"), "epoch,loss,val_loss\r\n0,1.0,2.0");
        try (CsvLogWriter csv = CsvLogWriter.open(file, ",", true)) {
            csv.writeEpoch(1, new TestLogs("loss", "val_loss").set("loss", 0.5, "val_loss", 1.5));
        }
        assertThat(Files.readString(file)).isEqualTo("epoch,loss,val_loss\r\n0,1.0,2.0\r\n1,0.5,1.5\r\n");
    }

    @Test
    void anEpochWithNoValuesWritesOnlyTheEpoch() throws IOException {
        Path file = dir.resolve("history.csv");
        try (CsvLogWriter csv = CsvLogWriter.open(file, ",", false)) {
            csv.writeEpoch(0, new TestLogs());
        }
        assertThat(Files.readString(file)).isEqualTo("epoch\r\n0\r\n");
    }

    @Test
    void aCrashAfterEpochNLeavesExactlyNCompleteRows() throws IOException {
        Path file = dir.resolve("history.csv");
        TestLogs logs = new TestLogs("loss", "val_loss");
        CsvLogWriter csv = CsvLogWriter.open(file, ",", false);
        for (int epoch = 0; epoch < 3; epoch++) {
            csv.writeEpoch(epoch, logs.set("loss", 1.0 / (epoch + 1), "val_loss", 2.0 / (epoch + 1)));
        }
        // No close(): what a crash leaves behind is what the writer already handed to the file system.

        List<CSVRecord> records = parse(file, ',');
        assertThat(records).hasSize(4);
        assertThat(records.get(3).toList()).containsExactly("2", PythonFloats.repr(1.0 / 3), PythonFloats.repr(2.0 / 3))
                .inOrder();
        assertThat(Files.readString(file)).endsWith("\r\n");
        csv.close();
    }

    @Test
    void closeIsIdempotentAndWritingAfterCloseFails() throws IOException {
        CsvLogWriter csv = CsvLogWriter.open(dir.resolve("history.csv"), ",", false);
        csv.close();
        csv.close();

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> csv.writeEpoch(0, new TestLogs("loss").set("loss", 1)));
        assertThat(e).hasMessageThat().contains("is closed");
    }

    @Test
    void rejectsABadSeparatorNamingIt() {
        for (String bad : new String[] {"", ",,", "\"", "\n"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CsvLogWriter.open(dir.resolve("history.csv"), bad, false));
            assertThat(e).hasMessageThat().contains("CSV separator \"" + bad + "\"");
        }
        assertThat(Files.exists(dir.resolve("history.csv"))).isFalse();
    }

    @Test
    void openFailsBeforeTrainingWhenThePathIsAFolder() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("history.csv"));
        IOException e = assertThrows(IOException.class, () -> CsvLogWriter.open(folder, ",", false));
        assertThat(e).hasMessageThat().contains("CSV log path " + folder.toAbsolutePath() + " is a folder");
    }

    @Test
    void createsMissingFolders() throws IOException {
        Path file = dir.resolve("runs/digits/history.csv");
        try (CsvLogWriter csv = CsvLogWriter.open(file, ",", false)) {
            csv.writeEpoch(0, new TestLogs("loss").set("loss", 1));
        }
        assertThat(Files.readString(file)).startsWith("epoch,loss,val_loss\r\n");
    }

    static List<CSVRecord> parse(Path file, char separator) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(separator).get();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.parse(in, format)) {
            return new ArrayList<>(parser.getRecords());
        }
    }

    private static String firstLine(Path file) throws IOException {
        return Files.readAllLines(file).get(0);
    }
}
