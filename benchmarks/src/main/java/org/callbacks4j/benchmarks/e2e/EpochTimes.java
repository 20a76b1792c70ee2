package org.callbacks4j.benchmarks.e2e;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.callbacks4j.Logs;

/**
 * Per-epoch wall time, Java heap allocated on the training thread, and the epoch loss, recorded from the first
 * epoch-begin hook to the last epoch-end hook of a fit.
 */
final class EpochTimes {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    final long[] nanos;
    final long[] allocated;
    final double[] loss;
    /** Time inside the callbacks' own work per epoch, where a callback measures it; else 0. */
    final long[] hookNanos;
    /** CPU time of the training thread per epoch (all of the work where the native ops run on that one thread). */
    final long[] cpuNanos;
    int count;
    /** Batches per epoch, for per-batch figures. */
    int batches;
    private long start;
    private long startAllocated;
    private long startCpu;

    EpochTimes(int epochs) {
        nanos = new long[epochs];
        allocated = new long[epochs];
        loss = new double[epochs];
        hookNanos = new long[epochs];
        cpuNanos = new long[epochs];
    }

    void begin() {
        startAllocated = THREADS.getCurrentThreadAllocatedBytes();
        startCpu = THREADS.getCurrentThreadCpuTime();
        start = System.nanoTime();
    }

    /** Ends the epoch; {@code loss} may be NaN where the trainer reports none. */
    void end(double epochLoss) {
        long t = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        long bytes = THREADS.getCurrentThreadAllocatedBytes();
        nanos[count] = t - start;
        allocated[count] = bytes - startAllocated;
        cpuNanos[count] = cpu - startCpu;
        loss[count] = epochLoss;
        count++;
    }

    void end(Logs logs) {
        end(logs.get("loss"));
    }

    /** Whether the epochs so far took at least {@code budgetNanos} (never with a budget of 0). */
    boolean overBudget(long budgetNanos) {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += nanos[i];
        }
        return budgetNanos > 0 && total >= budgetNanos;
    }
}
