package org.callbacks4j.benchmarks.e2e;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.callbacks4j.internal.train.BoundOp;
import org.callbacks4j.internal.train.HostAccuracy;
import org.callbacks4j.internal.train.HostSoftmax;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.OptimizerState;
import org.callbacks4j.train.Trainer;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.indexaccum.custom.ArgMax;
import org.nd4j.linalg.api.ops.impl.loss.SoftmaxCrossEntropyLoss;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.ReluLayer;
import org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.custom.XwPlusB;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The cost of each step of a 784-256-10 training batch (batch 128), timed alone: the calls the trainer first made
 * through ND4J's high-level API (activations, {@code LossMCXENT}, {@code AdamUpdater}, ...) against the calls
 * {@code Network} and {@code OptimizerState} make now (libnd4j ops bound once to their arrays, {@code BoundOp}), on
 * arrays of the same shapes, in the same process: median wall
 * time per call and Java heap allocated per call on this thread. Complements the JFR profile in BENCHMARKS.md
 * ("Where the time goes").
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
        INDArray predicted = Nd4j.create(DataType.INT64, rows);
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

        System.out.printf(Locale.ROOT, "OMP_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s, javacpp maxPhysicalBytes=%s%n%n",
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset"),
                System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes", "default"));
        System.out.println("Each step of a 784-256-10 batch (128 rows) as the trainer first made it, through ND4J's "
                + "high-level API, and as it makes it now; the same process, medians per batch.");
        System.out.println();
        System.out.println("| step | before: ND4J API | median | heap | now | median | heap |");
        System.out.println("|---|---|---|---|---|---|---|");
        INDArray a1 = Nd4j.create(DataType.FLOAT, rows, 256);
        INDArray b1Vector = b1.reshape(256);
        INDArray w2 = Nd4j.rand(DataType.FLOAT, 256, 10).subi(0.5);
        INDArray b2 = Nd4j.rand(DataType.FLOAT, 1, 10);
        INDArray b2Vector = b2.reshape(10);
        INDArray a2 = Nd4j.create(DataType.FLOAT, rows, 10);
        // The ops as the trainer's Network binds them once per frame (BoundOp) and runs them per batch.
        BoundOp forward1 = BoundOp.matmul(x, false, w1, false, a1, 1.0);
        BoundOp bias1 = BoundOp.of(DynamicCustomOp.builder("biasadd").addInputs(a1, b1Vector).addOutputs(a1).build());
        BoundOp relu1 = BoundOp.of(DynamicCustomOp.builder("relu").addInputs(a1).addOutputs(a1)
                .addFloatingPointArguments(0.0).build());
        BoundOp forward2 = BoundOp.matmul(a1, false, w2, false, z2, 1.0);
        BoundOp bias2 = BoundOp.of(DynamicCustomOp.builder("biasadd").addInputs(z2, b2Vector).addOutputs(z2).build());
        BoundOp softmax2 = BoundOp.of(new SoftMax(z2, a2));
        compare("layer 1 forward: product, bias, ReLU",
                "gemm, addiRowVector, assign, ActivationReLU", 300, () -> {
                    Nd4j.gemm(x, w1, z1, false, false, 1, 0);
                    z1.addiRowVector(b1);
                    a1.assign(z1);
                    relu.getActivation(a1, true);
                },
                "matmul, biasadd, relu: bound ops", 300, () -> {
                    forward1.run();
                    bias1.run();
                    relu1.run();
                });
        compare("layer 2 forward: product, bias, softmax",
                "gemm, addiRowVector, assign, ActivationSoftmax", 1000, () -> {
                    Nd4j.gemm(a1, w2, z2, false, false, 1, 0);
                    z2.addiRowVector(b2);
                    a2.assign(z2);
                    softmax.getActivation(a2, true);
                },
                "matmul, biasadd, softmax into the frame: bound ops", 1000, () -> {
                    forward2.run();
                    bias2.run();
                    softmax2.run();
                });
        INDArray delta = Nd4j.create(DataType.FLOAT, rows, 10);
        INDArray unitWeight = Nd4j.scalar(DataType.FLOAT, 1f);
        SoftmaxCrossEntropyLoss lossCall = new SoftmaxCrossEntropyLoss(y, z2, unitWeight, LossReduce.NONE, 0);
        lossCall.addOutputArgument(lossBatch);
        BoundOp lossOp = BoundOp.of(lossCall);
        BoundOp deltaOp = BoundOp.of(DynamicCustomOp.builder("subtract").addInputs(a2, y).addOutputs(delta).build());
        compare("loss and its gradient", "LossMCXENT computeScoreArray, computeGradient, assign", 1000, () -> {
                    lossBatch.assign(loss.computeScoreArray(y, z2, softmax, null));
                    loss.computeGradient(y, z2, softmax, null);
                },
                "softmax_cross_entropy_loss, subtract p - y: bound ops", 1000, () -> {
                    lossOp.run();
                    deltaOp.run();
                });
        HostSoftmax host = HostSoftmax.of(z2, a2);
        compare("output softmax and its cross-entropy", "softmax, softmax_cross_entropy_loss: bound ops", 1000, () -> {
                    softmax2.run();
                    lossOp.run();
                },
                // Java loops: enough calls that the JIT's optimised code, not its first tiers, is what gets timed.
                "HostSoftmax: softmax and loss in Java (the trainer's)", 20000, () -> {
                    host.softmax();
                    host.crossEntropy(y, lossBatch);
                });
        INDArray mask = Nd4j.create(DataType.FLOAT, rows, 256);
        Step maskOp = new Step(a1, mask, 0.0);
        MulOp gateOp = new MulOp(d1, mask, d1);
        compare("ReLU backprop [128x256]", "ActivationReLU.backprop (a fresh result array)", 1000,
                () -> relu.backprop(z1, d1),
                "Step mask times the gradient, in place (ops built once)", 1000, () -> {
                    Nd4j.getExecutioner().exec(maskOp);
                    Nd4j.getExecutioner().exec(gateOp);
                });
        INDArray ones = Nd4j.ones(DataType.FLOAT, 1, rows);
        INDArray db1 = Nd4j.create(DataType.FLOAT, 1, 256);
        compare("bias gradient, layer 1", "sum along dimension 0", 1000, () -> d1.sum(db1, 0),
                "matmul with a row of ones: a bound op", 1000, BoundOp.matmul(ones, false, d1, false, db1, 1.0)::run);
        INDArray work = gradient.dup();
        // The trainer's own optimizer state for the 784-256-10 model (203,530 parameters), through its public API.
        Trainer trainer = Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY)
                .optimizer(org.callbacks4j.train.Adam.lr(1e-3))
                .build();
        OptimizerState ours = trainer.optimizerState(
                Sequential.input(784).dense(256, Activation.RELU).dense(10, Activation.SOFTMAX).build());
        compare("Adam step, 203,530 parameters (with a refill of its input)", "ND4J AdamUpdater", 200, () -> {
                    work.assign(gradient);
                    updater.applyUpdater(work, iteration[0]++, 0);
                },
                "AdamStep (ND4J's kernel, bit for bit, in Java)", 500, () -> {
                    work.assign(gradient);
                    ours.step(work, 0);
                });
        compare("params -= update", "subi", 1000, () -> flat.subi(update),
                "BLAS axpy", 1000, () -> Nd4j.getBlasWrapper().level1().axpy(params, -1.0, update, flat));
        INDArray expected = Nd4j.create(DataType.INT64, rows);
        INDArray hits = Nd4j.create(DataType.BOOL, rows);
        INDArray hitColumn = hits.reshape(rows, 1);
        INDArray accuracyColumn = Nd4j.create(DataType.FLOAT, 60_000, 1);
        INDArray accuracyBatch = accuracyColumn.get(NDArrayIndex.interval(128, 128 + rows), NDArrayIndex.all());
        compare("accuracy, 128 rows", "two ArgMax, EqualTo, cast into the metric column", 2000, () -> {
                    Nd4j.exec(new ArgMax(new INDArray[] {a2}, new INDArray[] {predicted}, false, 1));
                    Nd4j.exec(new ArgMax(new INDArray[] {y}, new INDArray[] {expected}, false, 1));
                    Nd4j.exec(new EqualTo(predicted, expected, hits));
                    accuracyBatch.assign(hitColumn);
                },
                "HostAccuracy: a Java loop on ND4J's memory", 20000, () -> {
                    if (!HostAccuracy.categorical(a2, y, accuracyBatch)) {
                        throw new IllegalStateException("HostAccuracy refused dense float32 arrays");
                    }
                });
        System.out.println();
        System.out.println("| other calls | median | heap |");
        System.out.println("|---|---|---|");
        time("ND4J op overhead: scalar add on a 1-element array", 2000, () -> one.addi(1.0));
        BoundOp addOne = BoundOp.of(DynamicCustomOp.builder("add").addInputs(one, one).addOutputs(one).build());
        time("bound op overhead: add on a 1-element array", 2000, addOne::run);
        time("gemm forward, layer 1: [128x784] x [784x256], Nd4j.gemm", 200,
                () -> Nd4j.gemm(x, w1, z1, false, false, 1, 0));
        time("gemm forward, layer 1, bound matmul", 200, BoundOp.matmul(x, false, w1, false, z1, 1.0)::run);
        time("gemm backward dW, layer 1: [784x128] x [128x256], Nd4j.gemm", 200,
                () -> Nd4j.gemm(x, d1, dw1, true, false, 1, 0));
        time("gemm backward dW, layer 1, bound matmul", 200, BoundOp.matmul(x, true, d1, false, dw1, 1.0)::run);
        time("before 2026-12-05: relu_layer op, layer 1 (oneDNN inner product)", 300, () -> {
            ReluLayer op = new ReluLayer(x, w1, b1Vector);
            op.addOutputArgument(a1);
            Nd4j.exec(op);
        });
        time("before 2026-12-05: xw_plus_b op and softmax, layer 2", 1000, () -> {
            Nd4j.exec(new XwPlusB(new INDArray[] {a1, w2, b2Vector}, z2));
            Nd4j.exec(new SoftMax(z2, a2));
        });
        time("accuracy: ArgMax of [128x10]", 2000, () -> Nd4j.exec(new ArgMax(new INDArray[] {z2},
                new INDArray[] {predicted}, false, 1)));
        time("sumNumber of a [128x1] loss view (a host copy)", 2000, () -> lossBatch.sumNumber());
        time("shuffle: pullRows of [60000x784] (per epoch)", 5, () -> Nd4j.pullRows(source, shuffled, 1, order));
    }

    /** One row of the before/after table: both calls timed in this process. */
    private static void compare(String step, String before, int beforeReps, Runnable beforeCall, String now,
            int nowReps, Runnable nowCall) {
        double[] b = measure(beforeReps, beforeCall);
        double[] n = measure(nowReps, nowCall);
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %.1f KB | %s | %s | %.1f KB |%n", step, before,
                format(b[0]), b[1], now, format(n[0]), n[1]);
    }

    private static void time(String what, int reps, Runnable call) {
        double[] r = measure(reps, call);
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f KB |%n", what, format(r[0]), r[1]);
    }

    /** Median microseconds per call and KB of Java heap per call, after a warm-up. */
    private static double[] measure(int reps, Runnable call) {
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
        return new double[] {nanos[reps / 2] / 1e3, bytes / 1024.0 / reps};
    }

    private static String format(double micros) {
        return micros >= 1000 ? String.format(Locale.ROOT, "%.2f ms", micros / 1e3)
                : String.format(Locale.ROOT, "%.1f us", micros);
    }
}
