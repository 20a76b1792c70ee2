package org.callbacks4j.train;

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
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.io.EventFiles;
import org.callbacks4j.internal.train.Backups;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash survival end to end, with real kills: a child JVM ({@link KillTestChild}) trains with
 * {@code @BackupAndRestore} (a backup every 4 batches), is killed with SIGKILL ({@link Process#destroyForcibly()})
 * at random moments, including inside a backup write and inside a checkpoint write (between the temporary file and
 * its rename), and is restarted each time until the run completes. The result must equal an uninterrupted run's:
 * identical final parameters and History, the same CSV (every epoch exactly once), checkpoint files and TensorBoard
 * scalars (in one event file per run); after every kill, every file at a final path must be complete and intact.
 *
 * <p>The randomness comes from one seed, printed first; replay a failure with {@code -Dcallbacks4j.killSeed=<seed>}.
 * Tagged {@code kill}: part of {@code mvn verify}; skip it locally with {@code -DexcludedGroups=kill}.
 */
@Tag("kill")
class KillTest {

    private static final int EPOCHS = 30;
    /**
     * No child runs more than this many batches before its kill, so that the {@link #KILLS} kills cannot finish the
     * run early: 12 x 30 is less than the 30 x 15 batches of the whole run, whatever the seed and the machine's speed.
     */
    private static final int MAX_BATCHES_PER_CHILD = 30;
    private static final int BACKUP_FREQ = 4;
    private static final long PAUSE_MILLIS = 500;
    private static final int KILLS = 12;
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    /** The folder of the streamed data files the children train on, or null for the in-memory data set. */
    private static Path data;

    private enum Kind { AT_TIME, AT_BATCH, IN_BACKUP_WRITE, IN_CHECKPOINT_WRITE }

    /** One kill: when it lands. */
    private record Plan(Kind kind, int count, long delayMillis) {

        String pauseKind() {
            return switch (kind) {
                case IN_BACKUP_WRITE -> "backup";
                case IN_CHECKPOINT_WRITE -> "ckpt";
                default -> "none";
            };
        }

        @Override
        public String toString() {
            return switch (kind) {
                case AT_TIME -> "kill " + delayMillis + " ms after start";
                case AT_BATCH -> "kill " + delayMillis + " ms after the child's " + count + "th batch";
                case IN_BACKUP_WRITE -> "kill inside the child's " + count + "th backup write";
                case IN_CHECKPOINT_WRITE -> "kill inside the child's " + count + "th checkpoint write";
            };
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "cnn"})
    void killedAtRandomMomentsAndRestartedUntilDoneEndsExactlyAsAnUninterruptedRun(String model) throws Exception {
        killAndRestart(model, null);
    }

    /**
     * The same with the data streamed from gzipped .npy files (the training rows shuffled through a buffer, so a
     * resumed child replays its epoch's stream up to the saved batch): the position in the data survives SIGKILL.
     */
    @Test
    void aRunStreamingFromGzippedFilesKilledAndRestartedEndsExactlyAsAnUninterruptedRun() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Dataset all = ResumeScenario.DATA;
        int at = Dataset.splitPoint(all.size(), 0.2);
        StreamingFitTest.npy(data, "train", all.rows(0, at), true);
        StreamingFitTest.npy(data, "validation", all.rows(at, all.size()), true);
        killAndRestart("dense", data);
    }

    /**
     * Kills children training {@code model} at random moments until the run is done; {@code data}: the streamed
     * files, or null.
     */
    private void killAndRestart(String model, Path data) throws Exception {
        KillTest.data = data;
        long seed = Long.getLong("callbacks4j.killSeed", new SecureRandom().nextLong());
        String replay = "seed " + seed + " (replay: -Dcallbacks4j.killSeed=" + seed + ")";
        System.out.println("KillTest " + replay);
        Random random = new Random(seed);
        List<String> log = new ArrayList<>();
        log.add(replay);

        Path reference = dir.resolve("reference");
        Child first = Child.start(model, reference, "none", 0);
        assertWithMessage("reference run did not finish: %s", first.output()).that(first.awaitDone()).isTrue();

        Path run = dir.resolve("run");
        log.add(secondProcessIsRefusedWhileTheFirstRuns(run));
        int kills = 1;
        int inBackupWrite = 0;
        int inCheckpointWrite = 0;
        boolean finished = false;
        for (Plan plan : plans(random)) {
            Child child = Child.start(model, run, plan.pauseKind(), plan.count());
            boolean killed = child.kill(plan);
            log.add(plan + (killed ? "" : ": the run finished first") + "; last line: " + child.lastProgress());
            if (!killed) {
                finished = true;
                break;
            }
            kills++;
            if (plan.kind() == Kind.IN_BACKUP_WRITE && hasTemporary(run.resolve("backup"))) {
                inBackupWrite++;
            }
            if (plan.kind() == Kind.IN_CHECKPOINT_WRITE && hasTemporary(run.resolve("ckpt"))) {
                inCheckpointWrite++;
            }
            assertIntact(run, String.join("\n", log));
        }
        if (!finished) {
            Child last = Child.start(model, run, "none", 0);
            assertWithMessage("%s\nfinal run did not finish: %s", log, last.output()).that(last.awaitDone()).isTrue();
            log.add("restarted until done");
        }
        String context = String.join("\n", log);
        System.out.println(context);

        assertWithMessage("%s\nkills", context).that(kills).isAtLeast(10);
        assertWithMessage("%s\nkills that landed inside a backup write", context).that(inBackupWrite).isAtLeast(1);
        assertWithMessage("%s\nkills that landed inside a checkpoint write", context).that(inCheckpointWrite)
                .isAtLeast(1);
        assertWithMessage("%s\nHistory", context).that(read(run, "result/history.txt"))
                .isEqualTo(read(reference, "result/history.txt"));
        assertWithMessage("%s\nfinal parameters", context).that(read(run, "result/params.txt"))
                .isEqualTo(read(reference, "result/params.txt"));
        String csv = read(run, "history.csv");
        assertWithMessage("%s\nCSV", context).that(csv).isEqualTo(read(reference, "history.csv"));
        List<String> epochs = new ArrayList<>();
        for (String row : csv.split("\r\n")) {
            epochs.add(row.substring(0, row.indexOf(',')));
        }
        List<String> expectedEpochs = new ArrayList<>(List.of("epoch"));
        for (int e = 0; e < EPOCHS; e++) {
            expectedEpochs.add(Integer.toString(e));
        }
        assertWithMessage("%s\nCSV epochs", context).that(epochs).isEqualTo(expectedEpochs);
        assertWithMessage("%s\ncheckpoints", context).that(files(run.resolve("ckpt")))
                .isEqualTo(files(reference.resolve("ckpt")));
        for (String tb : List.of("tb/train", "tb/validation")) {
            assertWithMessage("%s\n%s scalars", context, tb).that(EventFiles.scalars(run.resolve(tb)))
                    .isEqualTo(EventFiles.scalars(reference.resolve(tb)));
            // One run: a child killed before its first backup may leave an event file with no scalar (opened at
            // train begin, before the first backup), never a second file with data.
            assertWithMessage("%s\n%s event files with scalars", context, tb)
                    .that(EventFiles.filesWithScalars(run.resolve(tb))).isEqualTo(1);
        }
        try (Stream<Path> all = Files.walk(run)) {
            assertWithMessage("%s\ntemporary files left", context)
                    .that(all.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()).isEmpty();
        }
    }

    /**
     * Two processes on one run folder: a first child, held inside its first backup write (its locks taken, its files
     * open), and a second started on the same folder meanwhile. The second must fail at once, naming the first's
     * process, without running a batch or writing anything; then the first is killed there, and the kill loop goes on
     * from its backup: the end result must still equal the uninterrupted run's.
     */
    private static String secondProcessIsRefusedWhileTheFirstRuns(Path run) throws Exception {
        Child first = Child.start("dense", run, "backup", 1, TimeUnit.SECONDS.toMillis(CHILD_TIMEOUT_SECONDS));
        assertWithMessage("the first child did not reach its first backup write: %s", first.output())
                .that(first.awaitLine("writing backup ")).isTrue();
        Child second = Child.start("dense", run, "none", 0);
        String output = second.awaitEnd();
        assertWithMessage("second process on the run folder").that(output)
                .contains("is in use by another fit: process " + first.pid() + " on ");
        assertWithMessage("second process on the run folder ran a batch").that(output).doesNotContain("\nbatch ");
        assertWithMessage("second process on the run folder finished").that(output).doesNotContain("\ndone");
        first.killNow();
        assertIntact(run, "after the second process was refused and the first killed in its first backup write");
        return "second process refused while the first ran; first killed inside its first backup write";
    }

    /**
     * {@link #KILLS} kills in random order: at least two inside backup writes and two inside checkpoint writes, the
     * others at a random time after start (anywhere: JVM start, restore, training, a write; but no later than the
     * {@link #MAX_BATCHES_PER_CHILD}th batch) or shortly after a random batch.
     */
    private static List<Plan> plans(Random random) {
        List<Plan> plans = new ArrayList<>();
        plans.add(new Plan(Kind.IN_BACKUP_WRITE, 1 + random.nextInt(6), 0));
        plans.add(new Plan(Kind.IN_BACKUP_WRITE, 1 + random.nextInt(6), 0));
        plans.add(new Plan(Kind.IN_CHECKPOINT_WRITE, 1 + random.nextInt(4), 0));
        plans.add(new Plan(Kind.IN_CHECKPOINT_WRITE, 1 + random.nextInt(4), 0));
        while (plans.size() < KILLS) {
            plans.add(random.nextBoolean()
                    ? new Plan(Kind.AT_TIME, 0, random.nextInt(3000))
                    : new Plan(Kind.AT_BATCH, 1 + random.nextInt(MAX_BATCHES_PER_CHILD - 2), random.nextInt(10)));
        }
        Collections.shuffle(plans, random);
        return plans;
    }

    private static boolean hasTemporary(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        }
    }

    /** No partial or corrupt file at a final path: backups and checkpoints verify, logs end with complete records. */
    private static void assertIntact(Path run, String context) throws IOException {
        for (Path backup : Backups.files(run.resolve("backup"))) {
            try {
                Backups.read(backup);
            } catch (IOException e) {
                throw new AssertionError(context + "\ndamaged backup after a kill: " + e.getMessage(), e);
            }
        }
        for (Path checkpoint : zips(run.resolve("ckpt"))) {
            try {
                Checkpoints.load(checkpoint);
            } catch (IOException e) {
                throw new AssertionError(context + "\ndamaged checkpoint after a kill: " + e.getMessage(), e);
            }
        }
        for (String tb : List.of("tb/train", "tb/validation")) {
            EventFiles.scalars(run.resolve(tb)); // throws on a bad checksum or a record cut short
        }
        Path csv = run.resolve("history.csv");
        if (Files.exists(csv) && Files.size(csv) > 0) {
            assertWithMessage("%s\nCSV after a kill", context).that(Files.readString(csv)).endsWith("\r\n");
        }
    }

    private static List<Path> zips(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".zip")).sorted().toList();
        }
    }

    private static Map<String, String> files(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (Path zip : zips(folder)) {
            files.put(zip.getFileName().toString(), Backups.crc32c(Files.readAllBytes(zip)));
        }
        return files;
    }

    private static String read(Path root, String file) throws IOException {
        return Files.readString(root.resolve(file), StandardCharsets.US_ASCII);
    }

    /** A child JVM and the lines it prints, read on a thread of their own. */
    private static final class Child {

        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        private final long started = System.nanoTime();
        private volatile String lastProgress = "(none)";

        private Child(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        seen.add(line);
                        if (line.startsWith("batch ") || line.startsWith("writing ")) {
                            lastProgress = line;
                        }
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process died: that is the point
                }
                lines.add("<eof>");
            }, "kill-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(String model, Path root, String pauseKind, int pauseFrom) throws IOException {
            return start(model, root, pauseKind, pauseFrom, PAUSE_MILLIS);
        }

        static Child start(String model, Path root, String pauseKind, int pauseFrom, long pauseMillis)
                throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Xmx512m", "-Dcallbacks4j.resume.model=" + model,
                    "-cp", System.getProperty("java.class.path"),
                    KillTestChild.class.getName(), root.toString(), Integer.toString(EPOCHS),
                    Integer.toString(BACKUP_FREQ), pauseKind, Integer.toString(pauseFrom),
                    Long.toString(pauseMillis), data == null ? "-" : data.toString()).redirectErrorStream(true);
            // Same thread settings in every run: ND4J's results are deterministic for a given thread count.
            builder.environment().put("OMP_NUM_THREADS", "1");
            builder.environment().put("OPENBLAS_NUM_THREADS", "1");
            return new Child(builder.start());
        }

        long pid() {
            return process.pid();
        }

        /** Waits for a line starting with {@code prefix}; false if the child ends first or takes too long. */
        boolean awaitLine(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return true;
                }
                if ("<eof>".equals(line)) {
                    return false;
                }
            }
            return false;
        }

        /** Waits for the child to end on its own and returns its whole output. */
        String awaitEnd() throws InterruptedException {
            if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the child did not end: " + output());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && !"<eof>".equals(lines.poll(100, TimeUnit.MILLISECONDS))) {
                // drain to the end of its output
            }
            synchronized (seen) {
                return "\n" + String.join("\n", seen);
            }
        }

        /** SIGKILL now. */
        void killNow() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** Waits for "done"; false if the child ends without it or takes too long. */
        boolean awaitDone() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if ("done".equals(line)) {
                    process.waitFor(30, TimeUnit.SECONDS);
                    return true;
                }
                if ("<eof>".equals(line)) {
                    return false;
                }
            }
            process.destroyForcibly();
            return false;
        }

        /** Kills the child as {@code plan} says; false if it finished (printed "done") first. */
        boolean kill(Plan plan) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
            int counted = 0;
            int batches = 0;
            long killAt = plan.kind() == Kind.AT_TIME ? started + TimeUnit.MILLISECONDS.toNanos(plan.delayMillis())
                    : Long.MAX_VALUE;
            while (System.nanoTime() < deadline) {
                long wait = Math.max(0, Math.min(killAt - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)));
                String line = lines.poll(wait, TimeUnit.NANOSECONDS);
                if (line != null) {
                    if (line.equals("done")) {
                        process.waitFor(30, TimeUnit.SECONDS);
                        return false;
                    }
                    if (line.equals("<eof>")) {
                        throw new AssertionError("the child died on its own: " + output());
                    }
                    boolean counts = switch (plan.kind()) {
                        case AT_BATCH -> line.startsWith("batch ");
                        case IN_BACKUP_WRITE -> line.startsWith("writing backup ");
                        case IN_CHECKPOINT_WRITE -> line.startsWith("writing ckpt ");
                        case AT_TIME -> false;
                    };
                    boolean inWrite = plan.kind() == Kind.IN_BACKUP_WRITE || plan.kind() == Kind.IN_CHECKPOINT_WRITE;
                    if (!inWrite && line.startsWith("batch ") && ++batches >= MAX_BATCHES_PER_CHILD) {
                        killAt = Math.min(killAt, System.nanoTime());
                    }
                    if (counts && ++counted == plan.count()) {
                        killAt = plan.kind() == Kind.AT_BATCH
                                ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(plan.delayMillis())
                                : System.nanoTime(); // the child now sleeps between the write and the rename
                    }
                }
                if (System.nanoTime() >= killAt) {
                    process.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no finally block runs
                    process.waitFor(30, TimeUnit.SECONDS);
                    return true;
                }
            }
            process.destroyForcibly();
            throw new AssertionError("the child neither finished nor reached the kill point (" + plan + "): "
                    + output());
        }

        String lastProgress() {
            return lastProgress;
        }

        String output() {
            synchronized (seen) {
                return String.join("\n", seen.subList(Math.max(0, seen.size() - 40), seen.size()));
            }
        }
    }
}
