package org.callbacks4j.spark;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's {@code local-cluster} mode: executors in JVMs of their own, started by Spark's standalone Worker as on a
 * cluster, with tasks and results serialized across processes. The driver runs in a child JVM
 * ({@link LocalClusterDriver}); the test gives it what a Spark distribution would: {@code SPARK_HOME}, here a folder
 * with an empty {@code jars/} (the Worker builds the executor's class path from {@code SPARK_HOME/jars/*} and
 * {@code spark.executor.extraClassPath}, which holds the test class path), and {@code SPARK_SCALA_VERSION}.
 * The fit must run its tasks in two executor JVMs, neither the driver; one of them is killed with SIGKILL after round
 * 2, with whatever it held (cached partitions, broadcast blocks), and Spark must see it removed; the fit must still
 * end bit for bit as the same undisturbed fit with the same partitioning in {@code local[2,4]} ({@link LocalSpark},
 * threads of this JVM).
 *
 * <p>Part of {@code mvn verify} (60 to 100 s on the shared 2-core machine, mostly starting three JVMs); tagged
 * {@code cluster}: skip it with {@code -DexcludedGroups=cluster}.
 */
@Tag("cluster")
class LocalClusterTest {

    @TempDir
    Path dir;

    @Test
    void twoExecutorJvmsOneKilledMidFitTrainBitForBitAsLocalModeForTheSamePartitioning() throws Exception {
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(home.resolve("jars"));
        Path out = Files.createDirectories(dir.resolve("out"));
        ProcessBuilder builder = ChildJvm.process(LocalClusterDriver.class,
                List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx768m", "-Dcallbacks4j.spark.digits=" + Digits.FILE), out.toString())
                .directory(out.toFile())
                .redirectOutput(out.resolve("driver.log").toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        // Master, Workers and executors on the loopback interface only (as the driver: spark.driver.host).
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process driver = builder.start();
        boolean ended = driver.waitFor(300, TimeUnit.SECONDS);
        if (!ended) {
            driver.destroyForcibly();
        }
        assertWithMessage("the local-cluster driver did not end well%s", logs(out, home))
                .that(ended && driver.exitValue() == 0).isTrue();

        for (String line : Files.readAllLines(out.resolve("driver.log"), StandardCharsets.UTF_8)) {
            if (line.startsWith("executors up") || line.startsWith("tasks ran") || line.startsWith("trained")
                    || line.startsWith("killed executor")) {
                System.out.println("local-cluster driver: " + line);
            }
        }
        List<String> result = Files.readAllLines(out.resolve("result.txt"), StandardCharsets.US_ASCII);
        String driverPid = result.get(0);
        List<String> executorPids = List.of(result.get(1).replaceAll("[\\[\\] ]", "").split(","));
        assertWithMessage("process ids of the tasks (driver %s)", driverPid).that(executorPids).hasSize(2);
        assertWithMessage("process ids of the tasks").that(executorPids).doesNotContain(driverPid);
        assertWithMessage("process ids of the tasks").that(executorPids)
                .doesNotContain(Long.toString(ProcessHandle.current().pid()));

        String[] killed = result.get(4).split(" ");
        assertWithMessage("the executor process killed mid-fit").that(killed[0]).isIn(executorPids);
        assertWithMessage("executors Spark saw removed").that(Integer.parseInt(killed[1])).isAtLeast(1);

        String[] local = LocalClusterDriver.train(LocalSpark.context());
        assertWithMessage("History, local-cluster against local[2,4]").that(result.get(3)).isEqualTo(local[1]);
        assertWithMessage("final parameters, local-cluster against local[2,4]").that(result.get(2))
                .isEqualTo(local[0]);
    }

    /** The driver's output and the tail of every executor's stderr, for a failure message. */
    private static String logs(Path out, Path home) throws IOException {
        StringBuilder text = new StringBuilder("\n--- driver:\n").append(tail(out.resolve("driver.log")));
        Path work = home.resolve("work");
        if (Files.isDirectory(work)) {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path stderr : files.filter(p -> p.getFileName().toString().equals("stderr")).sorted().toList()) {
                    text.append("\n--- executor ").append(work.relativize(stderr)).append(":\n").append(tail(stderr));
                }
            }
        }
        return text.toString();
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
