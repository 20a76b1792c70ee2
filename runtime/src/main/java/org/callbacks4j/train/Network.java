package org.callbacks4j.train;

import org.callbacks4j.internal.train.HostAccuracy;
import org.callbacks4j.model.Sequential;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.indexaccum.custom.ArgMax;
import org.nd4j.linalg.api.ops.impl.loss.SoftmaxCrossEntropyLoss;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.scalar.comparison.ScalarGreaterThan;
import org.nd4j.linalg.api.ops.impl.transforms.ReluLayer;
import org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.custom.XwPlusB;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Forward and backward passes of a {@link Sequential} with preallocated buffers. Every op writes into an array that
 * exists before the first batch: activations and deltas live in a {@link Frame} per batch size, gradients in one flat
 * vector whose per-layer views mirror the parameter views (as DL4J's {@code MultiLayerNetwork}).
 *
 * <p>The common case, ReLU hidden layers under a softmax cross-entropy, runs on ND4J's fused ops ({@code relu_layer},
 * {@code xw_plus_b}, {@code softmax_cross_entropy_loss}) with their outputs in the frame: 17 ND4J calls for a
 * 784-256-10 batch with accuracy, none allocating an array. Other activations and losses go through ND4J's
 * {@code IActivation} and {@code ILossFunction}, whose derivatives and scores allocate their results.
 */
final class Network {

    private final Sequential model;
    private final int layerCount;
    private final int outputWidth;
    private final INDArray[] weights;
    private final INDArray[] biasVectors;
    private final IActivation[] activations;
    private final boolean[] plainRelu;
    private final boolean[] softmax;
    private final INDArray gradient;
    private final INDArray[] weightGradients;
    private final INDArray[] biasGradients;
    private final ILossFunction lossFunction;
    private final boolean softmaxCrossEntropy;
    private final double lossScale;
    private final BuiltInMetric[] metrics;
    private final boolean binaryAccuracy;

    Network(Sequential model, Loss loss, BuiltInMetric[] metrics) {
        this.model = model;
        this.layerCount = model.layers().size();
        this.outputWidth = model.outputWidth();
        this.weights = new INDArray[layerCount];
        this.biasVectors = new INDArray[layerCount];
        this.activations = new IActivation[layerCount];
        this.plainRelu = new boolean[layerCount];
        this.softmax = new boolean[layerCount];
        for (int l = 0; l < layerCount; l++) {
            weights[l] = model.weights(l);
            // The fused ops take the bias as a vector: a view of the same parameters.
            INDArray bias = model.bias(l);
            biasVectors[l] = bias.reshape(bias.length());
            activations[l] = model.activationFunction(l);
            // Hidden layers only: the loss needs the output layer's pre-activations, which the fused op skips.
            plainRelu[l] = l < layerCount - 1 && new ActivationReLU().equals(activations[l]);
            softmax[l] = activations[l] instanceof ActivationSoftmax;
        }
        long count = model.paramCount();
        this.gradient = Nd4j.create(DataType.FLOAT, 1, count);
        INDArray flat = gradient.reshape(count);
        this.weightGradients = new INDArray[layerCount];
        this.biasGradients = new INDArray[layerCount];
        long offset = 0;
        for (int l = 0; l < layerCount; l++) {
            long in = weights[l].size(0);
            long units = weights[l].size(1);
            weightGradients[l] = flat.get(NDArrayIndex.interval(offset, offset + in * units)).reshape('c', in, units);
            offset += in * units;
            biasGradients[l] = flat.get(NDArrayIndex.interval(offset, offset + units)).reshape('c', 1, units);
            offset += units;
        }
        this.lossFunction = loss.toNd4j();
        this.softmaxCrossEntropy = loss == Loss.SOFTMAX_CROSS_ENTROPY && softmax[layerCount - 1];
        this.lossScale = loss.perExampleScale(outputWidth);
        this.metrics = metrics.clone();
        this.binaryAccuracy = loss == Loss.BINARY_CROSS_ENTROPY || outputWidth == 1;
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
        score(f, y, lossOut, metricOut);
        if (w != null) {
            lossOut.muli(w);
            for (INDArray m : metricOut) {
                m.muli(w);
            }
        }
        backward(f, x, y, w);
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

    void forward(Frame f, INDArray x, boolean training) {
        INDArray in = x;
        for (int l = 0; l < layerCount; l++) {
            if (f.fusedRelu[l]) {
                // ND4J's fused product, bias and ReLU: one op, and no pre-activations to keep (the backward pass
                // masks by a > 0, which holds exactly where z > 0).
                ReluLayer op = new ReluLayer(in, weights[l], biasVectors[l]);
                op.addOutputArgument(f.a[l]);
                Nd4j.exec(op);
            } else {
                // Also a ReLU layer the fused op refuses (a batch of one row, see FusedRelu): product and bias,
                // then ReLU in place; the backward pass is the same.
                Nd4j.exec(new XwPlusB(new INDArray[] {in, weights[l], biasVectors[l]}, f.z[l]));
                activate(l, f.z[l], f.a[l], training);
            }
            in = f.a[l];
        }
    }

    /** Per-example loss (Keras scale) and metrics of the last forward pass. Leaves the pre-activations intact. */
    void score(Frame f, INDArray y, INDArray lossOut, INDArray[] metricOut) {
        int last = layerCount - 1;
        if (softmaxCrossEntropy) {
            // ND4J's loss op, straight into lossOut: one op where LossMCXENT.computeScoreArray runs about eight and
            // allocates their results (0.2 ms a batch against 0.02). See Loss.SOFTMAX_CROSS_ENTROPY.
            SoftmaxCrossEntropyLoss op = new SoftmaxCrossEntropyLoss(y, f.z[last], f.unitWeight, LossReduce.NONE, 0.0);
            op.addOutputArgument(lossOut);
            Nd4j.exec(op);
        } else {
            lossOut.assign(lossFunction.computeScoreArray(y, f.z[last], activations[last], null));
            if (lossScale != 1.0) {
                lossOut.muli(lossScale);
            }
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
            Nd4j.exec(new SubOp(f.a[last], y, f.outputDelta));
            delta = f.outputDelta;
        } else {
            delta = lossFunction.computeGradient(y, f.z[last], activations[last], null);
        }
        if (w != null) {
            delta.muliColumnVector(w); // the gradient of sum(w_i * loss_i) is w_i times row i's
        }
        // ND4J's gradient is per example and summed; Keras minimises the batch mean. The backward pass is linear in
        // delta, so the weight and bias gemms apply the factor as their alpha instead of an op on delta.
        double scale = lossScale / f.rows;
        for (int l = last; l >= 0; l--) {
            INDArray in = l == 0 ? x : f.a[l - 1];
            Nd4j.gemm(in, delta, weightGradients[l], true, false, scale, 0.0);
            // The column sums as a product with a row of ones: a BLAS call, where ND4J's sum along dimension 0
            // is a slow strided reduction (0.3 ms for [128x256]).
            Nd4j.gemm(f.ones, delta, biasGradients[l], false, false, scale, 0.0);
            if (l > 0) {
                Nd4j.gemm(delta, weights[l], f.da[l - 1], false, true, 1.0, 0.0);
                delta = activationBackprop(l - 1, f);
            }
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
        if (plainRelu[l]) {
            // ReLU's derivative as a 0/1 mask of a > 0 (into z, unused by a fused layer), times the incoming gradient,
            // in place: two streaming ops, cheaper than ND4J's relu_bp op and without its fresh output array.
            Nd4j.getExecutioner().exec(new Step(f.a[l], f.z[l], 0.0));
            Nd4j.exec(new MulOp(f.da[l], f.z[l], f.da[l]));
            return f.da[l];
        }
        return activations[l].backprop(f.z[l], f.da[l]).getFirst();
    }

    /** Buffers for one batch size. */
    final class Frame {

        final int rows;
        final INDArray[] z;
        final INDArray[] a;
        final INDArray[] da;
        /** Per layer: a ReLU hidden layer that runs ND4J's fused op for this batch size ({@link FusedRelu}). */
        final boolean[] fusedRelu;
        final INDArray ones;
        final INDArray unitWeight;
        final INDArray outputDelta;
        final INDArray diff;
        final INDArray bool;
        final INDArray predicted;
        final INDArray expected;
        final INDArray hits;
        final INDArray hitColumn;
        // Argument arrays of the ArgMax ops, reused so that the batch loop does not allocate them.
        final INDArray[] argIn = new INDArray[1];
        final INDArray[] argPredicted;
        final INDArray[] argExpected;

        private Frame(int rows) {
            this.rows = rows;
            z = new INDArray[layerCount];
            a = new INDArray[layerCount];
            da = new INDArray[layerCount];
            fusedRelu = new boolean[layerCount];
            for (int l = 0; l < layerCount; l++) {
                long units = weights[l].size(1);
                fusedRelu[l] = plainRelu[l] && FusedRelu.accepts(rows, weights[l].size(0), units);
                z[l] = Nd4j.create(DataType.FLOAT, rows, units);
                a[l] = Nd4j.create(DataType.FLOAT, rows, units);
                da[l] = Nd4j.create(DataType.FLOAT, rows, units);
            }
            ones = Nd4j.ones(DataType.FLOAT, 1, rows);
            unitWeight = Nd4j.scalar(DataType.FLOAT, 1f);
            outputDelta = Nd4j.create(DataType.FLOAT, rows, outputWidth);
            diff = Nd4j.create(DataType.FLOAT, rows, outputWidth);
            bool = Nd4j.create(DataType.BOOL, rows, outputWidth);
            predicted = Nd4j.create(DataType.INT64, rows);
            expected = Nd4j.create(DataType.INT64, rows);
            hits = Nd4j.create(DataType.BOOL, rows);
            hitColumn = hits.reshape(rows, 1);
            argPredicted = new INDArray[] {predicted};
            argExpected = new INDArray[] {expected};
        }
    }
}
