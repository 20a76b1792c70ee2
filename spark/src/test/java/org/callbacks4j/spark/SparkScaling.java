package org.callbacks4j.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.callbacks4j.OnEpochBegin;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;

/**
 * Rows per second of a Spark fit against partitions and the synchronisation interval, in Spark local mode on this
 * machine, next to {@code Trainer.fit} on the same rows; and the bytes one synchronisation exchanges. The figures feed
 * the speed-up model in BENCHMARKS.md ("Spark").
 *
 * <pre>java -cp ... org.callbacks4j.spark.bench.SparkScaling [--out results.md] [--rows 8192] [--epochs 2]</pre>
 *
 * Each configuration trains {@code --epochs} epochs (at least 2) and reports the median of the epochs after the first,
 * which pays for caching the shards and the JIT.
 */
public final class SparkScaling {

    /** Times each epoch. */
    public static class EpochClock {

        final List<Double> seconds = new ArrayList<>();
        long start;

        @OnEpochBegin
        void begin() {
            start = System.nanoTime();
        }

        @OnEpochEnd
        void end() {
            seconds.add((System.nanoTime() - start) / 1e9);
        }

        double steadyMedian() {
            List<Double> steady = new ArrayList<>(seconds.subList(1, seconds.size()));
            steady.sort(null);
            return steady.get(steady.size() / 2);
        }
    }

    private SparkScaling() {}

    public static void main(String[] args) throws IOException {
        Path out = null;
        int rows = 8192;
        int epochs = 3;
        int cores = 2;
        boolean barrierOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Math.max(2, Integer.parseInt(args[++i]));
                case "--cores" -> cores = Integer.parseInt(args[++i]);
                case "--barrier-only" -> barrierOnly = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --out FILE, --rows N, --epochs N, --cores N");
            }
        }
        SparkConf conf = new SparkConf().setMaster("local[" + cores + "]").setAppName("callbacks4j-spark-scaling")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        StringBuilder md = new StringBuilder();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            md.append(String.format(Locale.ROOT, "Spark local[%d], %d rows, batch 64, Adam; median epoch after the "
                    + "first of %d; load average before: %s%n%n", cores, rows, epochs, loadAverage()));
            barrier(sc, cores, md);
            for (int[] widths : barrierOnly ? new int[0][] : new int[][] {{784, 256, 10}, {64, 32, 10}}) {
                Dataset data = synthetic(rows, widths[0], widths[2], 42);
                md.append(String.format(Locale.ROOT, "### %d-%d-%d (%,d parameters)%n%n", widths[0], widths[1],
                        widths[2], model(widths).paramCount()));
                md.append("| trainer | partitions | syncEvery | rounds/epoch | epoch s | rows/s | ms/round "
                        + "| broadcast B/round | results B/round |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
                EpochClock local = new EpochClock();
                trainer().fit(model(widths), data, Fit.epochs(epochs).batchSize(64).verbose(0), local);
                double localS = local.steadyMedian();
                md.append(String.format(Locale.ROOT, "| Trainer.fit | - | - | %d | %.3f | %,.0f | - | - | - |%n",
                        (rows + 63) / 64, localS, rows / localS));
                for (int partitions : new int[] {1, 2, 4}) {
                    JavaRDD<Example> rdd = SparkData.parallelize(sc, data, partitions);
                    for (int syncEvery : new int[] {1, 8, 1_000_000}) {
                        EpochClock clock = new EpochClock();
                        Sequential model = model(widths);
                        SparkTrainer.of(trainer()).syncEvery(syncEvery)
                                .fit(model, rdd, Fit.epochs(epochs).batchSize(64).verbose(0), clock);
                        double s = clock.steadyMedian();
                        int perPartition = (rows + partitions - 1) / partitions;
                        int batches = (perPartition + 63) / 64;
                        int rounds = (batches + syncEvery - 1) / syncEvery;
                        long params = model.paramCount();
                        // What travels, serialized as Spark does (Java serialization): the round's broadcast, and
                        // each partition's task result (its RoundSum: parameters, Adam state, per-example values).
                        long broadcast = serializedSize(new Round(1, 0, new float[(int) params],
                                new float[(int) (2 * params)], 0, 1e-3));
                        int roundRows = Math.min(perPartition, syncEvery * 64);
                        long result = partitions * serializedSize(new RoundSum(partitions).add(new Part(0, roundRows,
                                1, new float[(int) params], new float[(int) (2 * params)], new float[roundRows],
                                new float[][] {new float[roundRows]})));
                        md.append(String.format(Locale.ROOT, "| SparkTrainer | %d | %s | %d | %.3f | %,.0f | %.1f "
                                + "| %,d | %,d |%n", partitions, syncEvery >= 1_000_000 ? "epoch" : syncEvery,
                                rounds, s, rows / s, 1000 * s / rounds, broadcast, result));
                        System.out.print(md.substring(md.lastIndexOf("| SparkTrainer")));
                    }
                }
                md.append('\n');
            }
        }
        md.append("load average after: ").append(loadAverage()).append('\n');
        System.out.println(md);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, md.toString());
        }
    }

    /**
     * The alternative to rounds: an all-reduce of the gradient in barrier execution mode. Spark's only exchange
     * between barrier tasks is {@code BarrierTaskContext.allGather(String)}, which sends every task's string through
     * the driver to every task. This times one allGather of a gradient-sized message (float32 as Base64) per task, as
     * a per-batch all-reduce would need, against the message sizes of the two models.
     */
    private static void barrier(JavaSparkContext sc, int cores, StringBuilder md) {
        md.append("### Barrier mode: one allGather of a gradient per task (what an all-reduce per batch costs)\n\n");
        md.append("| floats per task | Base64 chars | tasks | ms per allGather (median of 9) |\n"
                + "|---:|---:|---:|---:|\n");
        for (int floats : new int[] {2_410, 203_530}) {
            int tasks = cores;
            List<Integer> seed = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                seed.add(t);
            }
            scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Double>> task =
                    (scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Double>>
                            & Serializable) it -> {
                org.apache.spark.BarrierTaskContext ctx = org.apache.spark.BarrierTaskContext.get();
                byte[] bytes = new byte[4 * floats];
                java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().put(new float[floats]);
                String message = java.util.Base64.getEncoder().encodeToString(bytes);
                List<Double> ms = new ArrayList<>();
                for (int round = 0; round < 10; round++) {
                    long start = System.nanoTime();
                    String[] all = ctx.allGather(message);
                    float[] sum = new float[floats];
                    for (String m : all) {
                        java.nio.FloatBuffer f = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(m))
                                .asFloatBuffer();
                        for (int i = 0; i < floats; i++) {
                            sum[i] += f.get(i);
                        }
                    }
                    if (round > 0) {
                        ms.add((System.nanoTime() - start) / 1e6);
                    }
                }
                return scala.jdk.javaapi.CollectionConverters.asScala(ms.iterator());
            };
            List<Double> times = org.apache.spark.api.java.JavaRDD.fromRDD(sc.parallelize(seed, tasks).rdd()
                    .barrier().mapPartitions(task, false, scala.reflect.ClassTag$.MODULE$.apply(Double.class)),
                    scala.reflect.ClassTag$.MODULE$.apply(Double.class)).collect();
            List<Double> sorted = new ArrayList<>(times);
            sorted.sort(null);
            md.append(String.format(Locale.ROOT, "| %,d | %,d | %d | %.1f |%n", floats, 4 * ((4 * floats + 2) / 3),
                    tasks, sorted.get(sorted.size() / 2)));
        }
        md.append('\n');
        System.out.print(md);
    }

    private static Sequential model(int[] widths) {
        return Sequential.input(widths[0]).dense(widths[1], Activation.RELU).dense(widths[2], Activation.SOFTMAX)
                .seed(1).build();
    }

    private static Trainer trainer() {
        return Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-3)).metrics("accuracy")
                .build();
    }

    /** Random features in [0, 1) and the argmax class of a fixed random linear map of them. */
    private static Dataset synthetic(int rows, int inputs, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] teacher = new float[inputs][classes];
        for (float[] row : teacher) {
            for (int c = 0; c < classes; c++) {
                row[c] = (float) (random.nextDouble() - 0.5);
            }
        }
        float[][] x = new float[rows][inputs];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            double[] score = new double[classes];
            for (int j = 0; j < inputs; j++) {
                x[i][j] = (float) random.nextDouble();
                for (int c = 0; c < classes; c++) {
                    score[c] += x[i][j] * teacher[j][c];
                }
            }
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (score[c] > score[best]) {
                    best = c;
                }
            }
            y[i] = best;
        }
        return Dataset.classification(x, y, classes);
    }

    private static long serializedSize(Serializable value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(value);
        }
        return bytes.size();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
