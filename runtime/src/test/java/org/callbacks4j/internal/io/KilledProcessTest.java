package org.callbacks4j.internal.io;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: a child JVM writes N epochs to both writers, never closes them, and is killed with SIGKILL (no
 * shutdown hooks, no finalizers). Everything up to epoch N must be readable afterwards.
 */
class KilledProcessTest {

    private static final int EPOCHS = 4;

    @TempDir
    Path dir;

    /** The child: writes {@code args[2]} epochs, reports, then waits to be killed. */
    public static void main(String[] args) throws Exception {
        Path csvFile = Path.of(args[0]);
        Path logDir = Path.of(args[1]);
        int epochs = Integer.parseInt(args[2]);
        TestLogs logs = new TestLogs("loss", "val_loss");
        CsvLogWriter csv = CsvLogWriter.open(csvFile, ",", false);
        TensorBoardWriter tb = TensorBoardWriter.open(logDir, 1);
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int batch = 0; batch < 2; batch++) {
                if (tb.nextBatch()) {
                    tb.writeBatch(logs.set("loss", tb.globalBatch()));
                }
            }
            logs.set("loss", lossAt(epoch), "val_loss", lossAt(epoch) * 2);
            tb.writeEpoch(epoch, logs, 0.01);
            csv.writeEpoch(epoch, logs);
        }
        System.out.println("written " + epochs);
        System.out.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }

    static double lossAt(int epoch) {
        return 1.0 / (epoch + 3);
    }

    @Test
    void afterSigkillBothFilesHoldEveryEpochWritten() throws Exception {
        Path csvFile = dir.resolve("history.csv");
        Path logDir = dir.resolve("tb");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                KilledProcessTest.class.getName(), csvFile.toString(), logDir.toString(), Integer.toString(EPOCHS))
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("written " + EPOCHS)) {
                seen.append(line).append('\n');
            }
            assertWithMessage("child output:\n%s", seen).that(line).isNotNull();
            child.destroyForcibly(); // SIGKILL on Unix
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        List<CSVRecord> rows = CsvLogWriterTest.parse(csvFile, ',');
        assertThat(rows).hasSize(EPOCHS + 1);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            assertThat(rows.get(epoch + 1).toList()).containsExactly(Integer.toString(epoch),
                    PythonFloats.repr(lossAt(epoch)), PythonFloats.repr(lossAt(epoch) * 2)).inOrder();
        }

        List<TensorBoardWriterTest.Scalar> train = TensorBoardWriterTest.scalars(logDir.resolve("train"));
        List<TensorBoardWriterTest.Scalar> validation = TensorBoardWriterTest.scalars(logDir.resolve("validation"));
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            assertThat(train).contains(new TensorBoardWriterTest.Scalar("epoch_loss", epoch, (float) lossAt(epoch)));
            assertThat(train).contains(new TensorBoardWriterTest.Scalar("epoch_learning_rate", epoch, 0.01f));
            assertThat(validation)
                    .contains(new TensorBoardWriterTest.Scalar("epoch_loss", epoch, (float) (lossAt(epoch) * 2)));
        }
        for (long step = 1; step <= 2L * EPOCHS; step++) {
            assertThat(train).contains(new TensorBoardWriterTest.Scalar("batch_loss", step, step));
        }
        assertThat(train).hasSize(4 * EPOCHS);
        assertThat(validation).hasSize(EPOCHS);
        assertThat(Files.readString(csvFile)).endsWith("\r\n");
    }
}
