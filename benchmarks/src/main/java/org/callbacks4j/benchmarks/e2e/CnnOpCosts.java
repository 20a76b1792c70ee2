package org.callbacks4j.benchmarks.e2e;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.callbacks4j.internal.train.BoundOp;
import org.callbacks4j.internal.train.NativeThreads;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Where a training batch of the Fashion-MNIST sample's CNN goes, op by op: each libnd4j call the trainer makes for
 * the image layers (as {@code Network} builds them: conv2d with ReLU in place, batch norm's statistics and op, max
 * pooling, and their backward ops), at batch 64 on the shapes of that network, timed alone (median of repeated calls
 * into the same preallocated arrays). The convolutions also in NCHW (DL4J's and PyTorch's layout), same op and
 * arguments but the layout flag, to see what the layout costs in libnd4j. The dense part (3136-128-10), dropout and
 * Adam are not here: they are the dense network's ops, measured in {@code OpCosts}.
 *
 * <pre>java -cp ... org.callbacks4j.benchmarks.e2e.CnnOpCosts [threads] [calls]</pre>
 */
public final class CnnOpCosts {

    private static final int BATCH = 64;

    private CnnOpCosts() {}

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Median wall and CPU milliseconds of one call (CPU: the calling thread's, where one thread does all). */
    private record Row(String step, String op, double medianMs, double cpuMs) {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        NativeThreads.apply(new NativeThreads.Choice(threads, threads, "benchmark", "benchmark"));
        List<Row> rows = new ArrayList<>();
        // Layer shapes (NHWC): 28x28x1 -conv-> 28x28x32 -bn, pool-> 14x14x32 -conv-> 14x14x64 -bn, pool-> 7x7x64
        for (int[] s : new int[][] {{28, 1, 32}, {14, 32, 64}}) {
            int hw = s[0];
            int cin = s[1];
            int cout = s[2];
            String at = " " + hw + "x" + hw + "x" + cin + "->" + cout;
            INDArray in = Nd4j.rand(DataType.FLOAT, BATCH, hw, hw, cin);
            INDArray w = Nd4j.rand(DataType.FLOAT, 3, 3, cin, cout).subi(0.5);
            INDArray b = Nd4j.zeros(DataType.FLOAT, cout);
            INDArray out = Nd4j.create(DataType.FLOAT, BATCH, hw, hw, cout);
            INDArray delta = Nd4j.rand(DataType.FLOAT, BATCH, hw, hw, cout);
            INDArray inGrad = Nd4j.create(DataType.FLOAT, BATCH, hw, hw, cin);
            INDArray wGrad = Nd4j.create(DataType.FLOAT, 3, 3, cin, cout);
            INDArray bGrad = Nd4j.create(DataType.FLOAT, cout);
            int[] nhwc = {3, 3, 1, 1, 0, 0, 1, 1, 1, 1, 0};
            rows.add(time("conv" + at, "conv2d NHWC", calls, op("conv2d", nhwc, new INDArray[] {in, w, b}, out)));
            rows.add(time("conv" + at, "ReLU in place", calls, () -> Transforms.relu(out, false)));
            rows.add(time("conv" + at, "conv2d_bp NHWC", calls,
                    op("conv2d_bp", nhwc, new INDArray[] {in, w, b, delta}, inGrad, wGrad, bGrad)));
            rows.add(time("conv" + at, "ReLU backprop (mask times delta)", calls,
                    () -> Nd4j.exec(new MulOp(delta, out, delta))));

            // The same in NCHW.
            INDArray inC = Nd4j.rand(DataType.FLOAT, BATCH, cin, hw, hw);
            INDArray outC = Nd4j.create(DataType.FLOAT, BATCH, cout, hw, hw);
            INDArray deltaC = Nd4j.rand(DataType.FLOAT, BATCH, cout, hw, hw);
            INDArray inGradC = Nd4j.create(DataType.FLOAT, BATCH, cin, hw, hw);
            int[] nchw = {3, 3, 1, 1, 0, 0, 1, 1, 1, 0, 0};
            rows.add(time("conv" + at, "conv2d NCHW (for comparison)", calls,
                    op("conv2d", nchw, new INDArray[] {inC, w, b}, outC)));
            rows.add(time("conv" + at, "conv2d_bp NCHW (for comparison)", calls,
                    op("conv2d_bp", nchw, new INDArray[] {inC, w, b, deltaC}, inGradC, wGrad, bGrad)));

            // Batch norm over the last axis, as the trainer runs it.
            INDArray mean = Nd4j.create(DataType.FLOAT, cout);
            INDArray var = Nd4j.create(DataType.FLOAT, cout);
            INDArray gamma = Nd4j.ones(DataType.FLOAT, cout);
            INDArray beta = Nd4j.zeros(DataType.FLOAT, cout);
            INDArray bnOut = Nd4j.create(DataType.FLOAT, BATCH, hw, hw, cout);
            INDArray bnGrad = Nd4j.create(DataType.FLOAT, BATCH, hw, hw, cout);
            int[] dims = {0, 1, 2};
            String bnAt = " " + hw + "x" + hw + "x" + cout;
            // The batch statistics as the trainer binds them: the output as [positions, channels], the mean and
            // the centred squares' mean as products with a row of ones.
            long positions = out.length() / cout;
            INDArray columns = out.reshape('c', positions, cout);
            INDArray centred = Nd4j.create(DataType.FLOAT, positions, cout);
            INDArray ones = Nd4j.ones(DataType.FLOAT, 1, positions);
            BoundOp meanOp = BoundOp.matmul(ones, false, columns, false, mean.reshape(1, cout), 1.0 / positions);
            BoundOp centre = BoundOp.of(DynamicCustomOp.builder("subtract").addInputs(columns, mean)
                    .addOutputs(centred).build());
            BoundOp square = BoundOp.of(DynamicCustomOp.builder("multiply").addInputs(centred, centred)
                    .addOutputs(centred).build());
            BoundOp varianceOp = BoundOp.matmul(ones, false, centred, false, var.reshape(1, cout), 1.0 / positions);
            rows.add(time("batch norm" + bnAt, "batch mean and variance: four bound ops", calls, () -> {
                meanOp.run();
                centre.run();
                square.run();
                varianceOp.run();
            }));
            rows.add(time("batch norm" + bnAt, "mean over N, H, W (before 2026-12-05, for comparison)", calls,
                    () -> out.mean(mean, dims)));
            rows.add(time("batch norm" + bnAt, "Variance over N, H, W (before 2026-12-05, for comparison)", calls,
                    () -> Nd4j.getExecutioner().exec(new Variance(out, var, false, dims))));
            rows.add(time("batch norm" + bnAt, "batchnorm", calls, DynamicCustomOp.builder("batchnorm")
                    .addInputs(out, mean, var, gamma, beta).addOutputs(bnOut).addIntegerArguments(1, 1, 3)
                    .addFloatingPointArguments(1e-3).build()));
            rows.add(time("batch norm" + bnAt, "batchnorm_bp", calls, DynamicCustomOp.builder("batchnorm_bp")
                    .addInputs(out, mean, var, gamma, beta, delta)
                    .addOutputs(bnGrad, Nd4j.create(DataType.FLOAT, cout), Nd4j.create(DataType.FLOAT, cout),
                            Nd4j.create(DataType.FLOAT, cout), Nd4j.create(DataType.FLOAT, cout))
                    .addIntegerArguments(1, 1, 3).addFloatingPointArguments(1e-3).build()));

            // Max pooling 2x2.
            INDArray pooled = Nd4j.create(DataType.FLOAT, BATCH, hw / 2, hw / 2, cout);
            INDArray pooledDelta = Nd4j.rand(DataType.FLOAT, BATCH, hw / 2, hw / 2, cout);
            int[] pool = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 1};
            rows.add(time("max pool" + bnAt, "maxpool2d", calls, op("maxpool2d", pool, new INDArray[] {bnOut},
                    pooled)));
            rows.add(time("max pool" + bnAt, "maxpool2d_bp", calls, op("maxpool2d_bp", pool,
                    new INDArray[] {bnOut, pooledDelta}, bnGrad)));
        }
        double total = rows.stream().filter(r -> !r.op.contains("comparison")).mapToDouble(Row::medianMs).sum();
        double cpuTotal = rows.stream().filter(r -> !r.op.contains("comparison")).mapToDouble(Row::cpuMs).sum();
        System.out.printf(Locale.ROOT, "ND4J ops and OpenBLAS on %d thread(s); batch %d; median of %d calls%n%n",
                threads, BATCH, calls);
        System.out.println("| layer | call | median wall | median CPU (calling thread) | share of the image layers' CPU |");
        System.out.println("|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f ms | %.2f ms | %s |%n", r.step, r.op, r.medianMs, r.cpuMs,
                    r.op.contains("comparison") ? "—" : String.format(Locale.ROOT, "%.0f%%", 100 * r.cpuMs / cpuTotal));
        }
        System.out.printf(Locale.ROOT, "| all image-layer calls of a batch (NHWC) | | %.2f ms | %.2f ms | 100%% |%n",
                total, cpuTotal);
    }

    private static DynamicCustomOp op(String name, int[] iargs, INDArray[] inputs, INDArray... outputs) {
        return DynamicCustomOp.builder(name).addInputs(inputs).addOutputs(outputs).addIntegerArguments(iargs).build();
    }

    private static Row time(String step, String name, int calls, DynamicCustomOp op) {
        return time(step, name, calls, () -> Nd4j.exec(op));
    }

    private static Row time(String step, String name, int calls, Runnable call) {
        for (int i = 0; i < 3; i++) {
            call.run();
        }
        double[] ms = new double[calls];
        double[] cpu = new double[calls];
        for (int i = 0; i < calls; i++) {
            long c = THREADS.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
            cpu[i] = (THREADS.getCurrentThreadCpuTime() - c) / 1e6;
        }
        Arrays.sort(ms);
        Arrays.sort(cpu);
        return new Row(step, name, ms[calls / 2], cpu[calls / 2]);
    }
}
