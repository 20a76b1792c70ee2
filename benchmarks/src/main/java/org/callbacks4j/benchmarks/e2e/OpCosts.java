package org.callbacks4j.benchmarks.e2e;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The cost of the single ND4J calls our trainer makes per batch of 784-256-10 (batch 128), each timed alone: median
 * wall time per call and Java heap allocated per call on this thread. Complements the JFR profile in BENCHMARKS.md
 * ("Where the time goes") with figures per call. The calls are the ones {@code Network} and {@code OptimizerState}
 * make, on arrays of the same shapes.
 *
 * <pre>OMP_NUM_THREADS=1 java -cp ... org.callbacks4j.benchmarks.e2e.OpCosts</pre>
 */
public final class OpCosts {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private OpCosts() {}

    public static void main(String[] args) {
        int rows = 128;
        long params = 784L * 256 + 256 + 256L * 10 + 10;
        INDArray x = Nd4j.rand(DataType.FLOAT, rows, 784);
        INDArray w1 = Nd4j.rand(DataType.FLOAT, 784, 256).subi(0.5);
        INDArray z1 = Nd4j.create(DataType.FLOAT, rows, 256);
        INDArray d1 = Nd4j.rand(DataType.FLOAT, rows, 256);
        INDArray dw1 = Nd4j.create(DataType.FLOAT, 784, 256);
        INDArray b1 = Nd4j.rand(DataType.FLOAT, 1, 256);
        INDArray z2 = Nd4j.rand(DataType.FLOAT, rows, 10);
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, 10);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, i % 10, 1f);
        }
        INDArray one = Nd4j.create(DataType.FLOAT, 1, 1);
        INDArray flat = Nd4j.rand(DataType.FLOAT, 1, params);
        INDArray update = Nd4j.rand(DataType.FLOAT, 1, params).muli(1e-6);
        INDArray gradient = Nd4j.rand(DataType.FLOAT, 1, params).subi(0.5).muli(1e-2);
        Adam adam = new Adam(1e-3);
        INDArray state = Nd4j.create(DataType.FLOAT, 1, adam.stateSize(params));
        GradientUpdater<?> updater = adam.instantiate(state, true);
        INDArray lossColumn = Nd4j.rand(DataType.FLOAT, 60_000, 1);
        INDArray lossBatch = lossColumn.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
        LossMCXENT loss = new LossMCXENT();
        ActivationSoftmax softmax = new ActivationSoftmax();
        ActivationReLU relu = new ActivationReLU();
        INDArray source = Nd4j.rand(DataType.FLOAT, 60_000, 784);
        INDArray shuffled = Nd4j.create(DataType.FLOAT, 60_000, 784);
        int[] order = new int[60_000];
        for (int i = 0; i < order.length; i++) {
            order[i] = (i * 7919) % order.length;
        }
        int[] iteration = {0};

        System.out.printf(Locale.ROOT, "OMP_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s%n%n",
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset"));
        System.out.println("| call (784-256-10, batch 128) | median per call | heap per call |");
        System.out.println("|---|---|---|");
        time("ND4J op overhead: scalar add on a 1-element array", 2000, () -> one.addi(1.0));
        time("ND4J op overhead: gemm of 1x1 matrices", 2000, () -> Nd4j.gemm(one, one, one, false, false, 1, 0));
        time("gemm forward, layer 1: [128x784] x [784x256]", 200, () -> Nd4j.gemm(x, w1, z1, false, false, 1, 0));
        time("gemm backward dW, layer 1: [784x128] x [128x256]", 200,
                () -> Nd4j.gemm(x, d1, dw1, true, false, 1, 0));
        time("bias add: addiRowVector [128x256]", 1000, () -> z1.addiRowVector(b1));
        time("ReLU backprop [128x256]", 500, () -> relu.backprop(z1, d1));
        time("softmax cross-entropy computeScoreArray [128x10]", 1000,
                () -> loss.computeScoreArray(y, z2, softmax, null));
        time("softmax cross-entropy computeGradient [128x10]", 1000,
                () -> loss.computeGradient(y, z2, softmax, null));
        INDArray work = gradient.dup();
        time("Adam step (ND4J AdamUpdater), 203,530 params, + refill of its input", 200, () -> {
            work.assign(gradient);
            updater.applyUpdater(work, iteration[0]++, 0);
        });
        time("  the refill alone: assign, 203,530 params", 500, () -> work.assign(gradient));
        INDArray m = Nd4j.create(DataType.FLOAT, 1, params);
        INDArray v = Nd4j.create(DataType.FLOAT, 1, params);
        time("  the AdamUpdater op alone, on separate contiguous m and v (not views of one state)", 200,
                () -> Nd4j.exec(new AdamUpdater(work, v, m, 1e-3, 0.9, 0.999, 1e-8, iteration[0]++)));
        time("native allocation: Nd4j.create float [1, 203530]", 200,
                () -> Nd4j.create(DataType.FLOAT, 1, params));
        time("params.subi(update), 203,530 params", 500, () -> flat.subi(update));
        time("sumNumber of a [128x1] loss view (per-batch host copy)", 2000, () -> lossBatch.sumNumber());
        time("shuffle: pullRows of [60000x784] (per epoch)", 5, () -> Nd4j.pullRows(source, shuffled, 1, order));
    }

    private static void time(String what, int reps, Runnable call) {
        for (int i = 0; i < Math.max(20, reps / 4); i++) {
            call.run();
        }
        long[] nanos = new long[reps];
        long bytes = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - t;
        }
        bytes = THREADS.getCurrentThreadAllocatedBytes() - bytes;
        Arrays.sort(nanos);
        double median = nanos[reps / 2] / 1e3;
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f KB |%n", what,
                median >= 1000 ? String.format(Locale.ROOT, "%.2f ms", median / 1e3)
                        : String.format(Locale.ROOT, "%.1f us", median),
                bytes / 1024.0 / reps);
    }
}
