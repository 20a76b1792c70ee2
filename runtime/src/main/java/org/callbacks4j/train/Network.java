package org.callbacks4j.train;

import org.callbacks4j.internal.train.BoundOp;
import org.callbacks4j.internal.train.HostAccuracy;
import org.callbacks4j.internal.train.HostSoftmax;
import java.util.ArrayList;
import java.util.List;
import org.callbacks4j.model.Layer;
import org.callbacks4j.model.Padding;
import org.callbacks4j.model.Sequential;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.indexaccum.custom.ArgMax;
import org.nd4j.linalg.api.ops.impl.loss.SoftmaxCrossEntropyLoss;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarGreaterThan;
import org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Forward and backward passes of a {@link Sequential} with preallocated buffers. Every op writes into an array that
 * exists before the first batch: activations and deltas live in a {@link Frame} per batch size, gradients in one flat
 * vector whose per-layer views mirror the parameter views (as DL4J's {@code MultiLayerNetwork}).
 *
 * <p>The libnd4j custom ops of a batch are {@link BoundOp}s: built once per frame with their arrays and arguments, so
 * a call costs about a microsecond instead of the 15 us {@code Nd4j.exec} spends building a native context each time;
 * only the batch's rows, labels and loss column are bound again per batch (batch norm's statistics and dropout's masks
 * still go through ND4J's API). A dense layer is {@code matmul}, {@code biasadd} and its activation (ReLU in place, a
 * hidden softmax into the frame). A dense softmax output layer's softmax, and its cross-entropy into the loss column,
 * are computed in Java on the frame's memory ({@link HostSoftmax}: libnd4j's two ops spent most of their 37 us on
 * per-call work around 1,280 values), and its delta is {@code p - y}. A 784-256-10 batch makes 13 native calls
 * (ReLU's backward mask is a legacy op, built once rather than bound) and none that allocates an array. Other
 * activations and losses go through ND4J's {@code IActivation} and {@code ILossFunction}, whose derivatives and
 * scores allocate their results.
 *
 * <p>Image layers run libnd4j's own kernels, NHWC, each bound once per frame to its frame buffers:
 * {@code conv2d}/{@code conv2d_bp} (kernel {@code [kH, kW, iC, oC]}), {@code maxpool2d}/{@code avgpool2d} and their
 * {@code _bp}, {@code batchnorm}/{@code batchnorm_bp} (whose input gradient includes the batch statistics' terms);
 * dropout masks come from ND4J's {@code DropOutInverted} on the model's own generator
 * ({@link Sequential#dropoutRandom()}). Gradients stay unscaled through the layers (the backward pass is linear in the
 * output delta) and each parameter gradient takes the batch-mean factor: as the gemm's alpha (dense) or one scalar
 * multiply (conv2d, batch norm).
 */
final class Network {

    private final Sequential model;
    private final Layer[] layers;
    private final Layer.Type[] types;
    private final int layerCount;
    private final int outputWidth;
    private final boolean copyInput;
    private final INDArray[] weights;
    private final INDArray[] biasVectors;
    private final INDArray[] movingMeans;
    private final INDArray[] movingVariances;
    private final IActivation[] activations;
    private final boolean[] relu;
    private final boolean[] softmax;
    private final double[] l2;
    private final boolean regularized;
    private final INDArray gradient;
    private final INDArray[] weightGradients;
    private final INDArray[] biasGradients;
    private final INDArray[] biasGradientVectors;
    private final ILossFunction lossFunction;
    private final boolean softmaxCrossEntropy;
    private final double lossScale;
    private final BuiltInMetric[] metrics;
    private final boolean binaryAccuracy;
    private final Random dropoutRandom;
    private double clipNorm = Double.NaN;
    private BoundOp[] clipNormOps;
    private double clipValue = Double.NaN;
    private BoundOp clipValueOp;

    /** A network for {@code loss} ({@code null}: forward passes only, for predictions). */
    Network(Sequential model, Loss loss, BuiltInMetric[] metrics) {
        this.model = model;
        this.layerCount = model.layers().size();
        this.layers = model.layers().toArray(new Layer[0]);
        this.types = new Layer.Type[layerCount];
        this.outputWidth = model.outputWidth();
        this.copyInput = layers[0].type() != Layer.Type.DENSE;
        this.weights = new INDArray[layerCount];
        this.biasVectors = new INDArray[layerCount];
        this.movingMeans = new INDArray[layerCount];
        this.movingVariances = new INDArray[layerCount];
        this.activations = new IActivation[layerCount];
        this.relu = new boolean[layerCount];
        this.softmax = new boolean[layerCount];
        this.l2 = new double[layerCount];
        boolean anyL2 = false;
        for (int l = 0; l < layerCount; l++) {
            Layer layer = layers[l];
            types[l] = layer.type();
            activations[l] = model.activationFunction(l);
            if (layer.paramCount() > 0) {
                weights[l] = model.weights(l);
                // The fused ops take the bias as a vector: a view of the same parameters.
                INDArray bias = model.bias(l);
                biasVectors[l] = bias.reshape(bias.length());
            }
            if (types[l] == Layer.Type.BATCH_NORM) {
                weights[l] = model.weights(l).reshape(layer.channels());
                movingMeans[l] = model.movingMean(l).reshape(layer.channels());
                movingVariances[l] = model.movingVariance(l).reshape(layer.channels());
            }
            boolean hidden = l < layerCount - 1;
            // Hidden layers only: ReLU runs in place on the activations, and the loss needs the output layer's
            // pre-activations.
            relu[l] = hidden && new ActivationReLU().equals(activations[l]) && layer.hasKernel();
            softmax[l] = activations[l] instanceof ActivationSoftmax;
            l2[l] = layer.l2();
            anyL2 |= l2[l] != 0;
        }
        this.regularized = anyL2;
        long count = model.paramCount();
        this.gradient = Nd4j.create(DataType.FLOAT, 1, count);
        INDArray flat = gradient.reshape(count);
        this.weightGradients = new INDArray[layerCount];
        this.biasGradients = new INDArray[layerCount];
        this.biasGradientVectors = new INDArray[layerCount];
        long offset = 0;
        for (int l = 0; l < layerCount; l++) {
            if (layers[l].paramCount() == 0) {
                continue;
            }
            long w = layers[l].paramCount() - layers[l].channels();
            long[] shape = types[l] == Layer.Type.BATCH_NORM ? new long[] {layers[l].channels()} : weights[l].shape();
            weightGradients[l] = flat.get(NDArrayIndex.interval(offset, offset + w)).reshape('c', shape);
            offset += w;
            long units = layers[l].channels();
            biasGradients[l] = flat.get(NDArrayIndex.interval(offset, offset + units)).reshape('c', 1, units);
            biasGradientVectors[l] = biasGradients[l].reshape(units);
            offset += units;
        }
        this.lossFunction = loss == null ? null : loss.toNd4j();
        this.softmaxCrossEntropy = loss == Loss.SOFTMAX_CROSS_ENTROPY && softmax[layerCount - 1]
                && types[layerCount - 1] == Layer.Type.DENSE;
        this.lossScale = loss == null ? 1 : loss.perExampleScale(outputWidth);
        this.metrics = metrics.clone();
        this.binaryAccuracy = loss == Loss.BINARY_CROSS_ENTROPY || outputWidth == 1;
        this.dropoutRandom = model.dropoutRandom();
    }

    /**
     * Gradient clipping before each step, as Keras's optimizer arguments: {@code clipNorm} (each variable's gradient
     * scaled to norm at most {@code clipNorm}, libnd4j's {@code clipbynorm}) or {@code clipValue} (every value into
     * {@code [-clipValue, clipValue]}, libnd4j's {@code clipbyvalue}). NaN: off.
     */
    void clipping(double clipNorm, double clipValue) {
        this.clipNorm = clipNorm;
        this.clipValue = clipValue;
        this.clipNormOps = null;
        this.clipValueOp = null;
        if (!Double.isNaN(clipNorm)) {
            List<BoundOp> ops = new ArrayList<>();
            for (int l = 0; l < layerCount; l++) {
                for (INDArray g : new INDArray[] {weightGradients[l], biasGradients[l]}) {
                    if (g != null) {
                        ops.add(BoundOp.of(DynamicCustomOp.builder("clipbynorm").addInputs(g).addOutputs(g)
                                .addFloatingPointArguments(clipNorm).build()));
                    }
                }
            }
            clipNormOps = ops.toArray(new BoundOp[0]);
        }
        if (!Double.isNaN(clipValue)) {
            clipValueOp = BoundOp.of(DynamicCustomOp.builder("clipbyvalue").addInputs(gradient).addOutputs(gradient)
                    .addFloatingPointArguments(-clipValue, clipValue).build());
        }
    }

    /** The flat gradient of the last {@link #backward}, {@code [1, paramCount]}; the update after a step. */
    INDArray gradient() {
        return gradient;
    }

    /** The model's outputs of the last {@link #forward} in {@code f}, {@code [rows, outputs]} (a frame buffer). */
    INDArray output(Frame f) {
        return f.a[layerCount - 1];
    }

    /** Buffers for batches of exactly {@code rows} examples. */
    Frame frame(int rows) {
        return new Frame(rows);
    }

    /**
     * One optimizer step on the batch {@code (x, y)}: forward pass, per-example loss and metrics into
     * {@code lossOut} and {@code metricOut} ({@code [rows, 1]} views), backward pass, update.
     */
    void trainStep(Frame f, INDArray x, INDArray y, INDArray lossOut, INDArray[] metricOut, OptimizerState opt,
            int epoch) {
        trainStep(f, x, y, null, lossOut, metricOut, opt, epoch);
    }

    /**
     * As {@link #trainStep(Frame, INDArray, INDArray, INDArray, INDArray[], OptimizerState, int)}. With weights
     * {@code w} ({@code [rows, 1]}, or null), each row's loss, metrics and gradient are multiplied by its weight
     * (Keras {@code sample_weight}: the batch loss is {@code sum(w_i * loss_i) / rows}).
     */
    void trainStep(Frame f, INDArray x, INDArray y, INDArray w, INDArray lossOut, INDArray[] metricOut,
            OptimizerState opt, int epoch) {
        forward(f, x, true);
        score(f, y, w, lossOut, metricOut);
        if (w != null) {
            for (INDArray m : metricOut) {
                m.muli(w);
            }
        }
        backward(f, x, y, w);
        if (Double.compare(opt.clipNorm(), clipNorm) != 0 || Double.compare(opt.clipValue(), clipValue) != 0) {
            clipping(opt.clipNorm(), opt.clipValue()); // once per fit: the ops bind the gradient's views
        }
        if (clipNormOps != null) {
            for (BoundOp op : clipNormOps) {
                op.run();
            }
        }
        if (clipValueOp != null) {
            clipValueOp.run();
        }
        opt.step(gradient, epoch);
        INDArray params = model.params();
        // params -= update as a BLAS axpy: half the cost of ND4J's subi op.
        Nd4j.getBlasWrapper().level1().axpy(params.length(), -1.0, gradient, params);
    }

    /** Forward pass and per-example loss and metrics, without training. */
    void evaluate(Frame f, INDArray x, INDArray y, INDArray lossOut, INDArray[] metricOut) {
        forward(f, x, false);
        score(f, y, lossOut, metricOut);
    }

    /**
     * Forward pass of the rows {@code x} ({@code [rows, inputWidth]}). In training, dropout draws masks and batch
     * norm normalises with the batch's statistics and moves its moving ones; otherwise dropout is the identity and
     * batch norm uses the moving statistics.
     */
    void forward(Frame f, INDArray x, boolean training) {
        if (copyInput) {
            f.inputRows.assign(x);
        }
        INDArray in = copyInput ? f.input : x;
        for (int l = 0; l < layerCount; l++) {
            switch (types[l]) {
                case DENSE, CONV2D -> {
                    // The product (or convolution) and the bias; a ReLU layer's go straight into a, where ReLU runs
                    // in place: the backward pass masks by a > 0, which holds exactly where z > 0.
                    f.forwardOps[l].input(0, in).run();
                    if (f.biasOps[l] != null) {
                        f.biasOps[l].run();
                    }
                    activateLayer(f, l, training);
                }
                case MAX_POOL, AVG_POOL, GLOBAL_AVG_POOL -> f.forwardOps[l].run();
                case FLATTEN -> { } // a[l] is a view of the input
                case DROPOUT -> {
                    double rate = layers[l].rate();
                    if (training && rate > 0) {
                        f.mask[l].assign(1.0);
                        Nd4j.getExecutioner().exec(new DropOutInverted(f.mask[l], f.mask[l], 1.0 - rate),
                                dropoutRandom);
                        Nd4j.exec(new MulOp(in, f.mask[l], f.a[l]));
                    } else {
                        f.a[l].assign(in);
                    }
                }
                case BATCH_NORM -> {
                    if (training) {
                        for (BoundOp op : f.statisticsOps[l]) {
                            op.run();
                        }
                        f.forwardOps[l].run();
                        // moving = moving * momentum + batch * (1 - momentum), as Keras.
                        double m = layers[l].momentum();
                        movingMeans[l].muli(m);
                        Nd4j.exec(new Axpy(f.batchMean[l], movingMeans[l], movingMeans[l], 1 - m));
                        movingVariances[l].muli(m);
                        Nd4j.exec(new Axpy(f.batchVariance[l], movingVariances[l], movingVariances[l], 1 - m));
                    } else {
                        f.inferenceOps[l].run();
                    }
                }
            }
            in = f.a[l];
        }
    }

    /** Per-example loss (Keras scale) and metrics of the last forward pass. Leaves the pre-activations intact. */
    void score(Frame f, INDArray y, INDArray lossOut, INDArray[] metricOut) {
        score(f, y, null, lossOut, metricOut);
    }

    /**
     * As {@link #score(Frame, INDArray, INDArray, INDArray[])}, each row's loss times its weight {@code w} (or
     * unweighted) before the regularisation is added, which Keras does not weigh.
     */
    private void score(Frame f, INDArray y, INDArray w, INDArray lossOut, INDArray[] metricOut) {
        int last = layerCount - 1;
        if (softmaxCrossEntropy) {
            // From the logits the forward pass's softmax kept, in Java; else ND4J's loss op, straight into lossOut
            // (one op where LossMCXENT.computeScoreArray runs about eight and allocates).
            // See Loss.SOFTMAX_CROSS_ENTROPY.
            if (f.hostSoftmax == null || !f.hostSoftmax.crossEntropy(y, lossOut)) {
                f.lossOp.input(f.lossLabels, y).output(0, lossOut).run();
            }
        } else {
            lossOut.assign(lossFunction.computeScoreArray(y, f.z[last], activations[last], null));
            if (lossScale != 1.0) {
                lossOut.muli(lossScale);
            }
        }
        if (w != null) {
            lossOut.muli(w);
        }
        if (regularized) {
            // Keras adds the regularisation losses to the batch loss: the same amount on every example's loss.
            double penalty = 0;
            for (int l = 0; l < layerCount; l++) {
                if (l2[l] != 0) {
                    Nd4j.getExecutioner().exec(new SquaredNorm(weights[l], f.squaredNorm));
                    penalty += l2[l] * f.squaredNorm.getDouble(0);
                }
            }
            lossOut.addi(penalty);
        }
        INDArray out = f.a[last];
        for (int k = 0; k < metrics.length; k++) {
            INDArray target = metricOut[k];
            switch (metrics[k]) {
                case ACCURACY -> {
                    if (binaryAccuracy) {
                        // Keras binary_accuracy: (p > 0.5) == y, averaged over the columns.
                        Nd4j.exec(new ScalarGreaterThan(out, f.bool, 0.5));
                        f.diff.assign(f.bool);
                        Nd4j.exec(new EqualTo(f.diff, y, f.bool));
                        f.diff.assign(f.bool);
                        f.diff.mean(target, true, 1);
                    } else if (!HostAccuracy.categorical(out, y, target)) {
                        f.argIn[0] = out;
                        Nd4j.exec(new ArgMax(f.argIn, f.argPredicted, false, 1));
                        f.argIn[0] = y;
                        Nd4j.exec(new ArgMax(f.argIn, f.argExpected, false, 1));
                        f.argIn[0] = null;
                        Nd4j.exec(new EqualTo(f.predicted, f.expected, f.hits));
                        target.assign(f.hitColumn);
                    }
                }
                case MSE -> {
                    f.diff.assign(out).subi(y);
                    f.diff.muli(f.diff);
                    f.diff.mean(target, true, 1);
                }
                case MAE -> {
                    f.diff.assign(out).subi(y);
                    Transforms.abs(f.diff, false);
                    f.diff.mean(target, true, 1);
                }
            }
        }
    }

    /** Gradient of the batch-mean loss of the last forward pass into {@link #gradient()}. Destroys the frame. */
    void backward(Frame f, INDArray x, INDArray y) {
        backward(f, x, y, null);
    }

    /** As {@link #backward(Frame, INDArray, INDArray)}, each row's loss weighted by {@code w} (or unweighted). */
    void backward(Frame f, INDArray x, INDArray y, INDArray w) {
        int last = layerCount - 1;
        INDArray delta;
        if (softmaxCrossEntropy) {
            // LossMCXENT.computeGradient's softmax branch is this subtraction, after recomputing the softmax the
            // forward pass already holds.
            f.outputDeltaOp.input(1, y).run();
            delta = f.outputDelta;
        } else {
            delta = lossFunction.computeGradient(y, f.z[last], activations[last], null);
        }
        if (w != null) {
            delta.muliColumnVector(w); // the gradient of sum(w_i * loss_i) is w_i times row i's
        }
        backwardFrom(f, x, delta);
    }

    /**
     * The backward pass from {@code delta}, the gradient of the summed per-example losses with respect to the last
     * layer's pre-activations, into {@link #gradient()} (scaled to the batch mean, plus the L2 terms).
     */
    void backwardFrom(Frame f, INDArray x, INDArray delta) {
        int last = layerCount - 1;
        // ND4J's gradient is per example and summed; Keras minimises the batch mean. The backward pass is linear in
        // delta, so the weight and bias gemms apply the factor as their alpha instead of an op on delta.
        double scale = lossScale / f.rows;
        for (int l = last; l >= 0; l--) {
            backwardLayer(f, x, l, delta, scale);
            if (l > 0) {
                delta = activationBackprop(l - 1, f);
            }
        }
    }

    /**
     * Layer {@code l}'s backward pass from {@code delta}, the gradient with respect to its pre-activations: its
     * parameter gradients (times {@code scale}, plus the L2 term) and, for {@code l > 0}, the gradient with respect
     * to its input into {@code f.da[l - 1]}.
     */
    private void backwardLayer(Frame f, INDArray x, int l, INDArray delta, double scale) {
        INDArray in = l == 0 ? (copyInput ? f.input : x) : f.a[l - 1];
        switch (types[l]) {
            case DENSE -> {
                f.weightGradientOps[l].input(0, in).input(1, delta).alpha(scale).run();
                // The column sums as a product with a row of ones: a gemm, where ND4J's sum along dimension 0 is a
                // slow strided reduction (0.3 ms for [128x256]).
                f.biasGradientOps[l].input(1, delta).alpha(scale).run();
                if (l > 0) {
                    f.backwardOps[l].input(0, delta).run();
                }
            }
            case CONV2D, BATCH_NORM -> {
                BoundOp op = f.backwardOps[l];
                op.input(op.inputCount() - 1, delta).run();
                weightGradients[l].muli(scale);
                biasGradients[l].muli(scale);
            }
            case MAX_POOL, AVG_POOL, GLOBAL_AVG_POOL -> {
                if (l > 0) {
                    if (types[l] == Layer.Type.GLOBAL_AVG_POOL) {
                        f.pooledDelta[l].assign(delta); // [rows, c] into the [rows, 1, 1, c] gradient
                    } else {
                        f.backwardOps[l].input(1, delta);
                    }
                    f.backwardOps[l].run();
                }
            }
            case FLATTEN -> {
                if (l > 0 && delta != f.da[l]) {
                    f.da[l].assign(delta); // da[l] is a view of da[l - 1]
                }
            }
            case DROPOUT -> {
                if (l > 0) {
                    if (layers[l].rate() > 0) {
                        Nd4j.exec(new MulOp(delta, f.mask[l], f.da[l - 1]));
                    } else {
                        f.da[l - 1].assign(delta);
                    }
                }
            }
        }
        if (l2[l] != 0) {
            // Keras's L2 kernel regulariser adds l2 * sum(W^2) to the loss: 2 * l2 * W to the gradient.
            Nd4j.exec(new Axpy(weights[l], weightGradients[l], weightGradients[l], 2 * l2[l]));
        }
    }

    /**
     * Layer {@code l}'s backward pass alone (tests): {@code outputGradient} is the gradient with respect to its output;
     * its parameter gradients (unscaled, as DL4J's layers give them) go to {@link #gradient()}'s views and the
     * gradient with respect to its input to {@code f.da[l - 1]}, which is returned ({@code l > 0}).
     */
    INDArray layerBackward(Frame f, int l, INDArray outputGradient) {
        f.da[l].assign(outputGradient);
        backwardLayer(f, null, l, activationBackprop(l, f), 1.0);
        return f.da[l - 1];
    }

    /** Layer {@code l}'s kernel gradient view (or batch norm's gamma's). */
    INDArray weightGradient(int l) {
        return weightGradients[l];
    }

    /** Layer {@code l}'s bias gradient view {@code [1, units]} (or batch norm's beta's). */
    INDArray biasGradient(int l) {
        return biasGradients[l];
    }

    /**
     * Layer {@code l}'s activation in frame {@code f}: a dense softmax output in Java ({@link HostSoftmax}, which keeps
     * the logits for the loss), else the layer's bound op (ReLU in place, softmax from z into a), else ND4J's.
     */
    private void activateLayer(Frame f, int l, boolean training) {
        if (l == layerCount - 1 && f.hostSoftmax != null) {
            f.hostSoftmax.softmax();
            return;
        }
        if (f.activationOps[l] != null) {
            f.activationOps[l].run();
        } else {
            activate(l, f.z[l], f.a[l], training);
        }
    }

    /**
     * Layer {@code l}'s activation of {@code z} into {@code a}. Softmax runs the op ND4J's activation runs, with
     * {@code a} as its output: one op, where the activation's in-place API needs a copy first.
     */
    private void activate(int l, INDArray z, INDArray a, boolean training) {
        if (softmax[l]) {
            Nd4j.getExecutioner().exec(new SoftMax(z, a));
        } else {
            a.assign(z);
            INDArray out = activations[l].getActivation(a, training);
            if (out != a) {
                a.assign(out);
            }
        }
    }

    /** The gradient with respect to layer {@code l}'s pre-activations, from {@code f.da[l]}. */
    private INDArray activationBackprop(int l, Frame f) {
        if (!layers[l].hasKernel()) {
            return f.da[l]; // no activation
        }
        if (relu[l]) {
            // ReLU's derivative as a 0/1 mask of a > 0 (into z, which a ReLU layer leaves unused), times the incoming
            // gradient, in place: two streaming ops, three times faster than libnd4j's relu_bp and twenty than its
            // greater and select (BENCHMARKS.md). Step is a legacy op, built once; the product a bound op.
            Nd4j.getExecutioner().exec(f.reluMasks[l]);
            f.reluGates[l].run();
            return f.da[l];
        }
        return activations[l].backprop(f.z[l], f.da[l]).getFirst();
    }

    private static long[] batchShape(int rows, int[] shape) {
        long[] s = new long[shape.length + 1];
        s[0] = rows;
        for (int i = 0; i < shape.length; i++) {
            s[i + 1] = shape[i];
        }
        return s;
    }

    /** Buffers for one batch size, and the ops of a batch bound to them. */
    final class Frame {

        final int rows;
        final INDArray input;
        final INDArray inputRows;
        final INDArray inputGradient;
        final INDArray[] z;
        final INDArray[] a;
        final INDArray[] da;
        final INDArray[] mask;
        final INDArray[] batchMean;
        final INDArray[] batchVariance;
        /**
         * Per batch-norm layer: the batch's mean and (biased) variance per channel, over every other axis, as ops on
         * the input seen as {@code [examples x positions, channels]}: the mean as {@code ones x in / n}, then the
         * centred input squared and its mean the same way. ND4J's {@code mean} and {@code Variance} along those axes
         * are strided reductions, the variance alone a fifth of the CNN's image-layer time (BENCHMARKS.md).
         */
        final BoundOp[][] statisticsOps;
        final INDArray[] pooledDelta;
        /** Per layer: its product, convolution, pool or batch norm (training statistics). */
        final BoundOp[] forwardOps;
        /** Per layer: the bias a dense layer adds after its product (in place). */
        final BoundOp[] biasOps;
        /** Per layer: ReLU in place on a hidden layer's output, softmax from z into a; null: {@link #activate}. */
        final BoundOp[] activationOps;
        /** Per layer: batch norm with the moving statistics. */
        final BoundOp[] inferenceOps;
        /** Per layer: the gradient with respect to the input (dense: {@code delta W^T}) or the whole {@code _bp}. */
        final BoundOp[] backwardOps;
        /** Per dense layer: {@code alpha in^T delta} and {@code alpha ones delta}, into the gradient's views. */
        final BoundOp[] weightGradientOps;
        final BoundOp[] biasGradientOps;
        /** Per ReLU layer: its derivative's mask of a > 0 into z, and the gradient times the mask in place. */
        final Step[] reluMasks;
        final BoundOp[] reluGates;
        /**
         * A dense softmax output layer's softmax, and its cross-entropy, in Java, bound to z and a once; null for other
         * output layers.
         */
        final HostSoftmax hostSoftmax;
        /** Softmax cross-entropy per example, and its delta {@code p - y}; labels and loss column bound per batch. */
        final BoundOp lossOp;
        final int lossLabels;
        final BoundOp outputDeltaOp;
        final INDArray ones;
        final INDArray unitWeight;
        final INDArray outputDelta;
        final INDArray diff;
        final INDArray bool;
        final INDArray predicted;
        final INDArray expected;
        final INDArray hits;
        final INDArray hitColumn;
        final INDArray squaredNorm;
        // Argument arrays of the ArgMax ops, reused so that the batch loop does not allocate them.
        final INDArray[] argIn = new INDArray[1];
        final INDArray[] argPredicted;
        final INDArray[] argExpected;

        private Frame(int rows) {
            this.rows = rows;
            if (copyInput) {
                input = Nd4j.create(DataType.FLOAT, batchShape(rows, model.inputShape()));
                inputRows = input.reshape('c', rows, model.inputWidth());
                inputGradient = Nd4j.create(DataType.FLOAT, input.shape());
            } else {
                input = null;
                inputRows = null;
                inputGradient = null;
            }
            z = new INDArray[layerCount];
            a = new INDArray[layerCount];
            da = new INDArray[layerCount];
            mask = new INDArray[layerCount];
            batchMean = new INDArray[layerCount];
            batchVariance = new INDArray[layerCount];
            statisticsOps = new BoundOp[layerCount][];
            pooledDelta = new INDArray[layerCount];
            forwardOps = new BoundOp[layerCount];
            biasOps = new BoundOp[layerCount];
            activationOps = new BoundOp[layerCount];
            inferenceOps = new BoundOp[layerCount];
            backwardOps = new BoundOp[layerCount];
            weightGradientOps = new BoundOp[layerCount];
            biasGradientOps = new BoundOp[layerCount];
            reluMasks = new Step[layerCount];
            reluGates = new BoundOp[layerCount];
            ones = Nd4j.ones(DataType.FLOAT, 1, rows);
            // A dense first layer reads the batch's rows in place: its ops bind them per batch, this until then.
            INDArray firstRows = copyInput ? input : Nd4j.create(DataType.FLOAT, rows, model.inputWidth());
            for (int l = 0; l < layerCount; l++) {
                Layer layer = layers[l];
                INDArray in = l == 0 ? firstRows : a[l - 1];
                INDArray inGrad = l == 0 ? inputGradient : da[l - 1];
                long[] shape = batchShape(rows, layer.outputShape());
                if (types[l] == Layer.Type.FLATTEN) {
                    a[l] = in.reshape('c', shape);
                    da[l] = l == 0 ? Nd4j.create(DataType.FLOAT, shape) : inGrad.reshape('c', shape);
                    z[l] = a[l];
                    continue;
                }
                a[l] = Nd4j.create(DataType.FLOAT, shape);
                da[l] = Nd4j.create(DataType.FLOAT, shape);
                z[l] = layer.hasKernel() ? Nd4j.create(DataType.FLOAT, shape) : a[l];
                int c = layer.channels();
                if (relu[l]) {
                    reluMasks[l] = new Step(a[l], z[l], 0.0);
                    reluGates[l] = BoundOp.of(new MulOp(da[l], z[l], da[l]));
                    activationOps[l] = BoundOp.of(DynamicCustomOp.builder("relu").addInputs(a[l]).addOutputs(a[l])
                            .addFloatingPointArguments(0.0).build());
                } else if (softmax[l] && layer.hasKernel()) {
                    activationOps[l] = BoundOp.of(new SoftMax(z[l], a[l]));
                }
                INDArray product = relu[l] ? a[l] : z[l];
                switch (types[l]) {
                    case DENSE -> {
                        forwardOps[l] = BoundOp.matmul(in, false, weights[l], false, product, 1.0);
                        biasOps[l] = BoundOp.of(DynamicCustomOp.builder("biasadd")
                                .addInputs(product, biasVectors[l]).addOutputs(product).build());
                        weightGradientOps[l] = BoundOp.matmul(in, true, da[l], false, weightGradients[l], 1.0);
                        biasGradientOps[l] = BoundOp.matmul(ones, false, da[l], false, biasGradients[l], 1.0);
                        if (l > 0) {
                            backwardOps[l] = BoundOp.matmul(da[l], false, weights[l], true, inGrad, 1.0);
                        }
                    }
                    case CONV2D -> {
                        int[] args = layer.libnd4jWindowArguments();
                        forwardOps[l] = BoundOp.of(DynamicCustomOp.builder("conv2d")
                                .addInputs(in, weights[l], biasVectors[l]).addOutputs(product)
                                .addIntegerArguments(args).build());
                        backwardOps[l] = BoundOp.of(DynamicCustomOp.builder("conv2d_bp")
                                .addInputs(in, weights[l], biasVectors[l], da[l])
                                .addOutputs(inGrad, weightGradients[l], biasGradientVectors[l])
                                .addIntegerArguments(args).build());
                    }
                    case MAX_POOL, AVG_POOL -> {
                        String op = types[l] == Layer.Type.MAX_POOL ? "maxpool2d" : "avgpool2d";
                        int[] args = layer.libnd4jWindowArguments();
                        forwardOps[l] = BoundOp.of(DynamicCustomOp.builder(op).addInputs(in).addOutputs(a[l])
                                .addIntegerArguments(args).build());
                        if (l > 0) {
                            backwardOps[l] = BoundOp.of(DynamicCustomOp.builder(op + "_bp").addInputs(in, da[l])
                                    .addOutputs(inGrad).addIntegerArguments(args).build());
                        }
                    }
                    case GLOBAL_AVG_POOL -> {
                        int[] s = layer.inputShape();
                        int[] args = {s[0], s[1], 1, 1, 0, 0, 1, 1, 0, 0, 1};
                        INDArray pooled = a[l].reshape('c', rows, 1, 1, c);
                        pooledDelta[l] = Nd4j.create(DataType.FLOAT, rows, 1, 1, c);
                        forwardOps[l] = BoundOp.of(DynamicCustomOp.builder("avgpool2d").addInputs(in)
                                .addOutputs(pooled).addIntegerArguments(args).build());
                        if (l > 0) {
                            backwardOps[l] = BoundOp.of(DynamicCustomOp.builder("avgpool2d_bp")
                                    .addInputs(in, pooledDelta[l]).addOutputs(inGrad).addIntegerArguments(args)
                                    .build());
                        }
                    }
                    case DROPOUT -> mask[l] = Nd4j.create(DataType.FLOAT, shape);
                    case BATCH_NORM -> {
                        int rank = shape.length;
                        batchMean[l] = Nd4j.create(DataType.FLOAT, c);
                        batchVariance[l] = Nd4j.create(DataType.FLOAT, c);
                        long positions = in.length() / c; // examples x height x width
                        INDArray columns = in.reshape('c', positions, c);
                        INDArray centred = Nd4j.create(DataType.FLOAT, positions, c);
                        INDArray positionOnes = Nd4j.ones(DataType.FLOAT, 1, positions);
                        statisticsOps[l] = new BoundOp[] {
                            BoundOp.matmul(positionOnes, false, columns, false, batchMean[l].reshape(1, c),
                                    1.0 / positions),
                            BoundOp.of(DynamicCustomOp.builder("subtract").addInputs(columns, batchMean[l])
                                    .addOutputs(centred).build()),
                            BoundOp.of(DynamicCustomOp.builder("multiply").addInputs(centred, centred)
                                    .addOutputs(centred).build()),
                            BoundOp.matmul(positionOnes, false, centred, false, batchVariance[l].reshape(1, c),
                                    1.0 / positions)
                        };
                        double eps = layer.epsilon();
                        forwardOps[l] = BoundOp.of(DynamicCustomOp.builder("batchnorm")
                                .addInputs(in, batchMean[l], batchVariance[l], weights[l], biasVectors[l])
                                .addOutputs(a[l]).addIntegerArguments(1, 1, rank - 1)
                                .addFloatingPointArguments(eps).build());
                        inferenceOps[l] = BoundOp.of(DynamicCustomOp.builder("batchnorm")
                                .addInputs(in, movingMeans[l], movingVariances[l], weights[l], biasVectors[l])
                                .addOutputs(a[l]).addIntegerArguments(1, 1, rank - 1)
                                .addFloatingPointArguments(eps).build());
                        backwardOps[l] = BoundOp.of(DynamicCustomOp.builder("batchnorm_bp")
                                .addInputs(in, batchMean[l], batchVariance[l], weights[l], biasVectors[l], da[l])
                                .addOutputs(inGrad, Nd4j.create(DataType.FLOAT, c), Nd4j.create(DataType.FLOAT, c),
                                        weightGradients[l], biasGradientVectors[l])
                                .addIntegerArguments(1, 1, rank - 1).addFloatingPointArguments(eps).build());
                    }
                    default -> { }
                }
            }
            hostSoftmax = softmax[layerCount - 1] && types[layerCount - 1] == Layer.Type.DENSE
                    ? HostSoftmax.of(z[layerCount - 1], a[layerCount - 1]) : null;
            unitWeight = Nd4j.scalar(DataType.FLOAT, 1f);
            outputDelta = Nd4j.create(DataType.FLOAT, rows, outputWidth);
            if (softmaxCrossEntropy) {
                // Labels and loss column stand in until the first batch binds its own.
                INDArray labels = Nd4j.create(DataType.FLOAT, rows, outputWidth);
                SoftmaxCrossEntropyLoss loss = new SoftmaxCrossEntropyLoss(labels, z[layerCount - 1], unitWeight,
                        LossReduce.NONE, 0.0);
                loss.addOutputArgument(Nd4j.create(DataType.FLOAT, rows, 1));
                lossOp = BoundOp.of(loss);
                lossLabels = lossOp.inputIndex(labels);
                outputDeltaOp = BoundOp.of(DynamicCustomOp.builder("subtract").addInputs(a[layerCount - 1], labels)
                        .addOutputs(outputDelta).build());
            } else {
                lossOp = null;
                lossLabels = -1;
                outputDeltaOp = null;
            }
            diff = Nd4j.create(DataType.FLOAT, rows, outputWidth);
            bool = Nd4j.create(DataType.BOOL, rows, outputWidth);
            predicted = Nd4j.create(DataType.INT64, rows);
            expected = Nd4j.create(DataType.INT64, rows);
            hits = Nd4j.create(DataType.BOOL, rows);
            hitColumn = hits.reshape(rows, 1);
            squaredNorm = Nd4j.scalar(DataType.FLOAT, 0f);
            argPredicted = new INDArray[] {predicted};
            argExpected = new INDArray[] {expected};
        }
    }
}
