package org.callbacks4j.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link Sequential#predict} for models with image, dropout or batch-norm layers: a forward pass in inference mode
 * (dropout is the identity, batch norm uses its moving statistics) through the same libnd4j ops the trainer runs, in
 * chunks of {@value #CHUNK} rows so that the image layers' buffers stay small. It lives here, not in {@code train},
 * so that {@code model} imports no other package of ours; the trainer's {@code Network} runs the same ops on buffers
 * it keeps, and tests hold the two to the same outputs.
 */
final class InferencePass {

    /** Rows per forward pass. */
    static final int CHUNK = 256;

    private InferencePass() {}

    /** The outputs for {@code x} ({@code [rows, inputWidth]} float32), a new {@code [rows, outputWidth]} array. */
    static INDArray predict(Sequential model, INDArray x) {
        long rows = x.size(0);
        INDArray out = Nd4j.create(DataType.FLOAT, rows, model.outputWidth());
        for (long from = 0; from < rows; from += CHUNK) {
            long to = Math.min(rows, from + CHUNK);
            INDArray chunk = x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(forward(model, chunk));
        }
        return out;
    }

    private static INDArray forward(Sequential model, INDArray rowsIn) {
        int rows = (int) rowsIn.size(0);
        INDArray in = rowsIn.dup('c').reshape('c', batchShape(rows, model.inputShape()));
        int l = 0;
        for (Layer layer : model.layers()) {
            INDArray out = Nd4j.create(DataType.FLOAT, batchShape(rows, layer.outputShape()));
            switch (layer.type()) {
                case DENSE -> {
                    // matmul then biasadd in place: the trainer's two ops, so that both give the same bits.
                    exec("matmul", new INDArray[] {in, model.weights(l)}, out, new int[] {0, 0, 0});
                    exec("biasadd", new INDArray[] {out, vector(model.bias(l))}, out, new int[0]);
                    activate(model.activationFunction(l), out);
                }
                case CONV2D -> {
                    exec("conv2d", new INDArray[] {in, model.weights(l), vector(model.bias(l))}, out,
                            windowArgs(layer, true));
                    activate(model.activationFunction(l), out);
                }
                case MAX_POOL -> exec("maxpool2d", new INDArray[] {in}, out, windowArgs(layer, false));
                case AVG_POOL -> exec("avgpool2d", new INDArray[] {in}, out, windowArgs(layer, false));
                case GLOBAL_AVG_POOL -> {
                    int[] s = layer.inputShape();
                    exec("avgpool2d", new INDArray[] {in}, out.reshape('c', rows, 1, 1, layer.channels()),
                            new int[] {s[0], s[1], 1, 1, 0, 0, 1, 1, 0, 0, 1});
                }
                case FLATTEN -> out = in.reshape('c', batchShape(rows, layer.outputShape()));
                case DROPOUT -> out = in; // the identity outside training
                case BATCH_NORM -> {
                    int c = layer.channels();
                    DynamicCustomOp op = DynamicCustomOp.builder("batchnorm")
                            .addInputs(in, model.movingMean(l).reshape(c), model.movingVariance(l).reshape(c),
                                    model.weights(l).reshape(c), vector(model.bias(l)))
                            .addOutputs(out).addIntegerArguments(1, 1, out.rank() - 1)
                            .addFloatingPointArguments(layer.epsilon()).build();
                    Nd4j.exec(op);
                }
                default -> throw new IllegalStateException("no inference pass for " + layer.type());
            }
            in = out;
            l++;
        }
        return in;
    }

    private static void exec(String name, INDArray[] inputs, INDArray output, int[] intArgs) {
        Nd4j.exec(DynamicCustomOp.builder(name).addInputs(inputs).addOutputs(output).addIntegerArguments(intArgs)
                .build());
    }

    private static void activate(IActivation activation, INDArray a) {
        if (activation instanceof org.nd4j.linalg.activations.impl.ActivationSoftmax) {
            Nd4j.getExecutioner().exec(new SoftMax(a, a));
            return;
        }
        INDArray result = activation.getActivation(a, false);
        if (result != a) {
            a.assign(result);
        }
    }

    private static INDArray vector(INDArray bias) {
        return bias.reshape(bias.length());
    }

    static long[] batchShape(int rows, int[] shape) {
        long[] s = new long[shape.length + 1];
        s[0] = rows;
        for (int i = 0; i < shape.length; i++) {
            s[i + 1] = shape[i];
        }
        return s;
    }

    /**
     * libnd4j's integer arguments of conv2d ({@code conv}) and the 2-D pools, NHWC, no dilation, padding by mode.
     * Public through {@link Layer#libnd4jWindowArguments} for the trainer's network, which binds the same ops.
     */
    static int[] windowArgs(Layer layer, boolean conv) {
        int[] k = layer.kernel();
        int[] s = layer.strides();
        int same = layer.padding() == Padding.SAME ? 1 : 0;
        return conv
                // kH, kW, sH, sW, pH, pW, dH, dW, paddingMode, isNHWC, weightFormat [kH, kW, iC, oC]
                ? new int[] {k[0], k[1], s[0], s[1], 0, 0, 1, 1, same, 1, 0}
                // kH, kW, sH, sW, pH, pW, dH, dW, isSameMode, extraParam0 (avg: padding not counted), isNHWC
                : new int[] {k[0], k[1], s[0], s[1], 0, 0, 1, 1, same, 0, 1};
    }
}
