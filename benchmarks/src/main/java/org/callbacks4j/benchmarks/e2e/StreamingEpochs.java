package org.callbacks4j.benchmarks.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.data.BatchSource;
import org.callbacks4j.data.BatchStream;
import org.callbacks4j.data.DataCheck;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.data.IdxSource;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.Logs;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Streaming against in-memory epochs on Fashion-MNIST, 784-256-10, batch 128, shuffled: in interleaved rounds (the
 * machine is shared: each round runs every variant once, in a rotating order), one epoch each of
 * <ul>
 *   <li>{@code memory}: a {@link Dataset} of the training set (views of its arrays, the trainer's fast path);
 *   <li>{@code idx-mapped}: {@link IdxSource} on the uncompressed IDX files (memory-mapped, index permutation);
 *   <li>{@code idx-gzip}: {@link IdxSource} on the Debian package's gzipped files (shuffle buffer of 4,096 rows).
 * </ul>
 * The epoch time is taken between the epoch-begin and epoch-end hooks (the per-fit check pass, timed separately, is
 * not in it). Prints a Markdown table of medians and each streaming variant's ratio to {@code memory} in the same
 * rounds, with the time to read an epoch alone (the stream drained without training) and the check pass.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -Xmx3g -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -cp ... \
 *     org.callbacks4j.benchmarks.e2e.StreamingEpochs [--rounds 7] [--data /usr/share/datasets/fashion-mnist]
 *     [--tmp DIR]
 * </pre>
 */
public final class StreamingEpochs {

    private StreamingEpochs() {}

    public static void main(String[] args) throws Exception {
        int rounds = 7;
        Path data = FashionMnist.DEFAULT_DIR;
        Path tmp = Files.createTempDirectory("streaming-epochs");
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--data" -> data = Path.of(args[i + 1]);
                case "--tmp" -> tmp = Files.createDirectories(Path.of(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path gzImages = data.resolve("train-images-idx3-ubyte.gz");
        Path gzLabels = data.resolve("train-labels-idx1-ubyte.gz");
        Path images = gunzip(gzImages, tmp.resolve("train-images-idx3-ubyte"));
        Path labels = gunzip(gzLabels, tmp.resolve("train-labels-idx1-ubyte"));

        FashionMnist.Split train = FashionMnist.train(data);
        Dataset memory = Dataset.of(
                Nd4j.create(train.pixels(), new long[] {train.rows(), FashionMnist.PIXELS}, DataType.FLOAT),
                Nd4j.create(train.oneHot(), new long[] {train.rows(), FashionMnist.CLASSES}, DataType.FLOAT));
        Map<String, BatchSource> variants = new LinkedHashMap<>();
        variants.put("memory", memory);
        variants.put("idx-mapped", IdxSource.classification(images, labels, 10).scale(1 / 255f));
        variants.put("idx-gzip", IdxSource.classification(gzImages, gzLabels, 10).scale(1 / 255f));

        // The check pass alone (what each fit on a file source adds once), twice each.
        Map<String, Double> check = new LinkedHashMap<>();
        for (int r = 0; r < 2; r++) {
            for (String v : List.of("idx-mapped", "idx-gzip")) {
                long t0 = System.nanoTime();
                DataCheck.scan(variants.get(v), "training", DataCheck.Labels.ONE_HOT);
                double s = (System.nanoTime() - t0) / 1e9;
                check.merge(v, s, Math::min);
            }
        }

        // Reading alone: an epoch's batches drained from the stream as fast as they come (no training), the best of
        // three; below the epoch time, the background thread keeps ahead of training when it has a core.
        Map<String, Double> readOnly = new LinkedHashMap<>();
        for (String v : List.of("idx-mapped", "idx-gzip")) {
            try (BatchStream stream = new BatchStream(variants.get(v), "read-only", EndToEnd.BATCH_SIZE, true, 1,
                    null, null)) {
                for (int r = 0; r < 3; r++) {
                    long t0 = System.nanoTime();
                    stream.startEpoch(r, 0);
                    for (int b = 0; b < stream.batchCount(); b++) {
                        stream.next();
                    }
                    readOnly.merge(v, (System.nanoTime() - t0) / 1e9, Math::min);
                }
            }
        }

        Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-3)).build();
        Map<String, Sequential> models = new LinkedHashMap<>();
        Map<String, List<Double>> times = new LinkedHashMap<>();
        for (String v : variants.keySet()) {
            models.put(v, Sequential.input(784).dense(256, Activation.RELU).dense(10, Activation.SOFTMAX).seed(42)
                    .build());
            times.put(v, new ArrayList<>());
        }
        List<String> names = new ArrayList<>(variants.keySet());
        // Warm-up: one epoch each, not counted.
        for (String v : names) {
            epoch(trainer, models.get(v), variants.get(v), 0);
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                String v = names.get((r + k) % names.size());
                double s = epoch(trainer, models.get(v), variants.get(v), r + 1);
                times.get(v).add(s);
                System.out.printf(Locale.ROOT, "round %d %-10s %.3f s%n", r, v, s);
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("| source | epoch (median of ").append(rounds).append(") | ratio to memory (median of per-round "
                + "ratios) | reading an epoch alone | check pass before training |\n|---|---|---|---|---|\n");
        for (String v : names) {
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = times.get(v).get(r) / times.get("memory").get(r);
            }
            md.append(String.format(Locale.ROOT, "| %s | %.3f s | %.3fx | %s | %s |%n", v, median(times.get(v)),
                    median(ratios), readOnly.containsKey(v) ? String.format(Locale.ROOT, "%.2f s", readOnly.get(v))
                            : "-", check.containsKey(v) ? String.format(Locale.ROOT, "%.2f s", check.get(v)) : "-"));
        }
        System.out.print(md);
        Files.writeString(tmp.resolve("streaming-epochs.md"), md, StandardCharsets.UTF_8);
    }

    /** One shuffled epoch (the seed varies by round); returns its time between the epoch hooks, in seconds. */
    private static double epoch(Trainer trainer, Sequential model, BatchSource source, int round) {
        long[] t = new long[2];
        CallbackDispatcher clock = new CallbackDispatcher() {
            @Override
            public int hooks() {
                return Hooks.EPOCH_BEGIN | Hooks.EPOCH_END;
            }

            @Override
            public void onEpochBegin(int epoch, TrainingContext context) {
                t[0] = System.nanoTime();
            }

            @Override
            public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
                t[1] = System.nanoTime();
            }
        };
        trainer.fit(model, source, Fit.epochs(1).batchSize(EndToEnd.BATCH_SIZE).seed(round).verbose(0), clock);
        return (t[1] - t[0]) / 1e9;
    }

    private static Path gunzip(Path from, Path to) throws IOException {
        if (!Files.exists(to)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(from));
                    OutputStream out = Files.newOutputStream(to)) {
                in.transferTo(out);
            }
        }
        return to;
    }

    private static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
