package org.callbacks4j.dl4j;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.callbacks4j.internal.train.Backups;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash survival of a DL4J fit with real kills, as the runtime's {@code KillTest}: a child JVM
 * ({@link Dl4jKillTestChild}) fits a {@code MultiLayerNetwork}, or the same MLP as a SameDiff graph, with
 * {@code @BackupAndRestore} every 4 batches, is killed with SIGKILL at random moments (at a time, after a batch,
 * inside a backup write, inside a checkpoint write) and restarted until the fit completes. The result must equal an uninterrupted run's: identical final parameters,
 * updater state, DL4J counters, learning rate and History, the same CSV (every epoch once), the same checkpoints;
 * after every kill, every backup and checkpoint at a final path must be complete.
 *
 * <p>Replay a failure with {@code -Dcallbacks4j.killSeed=<seed>}. Tagged {@code kill}: skip it with
 * {@code -DexcludedGroups=kill}.
 */
@Tag("kill")
class Dl4jKillTest {

    private static final int EPOCHS = 40; // 400 batches: more than KILLS x MAX_BATCHES_PER_CHILD
    private static final int MAX_BATCHES_PER_CHILD = 30;
    private static final long PAUSE_MILLIS = 500;
    private static final int KILLS = 10;
    private static final long CHILD_TIMEOUT_SECONDS = 180;

    @TempDir
    Path dir;

    private enum Kind { AT_TIME, AT_BATCH, IN_BACKUP_WRITE, IN_CHECKPOINT_WRITE }

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

    /** {@code mlp}: a {@code MultiLayerNetwork}; {@code samediff}: the same MLP as a SameDiff graph. */
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "samediff"})
    void aDl4jFitKilledAtRandomMomentsEndsExactlyAsAnUninterruptedFit(String network) throws Exception {
        long seed = Long.getLong("callbacks4j.killSeed", new SecureRandom().nextLong());
        String replay = "seed " + seed + " (replay: -Dcallbacks4j.killSeed=" + seed + ")";
        System.out.println("Dl4jKillTest " + network + " " + replay);
        Random random = new Random(seed);
        List<String> log = new ArrayList<>(List.of(replay));

        Path reference = Files.createDirectories(dir.resolve("reference"));
        Child first = Child.start(reference, "none", 0, network);
        assertWithMessage("reference run did not finish: %s", first.output()).that(first.awaitDone()).isTrue();

        Path run = Files.createDirectories(dir.resolve("run"));
        int kills = 0;
        int inBackupWrite = 0;
        int inCheckpointWrite = 0;
        boolean finished = false;
        for (Plan plan : plans(random)) {
            Child child = Child.start(run, plan.pauseKind(), plan.count(), network);
            boolean killed = child.kill(plan);
            log.add(plan + (killed ? "" : ": the run finished first") + "; last line: " + child.lastProgress);
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
            Child last = Child.start(run, "none", 0, network);
            assertWithMessage("%s\nfinal run did not finish: %s", log, last.output()).that(last.awaitDone()).isTrue();
            log.add("restarted until done");
        }
        String context = String.join("\n", log);
        System.out.println(context);

        assertWithMessage("%s\nkills", context).that(kills).isAtLeast(KILLS - 2);
        assertWithMessage("%s\nkills inside a backup write", context).that(inBackupWrite).isAtLeast(1);
        assertWithMessage("%s\nkills inside a checkpoint write", context).that(inCheckpointWrite).isAtLeast(1);
        assertWithMessage("%s\nHistory", context).that(read(run, "result/history.txt"))
                .isEqualTo(read(reference, "result/history.txt"));
        assertWithMessage("%s\nfinal parameters and updater state", context).that(read(run, "result/params.txt"))
                .isEqualTo(read(reference, "result/params.txt"));
        String csv = read(run, "history.csv");
        assertWithMessage("%s\nCSV", context).that(csv).isEqualTo(read(reference, "history.csv"));
        assertWithMessage("%s\nCSV rows", context).that(csv.split("\r\n")).hasLength(EPOCHS + 1);
        assertWithMessage("%s\ncheckpoints", context).that(checkpoints(run.resolve("ckpt")))
                .isEqualTo(checkpoints(reference.resolve("ckpt")));
        try (Stream<Path> all = Files.walk(run)) {
            assertWithMessage("%s\ntemporary files left", context)
                    .that(all.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()).isEmpty();
        }
    }

    private static List<Plan> plans(Random random) {
        List<Plan> plans = new ArrayList<>();
        plans.add(new Plan(Kind.IN_BACKUP_WRITE, 1 + random.nextInt(6), 0));
        plans.add(new Plan(Kind.IN_BACKUP_WRITE, 1 + random.nextInt(6), 0));
        plans.add(new Plan(Kind.IN_CHECKPOINT_WRITE, 1 + random.nextInt(2), 0));
        plans.add(new Plan(Kind.IN_CHECKPOINT_WRITE, 1 + random.nextInt(2), 0));
        while (plans.size() < KILLS) {
            plans.add(random.nextBoolean()
                    ? new Plan(Kind.AT_TIME, 0, 1500 + random.nextInt(6000))
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

    private static void assertIntact(Path run, String context) throws IOException {
        if (Files.isDirectory(run.resolve("backup"))) {
            for (Path backup : Backups.files(run.resolve("backup"))) {
                try {
                    Backups.read(backup);
                } catch (IOException e) {
                    throw new AssertionError(context + "\ndamaged backup after a kill: " + e.getMessage(), e);
                }
            }
        }
        checkpoints(run.resolve("ckpt")); // throws on a damaged zip
        Path csv = run.resolve("history.csv");
        if (Files.exists(csv) && Files.size(csv) > 0) {
            assertWithMessage("%s\nCSV after a kill", context).that(Files.readString(csv)).endsWith("\r\n");
        }
    }

    /**
     * Every checkpoint's parameters and updater state, by file name (DL4J's zips hold entry times): DL4J zips, or
     * SameDiff's FlatBuffers files ({@code .fb}).
     */
    private static Map<String, String> checkpoints(Path folder) throws IOException {
        Map<String, String> result = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return result;
        }
        List<Path> saved;
        try (Stream<Path> files = Files.list(folder)) {
            saved = files.filter(p -> p.getFileName().toString().endsWith(".zip")
                    || p.getFileName().toString().endsWith(".fb")).sorted().toList();
        }
        for (Path file : saved) {
            if (file.getFileName().toString().endsWith(".fb")) {
                SameDiff sd = SameDiff.load(file.toFile(), true);
                result.put(file.getFileName().toString(),
                        SameDiffTrainerTest.exact(SameDiffTrainerTest.variables(sd)) + " "
                                + SameDiffTrainerTest.exact(SameDiffTrainerTest.updaterState(sd)));
            } else {
                MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
                result.put(file.getFileName().toString(), Arrays.toString(net.params().toFloatVector()) + " "
                        + Arrays.toString(net.getUpdater().getStateViewArray().toFloatVector()));
            }
        }
        return result;
    }

    private static String read(Path root, String file) throws IOException {
        return Files.readString(root.resolve(file), StandardCharsets.US_ASCII);
    }

    private static final class Child {

        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        private final long started = System.nanoTime();
        volatile String lastProgress = "(none)";

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
            }, "dl4j-kill-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path root, String pauseKind, int pauseFrom, String network) throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("java.class.path"), Dl4jKillTestChild.class.getName(),
                    Integer.toString(EPOCHS), pauseKind, Integer.toString(pauseFrom), Long.toString(PAUSE_MILLIS),
                    network)
                    .directory(root.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("OMP_NUM_THREADS", "1");
            builder.environment().put("OPENBLAS_NUM_THREADS", "1");
            return new Child(builder.start());
        }

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
                                : System.nanoTime();
                    }
                }
                if (System.nanoTime() >= killAt) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                    return true;
                }
            }
            process.destroyForcibly();
            throw new AssertionError("the child neither finished nor reached the kill point (" + plan + "): "
                    + output());
        }

        String output() {
            synchronized (seen) {
                return String.join("\n", seen.subList(Math.max(0, seen.size() - 40), seen.size()));
            }
        }
    }
}
