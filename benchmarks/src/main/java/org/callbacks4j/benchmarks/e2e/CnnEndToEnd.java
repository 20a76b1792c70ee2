package org.callbacks4j.benchmarks.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.train.NativeThreads;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.samples.fashion.FashionMnistSample;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The CNN end to end: Fashion-MNIST epochs of the Fashion-MNIST sample's CNN ({@link FashionMnistSample#model()}:
 * two blocks of conv2d 3x3 "same" ReLU, batch norm, max pool 2; flatten, dropout 0.4, dense 128 ReLU, dropout 0.3,
 * dense 10 softmax; Adam 1e-3, batch 64, softmax cross-entropy) with our trainer, DL4J's equivalent network
 * ({@link Dl4jCnn}) and PyTorch's ({@code benchmarks/pytorch_cnn.py}, one worker process per thread count), side by
 * side in one run: each round runs one epoch of every variant, in an order rotated each round, so that a machine whose
 * load drifts slows every variant alike. Each system in its natural layout (ours NHWC, DL4J and PyTorch NCHW).
 *
 * <p>Variants: {@code ours-auto} (the trainer's own thread choice), {@code ours-N} ({@code threads(N)}: ND4J's ops and
 * OpenBLAS on N), {@code dl4j-N} (ND4J's ops and OpenBLAS on N), {@code torch-N} ({@code torch.set_num_threads(N)},
 * OMP_NUM_THREADS and OPENBLAS_NUM_THREADS N). Start the process without OMP_NUM_THREADS: ND4J sizes its pool when it
 * loads, and a setting cannot grow it afterwards.
 *
 * <p>Timing: ours from the epoch's first hook to its last (one {@code fit} of one epoch per round, continuing the
 * same model with {@code initialEpoch}, so the fit's setup is not in the figure); DL4J's epoch call (shuffle and one
 * {@code fit} per batch); PyTorch's epoch timed inside the worker (shuffle and the training loop). Before the rounds
 * each variant runs one warm-up epoch of {@code --warmup-batches} batches on its own fresh model.
 *
 * <p>Writes {@code cnn.csv} (one row per measured epoch, appended) and {@code cnn-<config>.md} into {@code --out}:
 * the median epoch of each variant, and for each pair the ratio of the medians and the median over rounds of the
 * per-round ratio (robust to drift).
 *
 * <pre>
 * java -cp ... org.callbacks4j.benchmarks.e2e.CnnEndToEnd --out DIR [--config env] [--rows 10000] [--rounds 3]
 *     [--variants ours-auto,ours-1,ours-2,dl4j-1,dl4j-2,torch-1,torch-2] [--warmup-batches 16] [--test-rows 2000]
 *     [--budget-s 0] [--data /usr/share/datasets/fashion-mnist] [--python /usr/bin/python3]
 *     [--torch-script benchmarks/pytorch_cnn.py] [--smoke]
 * </pre>
 *
 * <p>{@code --rows 0} trains on all 60,000 rows. {@code --budget-s S}: a variant whose measured epochs took S seconds
 * in all sits out the remaining rounds (a setting that thrashes cannot hold the run). {@code --smoke}: 256 rows,
 * one round, 2 warm-up batches; checks that every variant ran with finite losses and says nothing about time. Where
 * the PyTorch worker cannot start (no torch), its variants are skipped with a line saying so.
 */
public final class CnnEndToEnd {

    static final int BATCH_SIZE = 64;
    static final long SEED = 42;
    static final String HEADER = "config,openblas_env,rows,variant,threads,round,order,seconds,loss,cpu_seconds,"
            + "process_cpu_seconds";
    static final String DEFAULT_VARIANTS = "ours-auto,ours-1,ours-2,dl4j-1,dl4j-2,torch-1,torch-2";

    private CnnEndToEnd() {}

    /** One variant: its epochs and where it stands. */
    private abstract static class Variant {
        final String name;
        final double[] seconds;
        final double[] loss;
        /** CPU seconds of the thread that trains: all of the epoch's work for the one-thread variants. */
        final double[] cpu;
        /** CPU seconds of the whole process (Java: with the JIT and GC threads; not the PyTorch workers). */
        final double[] processCpu;
        String threads = "";
        double testAccuracy = Double.NaN;

        Variant(String name, int rounds) {
            this.name = name;
            this.seconds = new double[rounds];
            this.loss = new double[rounds];
            this.cpu = new double[rounds];
            this.processCpu = new double[rounds];
            Arrays.fill(processCpu, Double.NaN);
            Arrays.fill(seconds, Double.NaN);
            Arrays.fill(cpu, Double.NaN);
            Arrays.fill(loss, Double.NaN);
        }

        abstract void epoch(int round) throws IOException;

        abstract void evaluate() throws IOException;

        double spent() {
            return Arrays.stream(seconds).filter(Double::isFinite).sum();
        }

        double[] measured() {
            return Arrays.stream(seconds).filter(Double::isFinite).sorted().toArray();
        }

        /** Whether every op runs on the training thread (so that its CPU time is the epoch's work). */
        boolean oneThread() {
            return name.endsWith("-1");
        }

        void close() throws IOException {}
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = parse(args);
        boolean smoke = opt.containsKey("smoke");
        Path out = Path.of(required(opt, "out"));
        String config = opt.getOrDefault("config", "default");
        int rows = integer(opt, "rows", smoke ? 256 : 10_000, 0);
        int testRows = integer(opt, "test-rows", smoke ? 256 : 2000, 1);
        int rounds = integer(opt, "rounds", smoke ? 1 : 3, 1);
        int warmupBatches = integer(opt, "warmup-batches", smoke ? 2 : 16, 1);
        double budgetSeconds = Double.parseDouble(opt.getOrDefault("budget-s", "0"));
        List<String> names = List.of(opt.getOrDefault("variants",
                smoke ? "ours-auto,dl4j-1,torch-1" : DEFAULT_VARIANTS).split(","));
        Path dataDir = Path.of(opt.getOrDefault("data", FashionMnist.DEFAULT_DIR.toString()));
        String python = opt.getOrDefault("python", "/usr/bin/python3");
        Path script = Path.of(opt.getOrDefault("torch-script", "benchmarks/pytorch_cnn.py"));
        for (String name : names) {
            threadsOf(name);
        }
        if (System.getenv("OMP_NUM_THREADS") != null) {
            throw new IllegalStateException("OMP_NUM_THREADS is set (" + System.getenv("OMP_NUM_THREADS") + "): ND4J "
                    + "would size its pool to it and the variants could not use more; run without it "
                    + "(env -u OMP_NUM_THREADS ..., as benchmarks/run.sh --cnn does)");
        }

        FashionMnist.Split train;
        FashionMnist.Split test;
        String source;
        if (FashionMnist.available(dataDir)) {
            train = FashionMnist.train(dataDir);
            test = FashionMnist.test(dataDir);
            source = "Fashion-MNIST " + dataDir;
        } else if (smoke) {
            train = FashionMnist.synthetic(rows, 1);
            test = FashionMnist.synthetic(testRows, 2);
            source = "synthetic (Fashion-MNIST not found in " + dataDir + ")";
        } else {
            throw new IOException("Fashion-MNIST not found in " + dataDir + "; run benchmarks/run.sh --cnn (it "
                    + "installs the Debian package dataset-fashion-mnist) or pass --data DIR");
        }
        if (rows > 0) {
            train = train.head(rows);
        }
        test = test.head(testRows);
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        String l2 = System.getenv("OPENBLAS_L2_SIZE");
        String openblasEnv = coretype == null && l2 == null ? "unset"
                : "CORETYPE=" + (coretype == null ? "-" : coretype) + " L2_SIZE=" + (l2 == null ? "-" : l2);

        INDArray x = Nd4j.create(train.pixels(), new long[] {train.rows(), FashionMnist.PIXELS}, DataType.FLOAT);
        INDArray y = Nd4j.create(train.oneHot(), new long[] {train.rows(), FashionMnist.CLASSES}, DataType.FLOAT);
        INDArray testX = Nd4j.create(test.pixels(), new long[] {test.rows(), FashionMnist.PIXELS}, DataType.FLOAT);
        INDArray testY = Nd4j.create(test.oneHot(), new long[] {test.rows(), FashionMnist.CLASSES}, DataType.FLOAT);
        long warmRows = Math.min(train.rows(), (long) warmupBatches * BATCH_SIZE);
        INDArray warmX = x.get(NDArrayIndex.interval(0, warmRows), NDArrayIndex.all()).dup();
        INDArray warmY = y.get(NDArrayIndex.interval(0, warmRows), NDArrayIndex.all()).dup();
        Dataset data = Dataset.of(x, y);
        Dataset testSet = Dataset.of(testX, testY);
        Dataset warm = Dataset.of(warmX, warmY);

        Files.createDirectories(out);
        String load = loadAverage();
        System.out.printf(Locale.ROOT, "[cnn %s] %s, %d training rows, %d test rows, %d rounds, batch %d, OpenBLAS "
                + "env %s; load %s%n", config, source, train.rows(), test.rows(), rounds, BATCH_SIZE, openblasEnv,
                load);
        List<Variant> variants = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String name : names) {
            int threads = threadsOf(name);
            System.out.printf(Locale.ROOT, "  %s: warm-up epoch of %d batches%n", name, warmRows / BATCH_SIZE);
            if (name.startsWith("ours-")) {
                variants.add(ours(name, threads, rounds, data, warm, testSet));
            } else if (name.startsWith("dl4j-")) {
                variants.add(dl4j(name, threads, rounds, x, y, warmX, warmY, testX, testY));
            } else {
                try {
                    variants.add(torch(name, threads, rounds, python, script, train.rows(), test.rows(),
                            warmupBatches, dataDir, out.resolve("torch-" + config + "-" + threads + ".log")));
                } catch (IOException e) {
                    String line = name + " skipped: " + e.getMessage().lines().findFirst().orElse("")
                            + " (install Debian's python3-torch, or pass --python)";
                    System.out.println("  " + line);
                    skipped.add(line);
                }
            }
        }

        Path csvFile = out.resolve("cnn.csv");
        boolean fresh = !Files.exists(csvFile) || Files.size(csvFile) == 0;
        List<String> problems = new ArrayList<>();
        try (Writer csv = Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            if (fresh) {
                csv.write(HEADER + "\n");
            }
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < variants.size(); k++) {
                    Variant v = variants.get((k + r) % variants.size());
                    if (budgetSeconds > 0 && v.spent() >= budgetSeconds) {
                        continue;
                    }
                    long processStart = processCpuNanos();
                    v.epoch(r);
                    if (!v.name.startsWith("torch-")) {
                        v.processCpu[r] = (processCpuNanos() - processStart) / 1e9;
                    }
                    System.out.printf(Locale.ROOT, "  round %d %-9s %8.3f s (CPU: thread %7.3f s, process %7.3f s)  "
                            + "loss %.4f  (%s)%n", r, v.name, v.seconds[r], v.cpu[r], v.processCpu[r], v.loss[r],
                            v.threads);
                    csv.write(String.join(",", config, '"' + openblasEnv + '"', Integer.toString(train.rows()),
                            v.name, '"' + v.threads + '"', Integer.toString(r), Integer.toString(k),
                            num(v.seconds[r]), num(v.loss[r]), num(v.cpu[r]), num(v.processCpu[r])) + "\n");
                    csv.flush();
                    if (!Double.isFinite(v.loss[r])) {
                        problems.add(v.name + " round " + r + " loss " + v.loss[r]);
                    }
                }
            }
        }
        for (Variant v : variants) {
            v.evaluate();
            v.close();
        }
        String md = report(config, source, train.rows(), test.rows(), rounds, openblasEnv, load, loadAverage(),
                variants, skipped);
        Files.writeString(out.resolve("cnn-" + config + ".md"), md, StandardCharsets.UTF_8);
        System.out.print(md);
        if (!problems.isEmpty()) {
            System.err.println("CNN run failed checks:\n  " + String.join("\n  ", problems));
            System.exit(1);
        }
    }

    private static Variant ours(String name, int fixedThreads, int rounds, Dataset data, Dataset warm, Dataset test)
            throws IOException {
        Trainer.Builder b = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-3))
                .metrics("accuracy");
        if (fixedThreads > 0) {
            b.threads(fixedThreads);
        }
        Trainer trainer = b.build();
        trainer.fit(FashionMnistSample.model(), warm, Fit.epochs(1).batchSize(BATCH_SIZE).seed(SEED).verbose(0));
        Sequential model = FashionMnistSample.model();
        return new Variant(name, rounds) {
            @Override
            void epoch(int round) throws IOException {
                EpochClock clock = new EpochClock(1, 0);
                Fit fit = Fit.epochs(round + 1).initialEpoch(round).batchSize(BATCH_SIZE).seed(SEED).verbose(0);
                trainer.fit(model, data, fit, clock);
                seconds[round] = clock.times.nanos[0] / 1e9;
                cpu[round] = clock.times.cpuNanos[0] / 1e9;
                loss[round] = clock.times.loss[0];
                int[] now = NativeThreads.current();
                this.threads = "ND4J ops " + now[0] + ", OpenBLAS " + now[2] + (fixedThreads > 0 ? "" : " (its choice)");
            }

            @Override
            void evaluate() {
                testAccuracy = trainer.evaluate(model, test).get("accuracy");
            }
        };
    }

    private static Variant dl4j(String name, int fixedThreads, int rounds, INDArray x, INDArray y, INDArray warmX,
            INDArray warmY, INDArray testX, INDArray testY) {
        NativeThreads.Choice choice = new NativeThreads.Choice(fixedThreads, fixedThreads, "benchmark", "benchmark");
        NativeThreads.apply(choice);
        new Dl4jCnn(warmX, warmY, BATCH_SIZE, SEED).epoch(SEED);
        Dl4jCnn net = new Dl4jCnn(x, y, BATCH_SIZE, SEED);
        return new Variant(name, rounds) {
            @Override
            void epoch(int round) {
                NativeThreads.apply(choice);
                this.threads = "ND4J ops " + fixedThreads + ", OpenBLAS " + fixedThreads;
                EpochTimes t = new EpochTimes(1);
                t.begin();
                t.end(net.epoch(SEED));
                loss[round] = t.loss[0];
                seconds[round] = t.nanos[0] / 1e9;
                cpu[round] = t.cpuNanos[0] / 1e9;
            }

            @Override
            void evaluate() {
                NativeThreads.apply(choice);
                testAccuracy = net.accuracy(testX, testY);
            }
        };
    }

    private static Variant torch(String name, int threads, int rounds, String python, Path script, int rows,
            int testRows, int warmupBatches, Path data, Path log) throws IOException {
        TorchWorker worker = TorchWorker.start(python, script, threads, rows, testRows, warmupBatches, data, log);
        return new Variant(name, rounds) {
            {
                this.threads = worker.info;
            }

            @Override
            void epoch(int round) throws IOException {
                TorchWorker.Epoch e = worker.epoch();
                seconds[round] = e.seconds();
                loss[round] = e.loss();
                cpu[round] = e.cpuSeconds();
                processCpu[round] = e.processCpuSeconds();
            }

            @Override
            void evaluate() throws IOException {
                testAccuracy = worker.testAccuracy();
            }

            @Override
            void close() throws IOException {
                worker.close();
            }
        };
    }

    /** The tables: each variant's epochs, then ours against each other system at the same thread count. */
    static String report(String config, String source, int rows, int testRows, int rounds, String openblasEnv,
            String loadBefore, String loadAfter, List<? extends Variant> variants, List<String> skipped) {
        StringBuilder md = new StringBuilder();
        md.append("## CNN, end to end: `").append(config).append("`\n\n")
                .append(source).append(", ").append(rows).append(" training rows, batch ").append(BATCH_SIZE)
                .append(", ").append(rounds).append(" interleaved rounds (one epoch of each variant per round, order ")
                .append("rotated); OpenBLAS env ").append(openblasEnv).append("; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores; load before: ").append(loadBefore)
                .append(", after: ").append(loadAfter).append(". Test accuracy on ").append(testRows)
                .append(" test rows after the last round. CPU: the training thread's CPU time, all of the epoch's ")
                .append("work where everything runs on that thread (the one-thread variants), unlike wall time ")
                .append("unaffected by waiting for a core.\n\n")
                .append("| variant | threads | median epoch (min–max) | median CPU, training thread | median CPU, ")
                .append("process | epochs | test accuracy |\n|---|---|---|---|---|---|---|\n");
        Map<String, Variant> byName = new LinkedHashMap<>();
        for (Variant v : variants) {
            byName.put(v.name, v);
            double[] m = v.measured();
            double[] c = Arrays.stream(v.cpu).filter(Double::isFinite).toArray();
            double[] pc = finite(v.processCpu);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d | %s |%n", v.name, v.threads,
                    m.length == 0 ? "—" : String.format(Locale.ROOT, "%.2f s (%.2f–%.2f)", median(m), m[0],
                            m[m.length - 1]), v.oneThread() && c.length > 0
                            ? String.format(Locale.ROOT, "%.2f s", median(c)) : "—",
                    pc.length == 0 ? "—" : String.format(Locale.ROOT, "%.2f s", median(pc)), m.length,
                    Double.isNaN(v.testAccuracy) ? "—"
                            : String.format(Locale.ROOT, "%.4f", v.testAccuracy)));
        }
        for (String s : skipped) {
            md.append("\n").append(s).append("\n");
        }
        md.append("\n| comparison | other / ours, ratio of medians | median of per-round ratios | per round | ")
                .append("CPU time, ratio of medians (one thread) |\n|---|---|---|---|---|\n");
        for (Variant ours : variants) {
            if (!ours.name.startsWith("ours-")) {
                continue;
            }
            String suffix = ours.name.substring("ours-".length());
            for (Variant other : variants) {
                if (other.name.startsWith("ours-")) {
                    continue;
                }
                // Ours at N threads against the others at N; ours' own choice against every other variant.
                if (!suffix.equals("auto") && !other.name.endsWith("-" + suffix)) {
                    continue;
                }
                double[] ratios = new double[rounds];
                int n = 0;
                for (int r = 0; r < rounds; r++) {
                    if (Double.isFinite(ours.seconds[r]) && Double.isFinite(other.seconds[r])) {
                        ratios[n++] = other.seconds[r] / ours.seconds[r];
                    }
                }
                if (n == 0) {
                    continue;
                }
                double[] perRound = Arrays.copyOf(ratios, n);
                StringBuilder rs = new StringBuilder();
                for (double v : perRound) {
                    rs.append(rs.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2fx", v));
                }
                String cpuRatio = ours.oneThread() && other.oneThread() ? String.format(Locale.ROOT, "%.2fx",
                        median(finite(other.cpu)) / median(finite(ours.cpu))) : "—";
                md.append(String.format(Locale.ROOT, "| %s / %s | **%.2fx** | %.2fx | %s | %s |%n", other.name,
                        ours.name, median(other.measured()) / median(ours.measured()), median(perRound), rs, cpuRatio));
            }
        }
        md.append("\nAbove 1: ours is faster. Goals (issue 12): DL4J / ours at least 2x, PyTorch / ours above 1x at the "
                + "same thread count.\n");
        return md.toString();
    }

    /** {@code ours-auto} -> 0 (the trainer's choice); {@code ours-2}, {@code dl4j-1}, {@code torch-2} -> N. */
    static int threadsOf(String variant) {
        String[] p = variant.split("-");
        if (p.length == 2 && (p[0].equals("ours") || p[0].equals("dl4j") || p[0].equals("torch"))) {
            if (p[0].equals("ours") && p[1].equals("auto")) {
                return 0;
            }
            try {
                int n = Integer.parseInt(p[1]);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw new IllegalArgumentException("variant \"" + variant + "\" must be ours-auto or ours-N, dl4j-N, torch-N "
                + "with N threads (N >= 1), e.g. " + DEFAULT_VARIANTS);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double[] finite(double[] v) {
        return Arrays.stream(v).filter(Double::isFinite).toArray();
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static int integer(Map<String, String> opt, String key, int fallback, int min) {
        String v = opt.get(key);
        int n;
        try {
            n = v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " \"" + v + "\" is not a whole number");
        }
        if (n < min) {
            throw new IllegalArgumentException("--" + key + " must be at least " + min + ", got " + n);
        }
        return n;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument \"" + args[i] + "\"; options start with --");
            }
            String key = args[i].substring(2);
            if (key.equals("smoke")) {
                opt.put(key, "true");
            } else if (i + 1 < args.length) {
                opt.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
        }
        return opt;
    }

    private static String required(Map<String, String> opt, String key) {
        String v = opt.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }
}
