package org.callbacks4j.spark;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.callbacks4j.internal.train.Backups;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spark driver killed with SIGKILL resumes from {@code @BackupAndRestore} bit-identically, for the same
 * partitioning. A child JVM ({@link SparkKillTestChild}) is the driver: Spark {@code local[2]}, digits in 3
 * partitions, a backup every 2 rounds. It is killed ({@link Process#destroyForcibly()}: SIGKILL, no shutdown hook
 * runs, Spark's context is not stopped) three times: shortly after a random round, when it has written at least one
 * backup after training began; at a random moment after its start (in the JVM's or Spark's start, the restore, a
 * round or a write); inside a backup write (between the temporary file and its rename). Each time a new driver is
 * started on the same folder, and the last one runs to the end. Final parameters, optimizer state
 * (moments, step count, learning rate, which {@code @ReduceLrOnPlateau} changes), History and the CSV must equal an
 * uninterrupted driver's bit for bit; each restarted driver must resume where the backup was taken, not at round 0.
 *
 * <p>Replay a failure with {@code -Dcallbacks4j.killSeed=<seed>}. Tagged {@code kill}, as the runtime's
 * {@code KillTest}: part of {@code mvn verify}; skip it with {@code -DexcludedGroups=kill}.
 */
@Tag("kill")
class SparkKillTest {

    /** 300 rows per partition, batches of 32, 2 batches per round: 5 rounds per epoch, 30 in all. */
    private static final int EPOCHS = 6;
    private static final long PAUSE_MILLIS = 2000;
    private static final long CHILD_TIMEOUT_SECONDS = 180;

    @TempDir
    Path dir;

    @Test
    void aKilledDriverResumesFromItsBackupAndEndsExactlyAsAnUninterruptedRun() throws Exception {
        long seed = Long.getLong("callbacks4j.killSeed", new SecureRandom().nextLong());
        String replay = "seed " + seed + " (replay: -Dcallbacks4j.killSeed=" + seed + ")";
        System.out.println("SparkKillTest " + replay);
        Random random = new Random(seed);
        List<String> log = new ArrayList<>(List.of(replay));

        Path reference = Files.createDirectories(dir.resolve("reference"));
        Child uninterrupted = Child.start(reference, "none", 0);
        assertWithMessage("reference run did not finish: %s", uninterrupted.output())
                .that(uninterrupted.awaitDone()).isTrue();
        List<String> referenceRounds = uninterrupted.rounds();
        assertWithMessage("rounds of the reference run").that(referenceRounds).hasSize(EPOCHS * 5);

        Path run = Files.createDirectories(dir.resolve("run"));
        // 1. Killed a few milliseconds after its round 3 to 10; the backup after round 2 is written by then.
        int round = 3 + random.nextInt(8);
        int delay = random.nextInt(50);
        Child first = Child.start(run, "none", 0);
        first.killAfterRound(round, delay);
        log.add("first driver killed " + delay + " ms after its round " + round + "; its rounds " + first.rounds()
                + ", backups written " + first.backupsAfterTrainingBegan());
        assertWithMessage("%s\nbackups written after training began, before the kill", log)
                .that(first.backupsAfterTrainingBegan()).isAtLeast(1);
        assertIntact(run, log);

        int reached = lastRound(first, -1);

        // 2. A new driver is killed at a random moment 1 to 9 s after its start (starting the JVM or Spark, restoring
        // the backup, in a round or in a write), or at the latest 0 to 50 ms into its first round.
        int millis = 1000 + random.nextInt(8000);
        int afterRound = random.nextInt(50);
        Child second = Child.start(run, "none", 0);
        second.killAfter(millis, afterRound);
        log.add("second driver killed " + millis + " ms after its start, or " + afterRound
                + " ms after its first round; its rounds " + second.rounds());
        assertIntact(run, log);
        if (!second.rounds().isEmpty()) {
            assertResumed(second, reached, log);
        }
        reached = lastRound(second, reached);

        // 3. A new driver resumes, and is killed inside its 1st to 3rd backup write.
        int write = 1 + random.nextInt(3);
        Child third = Child.start(run, "backup", write);
        third.killInBackupWrite(write);
        log.add("third driver killed inside its backup write " + write + "; its rounds " + third.rounds());
        assertWithMessage("%s\na temporary backup file (the kill landed inside the write)", log)
                .that(temporaries(run.resolve("backup"))).isNotEmpty();
        assertIntact(run, log);
        assertResumed(third, reached, log);
        reached = lastRound(third, reached);

        // 4. A last driver resumes and runs to the end.
        Child last = Child.start(run, "none", 0);
        assertWithMessage("%s\nfinal run did not finish: %s", log, last.output()).that(last.awaitDone()).isTrue();
        log.add("last driver ran to the end; its rounds " + last.rounds());
        assertResumed(last, reached, log);
        String context = String.join("\n", log);
        System.out.println(context);

        assertWithMessage("%s\nHistory", context).that(read(run, "result/history.txt"))
                .isEqualTo(read(reference, "result/history.txt"));
        assertWithMessage("%s\nfinal parameters and optimizer state", context).that(read(run, "result/params.txt"))
                .isEqualTo(read(reference, "result/params.txt"));
        String csv = read(run, "history.csv");
        assertWithMessage("%s\nCSV", context).that(csv).isEqualTo(read(reference, "history.csv"));
        assertWithMessage("%s\nCSV rows (header and every epoch once)", context).that(csv.split("\r\n"))
                .hasLength(EPOCHS + 1);
        assertWithMessage("%s\nlast round", context).that(last.rounds().get(last.rounds().size() - 1))
                .isEqualTo(referenceRounds.get(referenceRounds.size() - 1));
        assertWithMessage("%s\ntemporary files left", context).that(temporaries(run.resolve("backup"))).isEmpty();
    }

    /**
     * {@code restarted} continued from a backup: its first round is neither round 0 nor later than the round after
     * {@code reached}, the last round a killed driver printed.
     */
    private static void assertResumed(Child restarted, int reached, List<String> log) {
        assertWithMessage("%s\nrounds of the restarted driver", log).that(restarted.rounds()).isNotEmpty();
        int firstRound = index(restarted.rounds().get(0));
        assertWithMessage("%s\nthe restarted driver's first round (epoch x 5 + round)", log).that(firstRound)
                .isGreaterThan(0);
        assertWithMessage("%s\nthe restarted driver's first round (epoch x 5 + round)", log).that(firstRound)
                .isAtMost(reached + 1);
    }

    /** The index of the last round {@code child} printed, or {@code before} if none is later. */
    private static int lastRound(Child child, int before) {
        List<String> rounds = child.rounds();
        return rounds.isEmpty() ? before : Math.max(before, index(rounds.get(rounds.size() - 1)));
    }

    /** "round e/r" as e x 5 + r. */
    private static int index(String roundLine) {
        String[] parts = roundLine.substring("round ".length()).split("/");
        return Integer.parseInt(parts[0]) * 5 + Integer.parseInt(parts[1]);
    }

    private static List<Path> temporaries(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    /** Every backup at a final path is complete and verifies; the CSV ends with a complete row. */
    private static void assertIntact(Path run, List<String> log) throws IOException {
        assertWithMessage("%s\nbackup folder", log).that(Files.isDirectory(run.resolve("backup"))).isTrue();
        List<Path> backups = Backups.files(run.resolve("backup"));
        assertWithMessage("%s\nbackups after the kill", log).that(backups).isNotEmpty();
        for (Path backup : backups) {
            try {
                Backups.read(backup);
            } catch (IOException e) {
                throw new AssertionError(log + "\ndamaged backup after a kill: " + e.getMessage(), e);
            }
        }
        Path csv = run.resolve("history.csv");
        if (Files.exists(csv) && Files.size(csv) > 0) {
            assertWithMessage("%s\nCSV after a kill", log).that(Files.readString(csv)).endsWith("\r\n");
        }
    }

    private static String read(Path root, String file) throws IOException {
        return Files.readString(root.resolve(file), StandardCharsets.US_ASCII);
    }

    /** A driver JVM and the lines it prints, read on a thread of their own. */
    private static final class Child {

        private final Process process;
        private final Thread reader;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        private final List<String> rounds = Collections.synchronizedList(new ArrayList<>());
        private final long started = System.nanoTime();
        private volatile int backupsAfterTrainingBegan;

        private Child(Process process) {
            this.process = process;
            reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        seen.add(line);
                        if (line.startsWith("round ")) {
                            rounds.add(line);
                        }
                        if (line.startsWith("writing backup ") && !rounds.isEmpty()) {
                            backupsAfterTrainingBegan++;
                        }
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process died: that is the point
                }
                lines.add("<eof>");
            }, "spark-kill-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path root, String pauseKind, int pauseFrom) throws IOException {
            ProcessBuilder builder = ChildJvm.process(SparkKillTestChild.class,
                    List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx768m",
                            "-Dcallbacks4j.spark.digits=" + Digits.FILE),
                    Integer.toString(EPOCHS), pauseKind, Integer.toString(pauseFrom), Long.toString(PAUSE_MILLIS))
                    .directory(root.toFile());
            return new Child(builder.start());
        }

        List<String> rounds() {
            synchronized (rounds) {
                return List.copyOf(rounds);
            }
        }

        int backupsAfterTrainingBegan() {
            return backupsAfterTrainingBegan;
        }

        /** Waits for "done"; false if the child ends without it or takes too long. */
        boolean awaitDone() throws InterruptedException {
            String line = awaitLine(l -> l.equals("done"));
            if (line == null) {
                process.destroyForcibly();
                return false;
            }
            process.waitFor(30, TimeUnit.SECONDS);
            reader.join(TimeUnit.SECONDS.toMillis(30));
            return true;
        }

        /** SIGKILL {@code delayMillis} after the {@code count}-th round line. */
        void killAfterRound(int count, int delayMillis) throws InterruptedException {
            int[] seenRounds = {0};
            awaitOrFail(l -> l.startsWith("round ") && ++seenRounds[0] == count, "round " + count);
            Thread.sleep(delayMillis);
            killNow();
        }

        /**
         * SIGKILL {@code millis} after the start, or {@code afterRoundMillis} after its first round if that comes
         * first: on a quiet machine the rest of the run can take less than the random moment; fails if the driver
         * ends before.
         */
        void killAfter(long millis, long afterRoundMillis) throws InterruptedException {
            long at = started + TimeUnit.MILLISECONDS.toNanos(millis);
            boolean roundSeen = false;
            while (System.nanoTime() < at) {
                String line = lines.poll(Math.max(1, at - System.nanoTime()), TimeUnit.NANOSECONDS);
                if ("<eof>".equals(line) || "done".equals(line)) {
                    throw new AssertionError("the driver ended before its kill at " + millis + " ms: " + output());
                }
                if (!roundSeen && line != null && line.startsWith("round ")) {
                    roundSeen = true;
                    at = Math.min(at, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(afterRoundMillis));
                }
            }
            killNow();
        }

        /** SIGKILL on the {@code count}-th "writing backup" line: the child now sleeps before the rename. */
        void killInBackupWrite(int count) throws InterruptedException {
            int[] writes = {0};
            awaitOrFail(l -> l.startsWith("writing backup ") && ++writes[0] == count, "backup write " + count);
            killNow();
        }

        private void killNow() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no finally block runs
            assertWithMessage("the killed driver ended").that(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(30)); // every line it printed before it died is read

        }

        private void awaitOrFail(java.util.function.Predicate<String> wanted, String what)
                throws InterruptedException {
            if (awaitLine(wanted) == null) {
                process.destroyForcibly();
                throw new AssertionError("the driver ended or stalled before " + what + ": " + output());
            }
        }

        /** The first line that {@code wanted} accepts, or null if the child ends ("done" too) or takes too long. */
        private String awaitLine(java.util.function.Predicate<String> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line == null) {
                    continue;
                }
                if (wanted.test(line)) {
                    return line;
                }
                if (line.equals("<eof>") || line.equals("done")) {
                    return null;
                }
            }
            return null;
        }

        String output() {
            synchronized (seen) {
                return String.join("\n", seen.subList(Math.max(0, seen.size() - 40), seen.size()));
            }
        }
    }
}
