package org.callbacks4j.spark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.callbacks4j.History;
import org.callbacks4j.OnBatchEnd;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;

/**
 * The driver of {@link LocalClusterTest}, a JVM of its own: Spark's {@code local-cluster[2,1,1024]} master (a Master
 * and two Workers in this JVM, each Worker starting one executor JVM with one core) trains {@link #train}, killing
 * one executor JVM with SIGKILL after round 2 ({@link KillAnExecutor}), and writes to {@code <out>/result.txt}: this
 * JVM's process id, the executors' process ids (from tasks), the final parameters, the History, and the process
 * killed with the number of executors Spark saw removed. It needs {@code SPARK_HOME} (a folder with a {@code jars/} folder) and
 * {@code SPARK_SCALA_VERSION} in its environment; see {@code docs/spark.md}, "Tests".
 *
 * <p>Arguments: {@code out}.
 */
public final class LocalClusterDriver {

    static final int PARTITIONS = 2;

    private LocalClusterDriver() {}

    /**
     * Kills an executor JVM with SIGKILL from the driver, after round {@code round} of the first epoch: the cached
     * partitions and broadcast blocks it held are lost, and the next rounds run on the other executor (and on any
     * replacement its Worker starts).
     */
    public static class KillAnExecutor {
        final long pid;
        final int round;
        boolean killed;

        KillAnExecutor(long pid, int round) {
            this.pid = pid;
            this.round = round;
        }

        @OnBatchEnd
        void batchEnd(int epoch, int batch) throws Exception {
            if (epoch == 0 && batch == round) {
                ProcessHandle executor = ProcessHandle.of(pid)
                        .orElseThrow(() -> new IllegalStateException("no executor process " + pid));
                executor.destroyForcibly();
                executor.onExit().get(30, TimeUnit.SECONDS);
                killed = true;
                System.out.println("killed executor process " + pid + " after round " + epoch + "/" + batch);
                System.out.flush();
            }
        }
    }

    /**
     * The fit both modes run: digits, 900 rows in 2 partitions, 2 epochs, {@code syncEvery(2)}; returns {parameters,
     * History}.
     */
    static String[] train(JavaSparkContext sc, Object... callbacks) {
        Dataset digits = Digits.load();
        Sequential model = Sequential.input(64).dense(32, Activation.RELU).dense(10, Activation.SOFTMAX).seed(3)
                .build();
        Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(3e-3))
                .metrics("accuracy").build();
        Fit fit = Fit.epochs(2).batchSize(32).validationData(digits.rows(1437, digits.size())).verbose(0);
        History history = SparkTrainer.of(trainer).syncEvery(2)
                .fit(model, SparkData.parallelize(sc, digits.rows(0, 900), PARTITIONS), fit, callbacks);
        return new String[] {Arrays.toString(model.params().toFloatVector()), history.asMap().toString()};
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Path out = Path.of(args[0]);
        SparkConf conf = new SparkConf()
                .setMaster("local-cluster[2,1,1024]")
                .setAppName("callbacks4j-spark-local-cluster-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.local.dir", out.resolve("spark-local").toAbsolutePath().toString())
                // What spark-submit would ship as the application jar: here the whole test class path, absolute
                // (an executor runs in a folder of its own, SPARK_HOME/work/<app>/<executor>).
                .set("spark.executor.extraClassPath", ChildJvm.classPath())
                // Spark's and ND4J's flags, and a quick start for short-lived executors (C1 only: the same results,
                // Java's float arithmetic is strict and the math is ND4J's native code).
                .set("spark.executor.extraJavaOptions", String.join(" ", ChildJvm.flags())
                        + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
                .set("spark.executorEnv.OMP_NUM_THREADS", "1")
                .set("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        // The context returns before the executors register; wait for both (and the driver's block manager).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (sc.sc().getExecutorMemoryStatus().size() < PARTITIONS + 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("executors not up after 120 s: "
                        + sc.sc().getExecutorMemoryStatus().keySet());
            }
            Thread.sleep(100);
        }
        System.out.printf("executors up after %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.out.flush();

        // Where tasks run: 8 tasks of 200 ms over the two one-core executors.
        List<Long> pids = sc.parallelize(List.of(0, 1, 2, 3, 4, 5, 6, 7), 8).map(i -> {
            Thread.sleep(200);
            return ProcessHandle.current().pid();
        }).collect();
        System.out.printf("tasks ran in processes %s after %.1f s%n", new TreeSet<>(pids),
                (System.nanoTime() - start) / 1e9);
        AtomicInteger removed = new AtomicInteger();
        AtomicInteger added = new AtomicInteger();
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onExecutorRemoved(SparkListenerExecutorRemoved event) {
                removed.incrementAndGet();
            }

            @Override
            public void onExecutorAdded(SparkListenerExecutorAdded event) {
                added.incrementAndGet();
            }
        });
        KillAnExecutor killer = new KillAnExecutor(pids.get(0), 2);
        String[] result = train(sc, killer);
        System.out.printf("trained after %.1f s; executors removed %d, added %d%n", (System.nanoTime() - start) / 1e9,
                removed.get(), added.get());
        Files.writeString(out.resolve("result.txt"), ProcessHandle.current().pid() + "\n" + new TreeSet<>(pids)
                + "\n" + result[0] + "\n" + result[1] + "\n" + (killer.killed ? killer.pid : "none") + " "
                + removed.get() + "\n", StandardCharsets.US_ASCII);
        sc.stop();
        System.out.println("done");
        System.out.flush();
    }
}
