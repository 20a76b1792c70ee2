package org.callbacks4j.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a fit costs besides its epochs, on rows of Fashion-MNIST's size (60,000 x 784, random values: the cost does not
 * depend on them), 784-256-10, batch 128, one epoch per fit, shuffled and not: the fit's time outside its epoch (set-up
 * before it and the end after it, median of {@code --fits} fits after one warm-up fit) and how far the fits raised the
 * process's peak resident memory above its peak once the rows were loaded ({@code VmHWM}, Linux). Prints one table
 * row per setting; {@code benchmarks/run.sh --fit-start}.
 */
public final class FitStart {

    private FitStart() {}

    public static void main(String[] args) throws IOException {
        int fits = args.length > 1 && args[0].equals("--fits") ? Integer.parseInt(args[1]) : 5;
        INDArray x = Nd4j.rand(DataType.FLOAT, 60_000, 784);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 60_000, 10);
        for (int i = 0; i < 60_000; i++) {
            y.putScalar(i, i % 10, 1f);
        }
        Dataset data = Dataset.of(x, y);
        Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-3))
                .metrics("accuracy").build();
        Sequential model = Sequential.input(784).dense(256, Activation.RELU).dense(10, Activation.SOFTMAX).seed(1)
                .build();
        System.out.println("| fit of one epoch | time outside the epoch (median) | each fit | peak resident memory added |");
        System.out.println("|---|---|---|---|");
        for (boolean shuffle : new boolean[] {false, true}) {
            long peakBefore = peakResidentKb();
            List<Double> outside = new ArrayList<>();
            for (int f = 0; f <= fits; f++) {
                EpochClock clock = new EpochClock(1, 0);
                long start = System.nanoTime();
                trainer.fit(model, data, Fit.epochs(1).batchSize(128).seed(f).shuffle(shuffle).verbose(0), clock);
                long wall = System.nanoTime() - start;
                if (f > 0) { // the first fit warms the JIT up
                    outside.add((wall - clock.times.nanos[0]) / 1e9);
                }
            }
            long added = Math.max(0, peakResidentKb() - peakBefore);
            List<Double> sorted = new ArrayList<>(outside);
            Collections.sort(sorted);
            StringBuilder each = new StringBuilder();
            for (double s : outside) {
                each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", s));
            }
            System.out.printf(Locale.ROOT, "| %s | %.3f s | %s | %.0f MB |%n", shuffle ? "shuffled" : "in order",
                    sorted.get(sorted.size() / 2), each, added / 1024.0);
        }
    }

    /** The process's peak resident memory so far, in KB ({@code VmHWM} of /proc/self/status); 0 where there is none. */
    private static long peakResidentKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
