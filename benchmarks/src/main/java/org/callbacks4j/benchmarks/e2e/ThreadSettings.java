package org.callbacks4j.benchmarks.e2e;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.train.NativeThreads;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Thread settings side by side in one process: our trainer's epoch (and the gemm bound's) with its own choice
 * ({@code auto}) and with fixed settings ({@code ops/blas}: ND4J's ops on {@code ops} threads, OpenBLAS on
 * {@code blas}), in interleaved rounds (each round runs every setting once, in a rotated order), so that a machine
 * whose load drifts slows every setting alike. The settings are runtime calls, so one process can switch between
 * them; ND4J's pool cannot grow after it loaded, so run this without OMP_NUM_THREADS.
 *
 * <p>Per setting: the median epoch, and the median over rounds of its epoch divided by the round's fastest setting
 * (robust to drift). Writes {@code threads.csv} and {@code threads.md} into {@code --out}.
 *
 * <pre>
 * java -cp ... org.callbacks4j.benchmarks.e2e.ThreadSettings --out DIR [--settings auto,1/1,1/2,2/2]
 *     [--networks 784-256-10,784-512-256-10] [--rounds 5] [--data DIR] [--rows N]
 * </pre>
 */
public final class ThreadSettings {

    private static final int BATCH = EndToEnd.BATCH_SIZE;

    private ThreadSettings() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument \"" + args[i] + "\"; options start with --");
            }
            opt.put(args[i].substring(2), args[i + 1]);
        }
        Path out = Path.of(opt.getOrDefault("out", "benchmarks/target/threads"));
        List<String> settings = List.of(opt.getOrDefault("settings", "auto,1/1,1/2,2/2").split(","));
        List<String> networks = List.of(opt.getOrDefault("networks", "784-256-10,784-512-256-10").split(","));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "5"));
        int rows = Integer.parseInt(opt.getOrDefault("rows", "0"));
        Path dataDir = Path.of(opt.getOrDefault("data", FashionMnist.DEFAULT_DIR.toString()));
        for (String s : settings) {
            parse(s);
        }
        FashionMnist.Split train = FashionMnist.available(dataDir) ? FashionMnist.train(dataDir)
                : FashionMnist.synthetic(rows > 0 ? rows : 4096, 1);
        if (rows > 0) {
            train = train.head(rows);
        }
        INDArray x = Nd4j.create(train.pixels(), new long[] {train.rows(), FashionMnist.PIXELS}, DataType.FLOAT);
        INDArray y = Nd4j.create(train.oneHot(), new long[] {train.rows(), FashionMnist.CLASSES}, DataType.FLOAT);
        Dataset data = Dataset.of(x, y);
        long warmRows = Math.min(train.rows(), 64L * BATCH);
        Dataset warm = Dataset.of(x.get(NDArrayIndex.interval(0, warmRows), NDArrayIndex.all()).dup(),
                y.get(NDArrayIndex.interval(0, warmRows), NDArrayIndex.all()).dup());

        Files.createDirectories(out);
        StringBuilder md = new StringBuilder("## Thread settings side by side (one process, interleaved rounds)\n\n");
        md.append("`auto`: the trainer's own choice; `o/b`: ND4J's ops on o threads, OpenBLAS on b. ")
                .append(rounds).append(" rounds; \"/ fastest\": the median over rounds of the epoch divided by that ")
                .append("round's fastest setting. ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; OMP_NUM_THREADS ").append(System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"))
                .append(", OpenBLAS env ").append(System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset"))
                .append(".\n\n| network | variant | setting | median epoch | / fastest (median over rounds) |\n")
                .append("|---|---|---|---|---|\n");
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("threads.csv"),
                StandardCharsets.UTF_8))) {
            csv.println("network,variant,setting,round,seconds");
            for (String network : networks) {
                int[] widths = EndToEnd.widths(network);
                for (String variant : new String[] {"ours-none", "gemm"}) {
                    double[][] t = new double[settings.size()][rounds];
                    Sequential[] models = new Sequential[settings.size()];
                    GemmBound bound = variant.equals("gemm") ? new GemmBound(widths, x, BATCH) : null;
                    for (int s = 0; s < settings.size(); s++) {
                        models[s] = model(widths);
                        if (bound == null) {
                            trainer(settings.get(s)).fit(models[s], warm, fit(1));
                        } else {
                            apply(settings.get(s), widths);
                            bound.epoch();
                        }
                    }
                    for (int r = 0; r < rounds; r++) {
                        for (int k = 0; k < settings.size(); k++) {
                            int s = (k + r) % settings.size();
                            long start = System.nanoTime();
                            if (bound == null) {
                                trainer(settings.get(s)).fit(models[s], data, fit(1));
                            } else {
                                apply(settings.get(s), widths);
                                bound.epoch();
                            }
                            t[s][r] = (System.nanoTime() - start) / 1e9;
                            csv.printf(Locale.ROOT, "%s,%s,%s,%d,%.6f%n", network, variant, settings.get(s), r,
                                    t[s][r]);
                        }
                        csv.flush();
                    }
                    for (int s = 0; s < settings.size(); s++) {
                        double[] relative = new double[rounds];
                        for (int r = 0; r < rounds; r++) {
                            double fastest = Double.POSITIVE_INFINITY;
                            for (double[] other : t) {
                                fastest = Math.min(fastest, other[r]);
                            }
                            relative[r] = t[s][r] / fastest;
                        }
                        String line = String.format(Locale.ROOT, "| %s | %s | `%s` | %.3f s (%.2f–%.2f) | %.2fx |%n",
                                network, variant, settings.get(s), median(t[s]),
                                Arrays.stream(t[s]).min().orElse(0), Arrays.stream(t[s]).max().orElse(0),
                                median(relative));
                        md.append(line);
                        System.out.print(line);
                    }
                }
            }
        }
        Files.writeString(out.resolve("threads.md"), md + "\n", StandardCharsets.UTF_8);
    }

    private static Sequential model(int[] widths) {
        Sequential.Builder b = Sequential.input(widths[0]);
        for (int l = 1; l < widths.length - 1; l++) {
            b.dense(widths[l], Activation.RELU);
        }
        return b.dense(widths[widths.length - 1], Activation.SOFTMAX).seed(EndToEnd.SEED).build();
    }

    private static Trainer trainer(String setting) {
        Trainer.Builder b = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-3))
                .metrics("accuracy");
        int[] p = parse(setting);
        if (p != null) {
            b.threads(p[0], p[1]);
        }
        return b.build();
    }

    private static void apply(String setting, int[] widths) {
        int[] p = parse(setting);
        if (p == null) {
            NativeThreads.applyDefault(model(widths), BATCH);
        } else {
            NativeThreads.apply(new NativeThreads.Choice(p[0], p[1], "benchmark", "benchmark"));
        }
    }

    private static Fit fit(int epochs) {
        return Fit.epochs(epochs).batchSize(BATCH).seed(EndToEnd.SEED).verbose(0);
    }

    /** {@code auto} -> null; {@code o/b} -> {o, b}. */
    private static int[] parse(String setting) {
        if (setting.equals("auto")) {
            return null;
        }
        String[] p = setting.split("/");
        try {
            int[] v = {Integer.parseInt(p[0]), Integer.parseInt(p[p.length - 1])};
            if (p.length == 2 && v[0] > 0 && v[1] > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("setting \"" + setting + "\" must be auto or ops/blas thread counts, "
                + "e.g. 1/2");
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
