package org.callbacks4j.data;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Sgd;
import org.callbacks4j.train.Trainer;

/**
 * The child JVM of {@link BoundedHeapTest}: trains one epoch on the .npy files given as arguments (features, labels)
 * and prints the memory it used: {@code peakHeapMiB} (the heap pools' peak usage), {@code rssAnonMiB} at the first
 * and last sample and their peak (anonymous resident memory: heap, native arrays, libraries; not the file's pages,
 * which the kernel can drop at will), then {@code done}.
 */
public final class BoundedHeapChild {

    private BoundedHeapChild() {}

    public static void main(String[] args) throws IOException {
        NpySource data = NpySource.classification(Path.of(args[0]), Path.of(args[1]), 10);
        long[] rss = {-1, 0, 0}; // first sample (after warm-up), peak, last
        CallbackDispatcher sampler = new CallbackDispatcher() {
            @Override
            public int hooks() {
                return Hooks.BATCH_END;
            }

            @Override
            public void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {
                if (batch % 20 == 19) {
                    long kib = rssAnonKib();
                    if (rss[0] < 0) {
                        rss[0] = kib;
                    }
                    rss[1] = Math.max(rss[1], kib);
                    rss[2] = kib;
                }
            }
        };
        Sequential model = Sequential.input(data.featureWidth()).dense(16, Activation.RELU)
                .dense(10, Activation.SOFTMAX).seed(1).build();
        Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Sgd.lr(0.01)).build();
        long start = System.nanoTime();
        trainer.fit(model, data, Fit.epochs(1).batchSize(256).seed(3).verbose(0), sampler);
        double seconds = (System.nanoTime() - start) / 1e9;
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("fileMiB %d%n", Files.size(Path.of(args[0])) >> 20);
        System.out.printf("maxHeapMiB %d%n", Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("peakHeapMiB %d%n", peakHeap >> 20);
        System.out.printf("rssAnonMiB first %d peak %d last %d%n", rss[0] >> 10, rss[1] >> 10, rss[2] >> 10);
        System.out.printf("fitSeconds %.2f%n", seconds);
        System.out.println("done");
    }

    private static long rssAnonKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("RssAnon:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }
}
