package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Stream;
import org.callbacks4j.internal.io.AtomicFiles;
import org.callbacks4j.internal.policy.CsvLoggerPolicy;
import org.callbacks4j.internal.policy.PolicyDispatcher;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smaller cases of issue 11: a CSV log at a path that is not a regular file, probe files left by a process killed
 * during the start-up write check, a checkpoint truncated in its first kilobyte, bytes appended to the CSV log after a
 * crash. (Fewer epochs than a backup ran: {@link RunCompletionTest}.)
 */
@Tag("reliability")
class SmallRefusalsTest {

    @TempDir
    Path dir;

    @Test
    void aCsvLogThatIsNotARegularFileIsRefusedAtFitStart() {
        for (String path : new String[] {"/dev/null", "/dev/stdout"}) {
            if (!Files.exists(Path.of(path))) {
                continue; // /dev/stdout is missing where the JVM has no standard output
            }
            Sequential model = ResumeScenario.model();
            float[] before = model.params().toFloatVector();
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> ResumeScenario.trainer().fit(model, ResumeScenario.DATA, ResumeScenario.fit(1),
                            new PolicyDispatcher().csv(new CsvLoggerPolicy(path, ",", false))));
            assertThat(refused.getMessage()).isEqualTo("@CsvLogger: CSV log path " + path + " exists and is not a "
                    + "regular file (a device, pipe or socket such as /dev/stdout); it is written atomically and cut "
                    + "back on resume, which needs a regular file: pass the path of a file");
            assertThat(model.params().toFloatVector()).isEqualTo(before);
        }
    }

    @Test
    void probeFilesOfKilledProcessesAreDeletedByTheNextWriteCheck() throws IOException {
        Path stale = Files.writeString(dir.resolve(".callbacks4j-write-check.999999999.0123abcd.tmp"), "");
        Path live = Files.writeString(dir.resolve(".callbacks4j-write-check." + ProcessHandle.current().pid()
                + ".0123abcd.tmp"), "");
        Path mine = Files.writeString(dir.resolve("notes.txt"), "mine");
        AtomicFiles.checkWritableDirectory(dir, "CSV log");
        try (Stream<Path> left = Files.list(dir)) {
            // A probe of a running process may be a check in progress: kept. The user's files are not touched.
            assertThat(left.sorted().toList()).containsExactly(live, mine).inOrder();
        }
        assertThat(Files.exists(stale)).isFalse();
    }

    @Test
    void aCheckpointTruncatedInItsFirstKilobyteNamesTheFile() throws IOException {
        Path whole = dir.resolve("whole.zip");
        Checkpoints.saveWeights(whole, ResumeScenario.model());
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.zip");
        for (int length = 0; length < Math.min(1024, bytes.length); length++) {
            Files.write(cut, Arrays.copyOf(bytes, length));
            IOException load = assertThrows(IOException.class, () -> Checkpoints.load(cut));
            assertThat(load.getMessage()).contains("checkpoint " + cut.toAbsolutePath());
            IOException weights = assertThrows(IOException.class,
                    () -> Checkpoints.loadWeights(cut, ResumeScenario.model()));
            assertThat(weights.getMessage()).contains("checkpoint " + cut.toAbsolutePath());
        }
    }

    @Test
    void bytesAppendedToTheCsvLogAfterACrashAreCutWithAWarning() throws IOException {
        assertThrows(BackupTraining.Crash.class, () -> ResumeScenario.train(dir, 3,
                new BackupTraining(dir, 0, 50).crashAt(1, 5)));
        Path csv = dir.resolve("history.csv");
        Files.writeString(csv, "9,half a row", StandardOpenOption.APPEND);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            ResumeScenario.train(dir, 3, new BackupTraining(dir, 0, 50));
        } finally {
            System.setErr(original);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("WARN org.callbacks4j.internal.io.FilePrefix - CSV log "
                + csv.toAbsolutePath() + ": cutting the 12 bytes written after the backup");
        assertThat(Files.readString(csv)).doesNotContain("half a row");
    }
}
