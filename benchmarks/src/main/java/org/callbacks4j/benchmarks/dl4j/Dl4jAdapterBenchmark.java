package org.callbacks4j.benchmarks.dl4j;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.callbacks4j.Logs;
import org.callbacks4j.OnBatchEnd;
import org.callbacks4j.OnEpochBegin;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.dl4j.Dl4jFit;
import org.callbacks4j.dl4j.Dl4jTrainer;
import org.callbacks4j.samples.digits.DigitsSample;
import org.callbacks4j.samples.dl4j.DigitsCnnSample;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The adapter's cost per epoch over a bare DL4J fit (BENCHMARKS.md, "DL4J adapter"): the digits CNN of the DL4J sample,
 * 1,527 training images in batches of 32 made once ({@code ExistingDataSetIterator}, which DL4J prefetches on a
 * thread), fitted epoch by epoch with {@code net.fit(iterator)} (bare) and with {@code Dl4jTrainer.fit} (the adapter),
 * in alternating rounds (ABBA) so that the load of a shared machine falls on both alike. Each epoch is timed on its
 * own: around {@code net.fit} for the bare fit, and by the training class's epoch-begin and epoch-end hooks for the
 * adapter (its epoch: iterator reset, DL4J's fit with the hooks around each batch, the loss), so the adapter's
 * one-off batch count before the first epoch is reported separately, per fit. Besides the wall clock, each epoch's
 * CPU time on the training thread is recorded (with {@code OMP_NUM_THREADS=1} ND4J runs its ops on that thread), which
 * other processes on a loaded machine disturb far less than the wall clock.
 *
 * <p>Arguments: {@code [rounds [epochsPerFit]]}, default 8 and 4. Run with {@code OMP_NUM_THREADS=1}.
 */
public final class Dl4jAdapterBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.ThreadMXBean ALLOCATION =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Times each epoch with the hooks, wall clock and the training thread's CPU time; nothing else. */
    public static class EpochClock {
        final List<Long> nanos = new ArrayList<>();
        final List<Long> cpuNanos = new ArrayList<>();
        final List<Long> bytes = new ArrayList<>();
        private long start;
        private long cpuStart;
        private long bytesStart;

        @OnEpochBegin
        void begin() {
            start = System.nanoTime();
            cpuStart = THREADS.getCurrentThreadCpuTime();
            bytesStart = ALLOCATION.getCurrentThreadAllocatedBytes();
        }

        @OnEpochEnd
        void end() {
            bytes.add(ALLOCATION.getCurrentThreadAllocatedBytes() - bytesStart);
            cpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpuStart);
            nanos.add(System.nanoTime() - start);
        }
    }

    /** Also a batch-end hook that reads the running loss: the adapter's per-batch path with logs. */
    public static class EpochClockWithBatchHook extends EpochClock {
        double seen;

        @OnBatchEnd
        void batch(Logs logs) {
            seen += logs.get(0);
        }
    }

    private Dl4jAdapterBenchmark() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Dataset train = DigitsSample.splits().head();
        List<DataSet> batches = new ArrayList<>();
        for (DataSet batch : new DataSet(train.features(), train.labels()).batchBy(32)) {
            batches.add(batch);
        }
        System.out.printf("DL4J adapter benchmark: %d rounds of %d epochs, %d batches per epoch, OMP_NUM_THREADS=%s%n",
                rounds, epochs, batches.size(), System.getenv("OMP_NUM_THREADS"));

        // Warm-up: both paths, JIT and ND4J's workspaces.
        bare(batches, 3);
        adapter(batches, 3, new EpochClock());
        adapter(batches, 3, new EpochClockWithBatchHook());

        List<Long> bare = new ArrayList<>();
        List<Long> adapter = new ArrayList<>();
        List<Long> withBatchHook = new ArrayList<>();
        List<Long> bareCpu = new ArrayList<>();
        List<Long> adapterCpu = new ArrayList<>();
        List<Long> withBatchHookCpu = new ArrayList<>();
        List<Long> adapterBytes = new ArrayList<>();
        List<Long> withBatchHookBytes = new ArrayList<>();
        List<Long> bareFit = new ArrayList<>();
        List<Long> adapterFit = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            boolean bareFirst = r % 2 == 0;
            if (bareFirst) {
                bareFit.add(timedBare(batches, epochs, bare, bareCpu));
            }
            EpochClock clock = new EpochClock();
            adapterFit.add(adapter(batches, epochs, clock));
            adapter.addAll(clock.nanos);
            adapterCpu.addAll(clock.cpuNanos);
            adapterBytes.addAll(clock.bytes);
            EpochClockWithBatchHook hooked = new EpochClockWithBatchHook();
            adapter(batches, epochs, hooked);
            withBatchHook.addAll(hooked.nanos);
            withBatchHookCpu.addAll(hooked.cpuNanos);
            withBatchHookBytes.addAll(hooked.bytes);
            if (!bareFirst) {
                bareFit.add(timedBare(batches, epochs, bare, bareCpu));
            }
            System.out.printf("round %d: bare %s, adapter %s, adapter + batch hook %s (ms per epoch, medians; CPU %s,"
                            + " %s, %s)%n", r + 1, ms(median(last(bare, epochs))), ms(median(last(adapter, epochs))),
                    ms(median(last(withBatchHook, epochs))), ms(median(last(bareCpu, epochs))),
                    ms(median(last(adapterCpu, epochs))), ms(median(last(withBatchHookCpu, epochs))));
        }
        double b = median(bare);
        double a = median(adapter);
        double h = median(withBatchHook);
        System.out.printf("per epoch, median of %d: bare DL4J %s ms, adapter %s ms (%+.2f%%), adapter + batch hook "
                        + "%s ms (%+.2f%%)%n", bare.size(), ms(b), ms(a), 100 * (a / b - 1), ms(h),
                100 * (h / b - 1));
        System.out.printf("per epoch, min: bare %s ms, adapter %s ms, adapter + batch hook %s ms%n",
                ms(min(bare)), ms(min(adapter)), ms(min(withBatchHook)));
        double bc = median(bareCpu);
        double ac = median(adapterCpu);
        double hc = median(withBatchHookCpu);
        System.out.printf("per epoch, training thread CPU, median of %d: bare DL4J %s ms, adapter %s ms (%+.2f%%), "
                        + "adapter + batch hook %s ms (%+.2f%%)%n", bareCpu.size(), ms(bc), ms(ac),
                100 * (ac / bc - 1), ms(hc), 100 * (hc / bc - 1));
        System.out.printf("per epoch, training thread CPU, min: bare %s ms, adapter %s ms, adapter + batch hook %s ms%n",
                ms(min(bareCpu)), ms(min(adapterCpu)), ms(min(withBatchHookCpu)));
        double bb = median(BARE_BYTES);
        double ab = median(adapterBytes);
        double hb = median(withBatchHookBytes);
        System.out.printf(Locale.ROOT, "per epoch, Java heap allocated on the training thread, median: bare DL4J %.0f B, "
                + "adapter %.0f B (%+.0f B per batch), adapter + batch hook %.0f B (%+.0f B per batch)%n", bb, ab,
                (ab - bb) / batches.size(), hb, (hb - bb) / batches.size());
        double bf = median(bareFit);
        double af = median(adapterFit);
        System.out.printf("whole fit of %d epochs, median of %d: bare %s ms, adapter %s ms (%+.2f%%; includes the "
                + "batch count before the first epoch)%n", epochs, bareFit.size(), ms(bf), ms(af), 100 * (af / bf - 1));
    }

    private static DataSetIterator iterator(List<DataSet> batches) {
        return new ExistingDataSetIterator(batches);
    }

    /** Java heap allocated on the training thread by each measured bare epoch. */
    private static final List<Long> BARE_BYTES = new ArrayList<>();

    private static void bare(List<DataSet> batches, int epochs) {
        timedBare(batches, epochs, new ArrayList<>(), new ArrayList<>());
        BARE_BYTES.clear();
    }

    /** DL4J's own loop, one {@code fit(iterator)} per epoch, each timed; returns the whole fit's time. */
    private static long timedBare(List<DataSet> batches, int epochs, List<Long> perEpoch, List<Long> cpuPerEpoch) {
        MultiLayerNetwork net = DigitsCnnSample.network();
        DataSetIterator data = iterator(batches);
        long fitStart = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            long start = System.nanoTime();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long bytesStart = ALLOCATION.getCurrentThreadAllocatedBytes();
            net.fit(data);
            BARE_BYTES.add(ALLOCATION.getCurrentThreadAllocatedBytes() - bytesStart);
            cpuPerEpoch.add(THREADS.getCurrentThreadCpuTime() - cpuStart);
            perEpoch.add(System.nanoTime() - start);
        }
        return System.nanoTime() - fitStart;
    }

    private static long adapter(List<DataSet> batches, int epochs, EpochClock clock) {
        MultiLayerNetwork net = DigitsCnnSample.network();
        long start = System.nanoTime();
        Dl4jTrainer.fit(net, iterator(batches), Dl4jFit.epochs(epochs).verbose(0), clock);
        return System.nanoTime() - start;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static List<Long> last(List<Long> values, int n) {
        return values.subList(values.size() - n, values.size());
    }

    private static double min(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    private static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
