package org.callbacks4j.benchmarks.e2e;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.callbacks4j.Logs;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.TrainingContext;
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
 * The end-to-end benchmark for one process (one setting of OMP_NUM_THREADS and the OpenBLAS variables, which must be
 * set before ND4J loads): Fashion-MNIST epochs of each network with our trainer without and with the full callback set,
 * DL4J's MultiLayerNetwork, and the gemm lower bound. Appends one CSV row per epoch to {@code <out>/e2e.csv};
 * {@code org.callbacks4j.benchmarks.Report} turns the rows of all processes into the tables.
 *
 * <pre>
 * java -cp ... org.callbacks4j.benchmarks.e2e.EndToEnd --out DIR --config omp1-env [--epochs 5]
 *     [--warmup-epochs 2] [--warmup-batches 64]
 *     [--networks 784-256-10,784-512-256-10] [--variants ours-none,ours-full,dl4j,gemm] [--accuracy-epochs 15]
 *     [--data /usr/share/datasets/fashion-mnist] [--rows N] [--budget-s S] [--smoke]
 * </pre>
 *
 * <p>Threads: our trainer chooses its own (ND4J's ops and OpenBLAS) unless OMP_NUM_THREADS or OPENBLAS_NUM_THREADS
 * is set, which it keeps (see the runtime's {@code NativeThreads}). The gemm bound runs with the trainer's settings
 * for the same network; DL4J with ND4J's own, as a DL4J user gets them (ND4J applies OMP_NUM_THREADS when it loads;
 * OPENBLAS_NUM_THREADS, which ND4J would override, is applied here for DL4J too). The {@code omp_threads} column
 * records the variables: {@code <OMP_NUM_THREADS>[/openblas<OPENBLAS_NUM_THREADS>]}, {@code unset} for neither.
 *
 * <p>Warm-up: before its measured epochs, each variant runs {@code --warmup-epochs} epochs over the first
 * {@code --warmup-batches} batches, on a fresh model (JIT and ND4J warm, without paying for whole warm-up epochs).
 *
 * <p>{@code --budget-s S}: a variant stops measuring once its measured epochs took S seconds (at least one epoch
 * runs), so that a setting that thrashes (OpenMP threads fighting other processes for the cores) cannot hold the
 * run for an hour; the tables show how many epochs each median is over.
 *
 * <p>{@code --smoke}: 2,048 training rows (synthetic ones if the IDX files are absent), 2 warm-up epochs of 4 batches,
 * 2 measured epochs, 2 accuracy epochs; it checks that every run produced finite losses and says nothing about time.
 */
public final class EndToEnd {

    static final String HEADER = "config,omp_threads,openblas_env,network,variant,epoch,warmup,batches,seconds,"
            + "alloc_bytes,hook_s,hook_checkpoint_s,hook_csv_s,hook_tensorboard_s,hook_progress_s,loss,test_accuracy";
    static final int BATCH_SIZE = 128;
    static final long SEED = 42;

    private final Path out;
    private final String config;
    private final String ompThreads;
    private final String openblasEnv;
    private final Writer csv;
    private final List<String> problems = new ArrayList<>();
    private int warmupEpochs;
    private int warmupBatches;
    private int trainBatches;
    private long budgetNanos;

    /** ND4J's thread settings when it loaded: DL4J runs with these. */
    private int[] nd4jDefaults;

    private EndToEnd(Path out, String config, Writer csv, int blasThreads) {
        this.out = out;
        this.config = config;
        this.csv = csv;
        this.ompThreads = System.getenv().getOrDefault("OMP_NUM_THREADS", "unset")
                + (blasThreads > 0 ? "/openblas" + blasThreads : "");
        this.nd4jDefaults = NativeThreads.current();
        if (blasThreads > 0) {
            nd4jDefaults[2] = blasThreads;
        }
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        String l2 = System.getenv("OPENBLAS_L2_SIZE");
        this.openblasEnv = coretype == null && l2 == null ? "unset"
                : "CORETYPE=" + (coretype == null ? "-" : coretype) + " L2_SIZE=" + (l2 == null ? "-" : l2);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = parse(args);
        boolean smoke = opt.containsKey("smoke");
        Path out = Path.of(required(opt, "out"));
        String config = opt.getOrDefault("config", "default");
        int warmupEpochs = Integer.parseInt(opt.getOrDefault("warmup-epochs", "2"));
        int warmupBatches = Integer.parseInt(opt.getOrDefault("warmup-batches", smoke ? "4" : "64"));
        int epochs = Integer.parseInt(opt.getOrDefault("epochs", smoke ? "2" : "5"));
        int accuracyEpochs = Integer.parseInt(opt.getOrDefault("accuracy-epochs", smoke ? "2" : "0"));
        int rows = Integer.parseInt(opt.getOrDefault("rows", smoke ? "2048" : "0"));
        double budgetSeconds = Double.parseDouble(opt.getOrDefault("budget-s", "0"));
        int blasThreads = Integer.parseInt(System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "0").strip());
        List<String> networks = List.of(opt.getOrDefault("networks", "784-256-10,784-512-256-10").split(","));
        List<String> variants = List.of(opt.getOrDefault("variants", "ours-none,ours-full,dl4j,gemm").split(","));
        Path dataDir = Path.of(opt.getOrDefault("data", FashionMnist.DEFAULT_DIR.toString()));
        if (epochs < 1 || warmupEpochs < 1 || warmupBatches < 1) {
            throw new IllegalArgumentException("--epochs, --warmup-epochs and --warmup-batches must be >= 1, got "
                    + epochs + ", " + warmupEpochs + " and " + warmupBatches);
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
            test = FashionMnist.synthetic(512, 2);
            source = "synthetic (Fashion-MNIST not found in " + dataDir + ")";
        } else {
            throw new IOException("Fashion-MNIST not found in " + dataDir + "; run benchmarks/run.sh (it installs "
                    + "the Debian package dataset-fashion-mnist) or pass --data DIR");
        }
        if (rows > 0) {
            train = train.head(rows);
            test = test.head(Math.max(256, rows / 4));
        }

        Files.createDirectories(out);
        Path csvFile = out.resolve("e2e.csv");
        boolean fresh = !Files.exists(csvFile) || Files.size(csvFile) == 0;
        try (Writer w = Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            if (fresh) {
                w.write(HEADER + "\n");
            }
            EndToEnd run = new EndToEnd(out, config, w, blasThreads);
            run.warmupEpochs = warmupEpochs;
            run.warmupBatches = warmupBatches;
            run.trainBatches = (train.rows() + BATCH_SIZE - 1) / BATCH_SIZE;
            run.budgetNanos = (long) (budgetSeconds * 1e9);
            run.writeEnvironment(source, train.rows(), test.rows());
            INDArray x = Nd4j.create(train.pixels(), new long[] {train.rows(), FashionMnist.PIXELS}, DataType.FLOAT);
            INDArray y = Nd4j.create(train.oneHot(), new long[] {train.rows(), FashionMnist.CLASSES}, DataType.FLOAT);
            INDArray testX = Nd4j.create(test.pixels(), new long[] {test.rows(), FashionMnist.PIXELS}, DataType.FLOAT);
            INDArray testY = Nd4j.create(test.oneHot(), new long[] {test.rows(), FashionMnist.CLASSES},
                    DataType.FLOAT);
            Dataset trainSet = Dataset.of(x, y);
            Dataset testSet = Dataset.of(testX, testY);
            Dataset warmupSet = Dataset.of(run.head(x), run.head(y));
            for (String network : networks) {
                int[] widths = widths(network);
                for (String variant : variants) {
                    System.out.printf(Locale.ROOT, "[%s] %s %s: %d warm-up epochs of %d batches, %d epochs%n",
                            config, network, variant, warmupEpochs, warmupBatches, epochs);
                    switch (variant) {
                        case "ours-none" -> run.oursNone(network, widths, trainSet, warmupSet, epochs);
                        case "ours-full" -> run.oursFull(network, widths, trainSet, warmupSet, epochs);
                        case "dl4j" -> run.dl4j(network, widths, x, y, testX, testY, epochs, smoke);
                        case "gemm" -> run.gemm(network, widths, x, epochs);
                        default -> throw new IllegalArgumentException("unknown variant " + variant
                                + "; use ours-none, ours-full, dl4j or gemm");
                    }
                    w.flush();
                }
            }
            if (accuracyEpochs > 0) {
                System.out.printf(Locale.ROOT, "[%s] 784-256-10 test accuracy over %d epochs%n", config,
                        accuracyEpochs);
                run.accuracy(trainSet, testSet, accuracyEpochs);
            }
            if (!run.problems.isEmpty()) {
                System.err.println("end-to-end run failed checks:\n  " + String.join("\n  ", run.problems));
                System.exit(1);
            }
        }
    }

    private static Sequential model(int[] widths) {
        Sequential.Builder b = Sequential.input(widths[0]);
        for (int l = 1; l < widths.length - 1; l++) {
            b.dense(widths[l], Activation.RELU);
        }
        return b.dense(widths[widths.length - 1], Activation.SOFTMAX).seed(SEED).build();
    }

    private static Trainer trainer() {
        return Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-3)).metrics("accuracy")
                .build();
    }

    private static Fit fit(int epochs) {
        return Fit.epochs(epochs).batchSize(BATCH_SIZE).seed(SEED).verbose(0);
    }

    private void oursNone(String network, int[] widths, Dataset train, Dataset warmupSet, int epochs)
            throws IOException {
        EpochClock warm = new EpochClock(warmupEpochs, 0);
        trainer().fit(model(widths), warmupSet, fit(warmupEpochs), warm);
        EpochClock clock = new EpochClock(epochs, budgetNanos);
        trainer().fit(model(widths), train, fit(epochs), clock);
        record(network, "ours-none", warm.times, clock.times, null, null);
    }

    private void oursFull(String network, int[] widths, Dataset train, Dataset warmupSet, int epochs)
            throws IOException {
        Path scratch = Files.createTempDirectory(out.toAbsolutePath(), "full-callbacks-");
        // The trainer's own progress bar, drawn as on a terminal (live redraws), into a file.
        try (PrintStream progress = new PrintStream(
                Files.newOutputStream(scratch.resolve("progress.txt")), false, StandardCharsets.UTF_8)) {
            FullCallbacks warm = new FullCallbacks(scratch.resolve("warm-up"), warmupEpochs, 0);
            trainer().fit(model(widths), warmupSet, fit(warmupEpochs).verbose(1).progressOutput(progress, true), warm);
            FullCallbacks callbacks = new FullCallbacks(scratch.resolve("measured"), epochs, budgetNanos);
            trainer().fit(model(widths), train, fit(epochs).verbose(1).progressOutput(progress, true), callbacks);
            record(network, "ours-full", warm.times, callbacks.times, null, callbacks);
            if (callbacks.checkpointsWritten() == 0 || !Files.exists(scratch.resolve("measured/history.csv"))) {
                problems.add(network + " ours-full wrote no checkpoint or no CSV log");
            }
        } finally {
            deleteTree(scratch);
        }
    }

    private void dl4j(String network, int[] widths, INDArray x, INDArray y, INDArray testX, INDArray testY,
            int epochs, boolean smoke) throws IOException {
        NativeThreads.apply(new NativeThreads.Choice(nd4jDefaults[0], nd4jDefaults[2], "benchmark", "benchmark"));
        System.out.printf(Locale.ROOT, "  dl4j threads: ND4J ops %d, OpenBLAS %d (ND4J's settings)%n",
                nd4jDefaults[0], nd4jDefaults[2]);
        EpochTimes warm = dl4jEpochs(new Dl4jBaseline(widths, head(x), head(y), BATCH_SIZE, SEED), warmupEpochs, 0);
        Dl4jBaseline dl4j = new Dl4jBaseline(widths, x, y, BATCH_SIZE, SEED);
        EpochTimes times = dl4jEpochs(dl4j, epochs, budgetNanos);
        double accuracy = smoke ? dl4j.accuracy(testX, testY) : Double.NaN;
        record(network, "dl4j", warm, times, accuracy, null);
    }

    private static EpochTimes dl4jEpochs(Dl4jBaseline dl4j, int epochs, long budgetNanos) {
        EpochTimes times = new EpochTimes(epochs);
        for (int e = 0; e < epochs && !times.overBudget(budgetNanos); e++) {
            times.begin();
            double loss = dl4j.epoch(SEED);
            times.end(loss);
        }
        return times;
    }

    private void gemm(String network, int[] widths, INDArray x, int epochs) throws IOException {
        System.out.println("  gemm threads: " + NativeThreads.applyDefault(model(widths), BATCH_SIZE));
        EpochTimes warm = gemmEpochs(new GemmBound(widths, head(x), BATCH_SIZE), warmupEpochs, 0);
        EpochTimes times = gemmEpochs(new GemmBound(widths, x, BATCH_SIZE), epochs, budgetNanos);
        record(network, "gemm", warm, times, null, null);
        double best = Arrays.stream(times.nanos, 0, times.count).min().orElse(0) / 1e9;
        System.out.printf(Locale.ROOT, "  gemm: %.1f GFLOP/s at the fastest epoch%n",
                GemmBound.flops(widths, (int) x.size(0)) / best / 1e9);
    }

    private static EpochTimes gemmEpochs(GemmBound bound, int epochs, long budgetNanos) {
        EpochTimes times = new EpochTimes(epochs);
        for (int e = 0; e < epochs && !times.overBudget(budgetNanos); e++) {
            times.begin();
            bound.epoch();
            times.end(Double.NaN);
        }
        return times;
    }

    /** The warm-up rows: the first {@code warmupBatches} batches. */
    private INDArray head(INDArray a) {
        long rows = Math.min(a.size(0), (long) warmupBatches * BATCH_SIZE);
        return a.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all()).dup();
    }

    /** 784-256-10 with our trainer, no timing: test accuracy after each epoch. */
    private void accuracy(Dataset train, Dataset test, int epochs) throws IOException {
        Trainer trainer = trainer();
        TestAccuracy probe = new TestAccuracy(trainer, test, epochs);
        trainer.fit(model(new int[] {784, 256, 10}), train, fit(epochs), probe);
        EpochTimes none = new EpochTimes(probe.count);
        none.batches = trainBatches;
        for (int e = 0; e < probe.count; e++) {
            none.loss[e] = probe.loss[e];
            row("784-256-10", "ours-accuracy", e, false, none, e, probe.accuracy[e], null);
            if (!Double.isFinite(probe.accuracy[e])) {
                problems.add("test accuracy of epoch " + e + " is " + probe.accuracy[e]);
            }
        }
        System.out.printf(Locale.ROOT, "  test accuracy after epoch %d: %.4f%n", probe.count,
                probe.accuracy[probe.count - 1]);
    }

    /** Evaluates the model on the test set after each epoch (outside any timing). */
    public static class TestAccuracy {
        private final Trainer trainer;
        private final Dataset test;
        final double[] accuracy;
        final double[] loss;
        int count;

        TestAccuracy(Trainer trainer, Dataset test, int epochs) {
            this.trainer = trainer;
            this.test = test;
            this.accuracy = new double[epochs];
            this.loss = new double[epochs];
        }

        @OnEpochEnd
        void evaluate(Logs logs, TrainingContext context) {
            loss[count] = logs.get("loss");
            accuracy[count] = trainer.evaluate(context.model(), test).get("accuracy");
            count++;
        }
    }

    private void record(String network, String variant, EpochTimes warm, EpochTimes times, Double accuracy,
            FullCallbacks parts) throws IOException {
        warm.batches = Math.min(warmupBatches, trainBatches);
        times.batches = trainBatches;
        for (int e = 0; e < warm.count; e++) {
            row(network, variant, e - warm.count, true, warm, e, null, null);
        }
        for (int e = 0; e < times.count; e++) {
            row(network, variant, e, false, times, e, e == times.count - 1 ? accuracy : null, parts);
            if (!variant.equals("gemm") && !Double.isFinite(times.loss[e])) {
                problems.add(network + " " + variant + " epoch " + e + " loss " + times.loss[e]);
            }
        }
        double[] measured = Arrays.stream(times.nanos, 0, times.count).mapToDouble(n -> n / 1e9).sorted().toArray();
        System.out.printf(Locale.ROOT, "  %s %s: median %.3f s over %d epochs %s%n", network, variant,
                measured[measured.length / 2], measured.length, Arrays.toString(measured));
    }

    /** One CSV row; warm-up epochs get negative numbers (-2, -1) and {@code warmup=1}. */
    private void row(String network, String variant, int epoch, boolean warmup, EpochTimes t, int i, Double accuracy,
            FullCallbacks parts) throws IOException {
        List<String> cells = new ArrayList<>(List.of(config, ompThreads, '"' + openblasEnv + '"', network, variant,
                Integer.toString(epoch), warmup ? "1" : "0", Integer.toString(t.batches), num(t.nanos[i] / 1e9), Long.toString(t.allocated[i]),
                t.hookNanos[i] == 0 ? "" : num(t.hookNanos[i] / 1e9)));
        for (long[] part : parts == null ? new long[4][] : new long[][] {parts.checkpointNanos, parts.csvNanos,
                parts.tensorBoardNanos, parts.progressNanos}) {
            cells.add(part == null || warmup ? "" : num(part[i] / 1e9));
        }
        cells.add(num(t.loss[i]));
        cells.add(accuracy == null ? "" : num(accuracy));
        csv.write(String.join(",", cells) + "\n");
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private void writeEnvironment(String source, int trainRows, int testRows) throws IOException {
        Properties nd4j = Nd4j.getExecutioner().getEnvironmentInformation();
        Map<String, String> env = new TreeMap<>();
        env.put("config", config);
        env.put("data", source + " (" + trainRows + " training rows, " + testRows + " test rows)");
        env.put("env.OMP_NUM_THREADS", ompThreads);
        env.put("env.OPENBLAS", openblasEnv);
        env.put("java.version", System.getProperty("java.version"));
        env.put("java.vm", System.getProperty("java.vm.name"));
        env.put("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        for (String key : nd4j.stringPropertyNames()) {
            env.put("nd4j." + key, nd4j.getProperty(key));
        }
        try (PrintWriter p = new PrintWriter(Files.newBufferedWriter(out.resolve("env-" + config + ".properties")))) {
            env.forEach((k, v) -> p.println(k + "=" + v));
        }
    }

    static int[] widths(String network) {
        try {
            int[] w = Arrays.stream(network.split("-")).mapToInt(Integer::parseInt).toArray();
            if (w.length < 2 || w[0] != FashionMnist.PIXELS || w[w.length - 1] != FashionMnist.CLASSES) {
                throw new IllegalArgumentException();
            }
            return w;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("network \"" + network + "\" must be layer widths from 784 to 10, "
                    + "e.g. 784-256-10");
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opt = new TreeMap<>();
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

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
