package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertWithMessage;

import java.util.Arrays;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;

import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The same weights and inputs give DL4J's {@code ConvolutionLayer}, {@code SubsamplingLayer} and
 * {@code BatchNormalization} (NHWC) outputs, input gradients and parameter gradients within 1e-5: each layer runs as
 * layer 1 of a model {@code dropout(0) -> layer -> flatten -> dense}, forward in training mode, then backward from
 * a random output gradient ({@link Network#layerBackward}).
 */
class Dl4jLayersTest {

    private static final int ROWS = 4;
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    /** What our layer computed: output, input gradient, kernel (or gamma) gradient, bias (or beta) gradient. */
    private record Result(INDArray out, INDArray inputGradient, INDArray weightGradient, INDArray biasGradient) {}

    private static Result ours(Sequential model, INDArray x, INDArray outputGradient, boolean training) {
        Network net = new Network(model, Loss.MSE, new BuiltInMetric[0]);
        Network.Frame f = net.frame(ROWS);
        net.forward(f, x, training);
        INDArray out = f.a[1].dup();
        if (!training) {
            return new Result(out, null, null, null);
        }
        INDArray dIn = net.layerBackward(f, 1, outputGradient).dup();
        return new Result(out, dIn, net.weightGradient(1) == null ? null : net.weightGradient(1).dup(),
                net.biasGradient(1) == null ? null : net.biasGradient(1).dup());
    }

    private static Layer dl4j(org.deeplearning4j.nn.conf.layers.Layer layer) {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(1)
                .layer(layer).build();
        long n = conf.getLayer().initializer().numParams(conf);
        INDArray params = Nd4j.create(DataType.FLOAT, 1, Math.max(1, n));
        Layer instance = conf.getLayer().instantiate(conf, null, 0, n == 0 ? null : params, true, DataType.FLOAT);
        if (n > 0) {
            instance.setBackpropGradientsViewArray(Nd4j.create(DataType.FLOAT, 1, n));
        }
        return instance;
    }

    private static INDArray random(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, shape);
    }

    private static void assertClose(String what, INDArray actual, INDArray expected) {
        assertWithMessage("%s shape", what).that(actual.shape()).isEqualTo(expected.shape());
        float[] a = actual.dup('c').reshape(actual.length()).toFloatVector();
        float[] e = expected.dup('c').reshape(expected.length()).toFloatVector();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - e[i]) / Math.max(1.0, Math.abs(e[i])));
        }
        assertWithMessage("%s: largest difference (relative above 1) among %s values; ours %s, DL4J %s", what,
                a.length, Arrays.toString(Arrays.copyOf(a, 6)), Arrays.toString(Arrays.copyOf(e, 6)))
                .that(worst).isAtMost(1e-5);
        assertWithMessage("%s is not all zero", what).that(expected.amaxNumber().doubleValue()).isGreaterThan(0.0);
    }

    @ParameterizedTest
    @CsvSource({
        "7, 6, 3, 4, 3, 1, valid, TANH",
        "7, 6, 3, 4, 3, 2, same, RELU",
        "8, 8, 2, 5, 2, 2, valid, IDENTITY",
        "5, 7, 1, 3, 3, 1, same, SIGMOID",
    })
    void conv2dMatchesConvolutionLayer(int h, int w, int c, int filters, int k, int s, String padding,
            Activation activation) {
        Sequential model = Sequential.input(h, w, c).dropout(0).conv2d(filters, k, s, padding, activation).flatten()
                .dense(2, Activation.IDENTITY).seed(h * 31L + k).build();
        model.bias(1).assign(random(9, 1, filters)); // non-zero biases
        INDArray x = random(1, ROWS, (long) h * w * c);
        long[] outShape = {ROWS, model.layers().get(1).outputShape()[0], model.layers().get(1).outputShape()[1],
            filters};
        INDArray eps = random(2, outShape);
        Result ours = ours(model, x, eps, true);

        Layer layer = dl4j(new ConvolutionLayer.Builder(k, k).stride(s, s).nIn(c).nOut(filters)
                .dataFormat(CNN2DFormat.NHWC)
                .convolutionMode("same".equals(padding) ? ConvolutionMode.Same : ConvolutionMode.Truncate)
                .activation(dl4jActivation(activation)).build());
        // DL4J's kernel is [oC, iC, kH, kW]; ours [kH, kW, iC, oC].
        layer.setParam("W", model.weights(1).permute(3, 2, 0, 1).dup('c'));
        layer.setParam("b", model.bias(1).dup());
        INDArray input = x.reshape('c', ROWS, h, w, c);
        INDArray out = layer.activate(input, true, NO_WORKSPACES).dup();
        Pair<Gradient, INDArray> back = layer.backpropGradient(eps.dup(), NO_WORKSPACES);

        assertClose("conv2d output", ours.out(), out);
        assertClose("conv2d input gradient", ours.inputGradient(), back.getSecond().reshape(ROWS, h, w, c));
        assertClose("conv2d kernel gradient", ours.weightGradient(),
                back.getFirst().getGradientFor("W").permute(2, 3, 1, 0));
        assertClose("conv2d bias gradient", ours.biasGradient(),
                back.getFirst().getGradientFor("b").reshape(1, filters));
    }

    @ParameterizedTest
    @CsvSource({
        "MAX, 6, 6, 2, 2, 2, valid",
        "MAX, 7, 5, 3, 3, 2, same",
        "MAX, 6, 7, 2, 3, 1, valid",
        "AVG, 6, 6, 2, 2, 2, valid",
        "AVG, 7, 5, 3, 3, 2, same",
        "AVG, 5, 5, 2, 2, 1, same",
    })
    void poolingMatchesSubsamplingLayer(String type, int h, int w, int c, int k, int s, String padding) {
        Sequential.Builder b = Sequential.input(h, w, c).dropout(0);
        b = "MAX".equals(type) ? b.maxPool(k, s, padding) : b.avgPool(k, s, padding);
        Sequential model = b.flatten().dense(2, Activation.IDENTITY).seed(3).build();
        INDArray x = random(4, ROWS, (long) h * w * c);
        int[] o = model.layers().get(1).outputShape();
        INDArray eps = random(5, ROWS, o[0], o[1], c);
        Result ours = ours(model, x, eps, true);

        Layer layer = dl4j(new SubsamplingLayer.Builder(
                "MAX".equals(type) ? SubsamplingLayer.PoolingType.MAX : SubsamplingLayer.PoolingType.AVG,
                new int[] {k, k}, new int[] {s, s})
                .dataFormat(CNN2DFormat.NHWC)
                .convolutionMode("same".equals(padding) ? ConvolutionMode.Same : ConvolutionMode.Truncate)
                // Keras averages the values inside the input only.
                .avgPoolIncludePadInDivisor(false).build());
        INDArray out = layer.activate(x.reshape('c', ROWS, h, w, c), true, NO_WORKSPACES).dup();
        Pair<Gradient, INDArray> back = layer.backpropGradient(eps.dup(), NO_WORKSPACES);
        assertClose(type + " pool output", ours.out(), out);
        assertClose(type + " pool input gradient", ours.inputGradient(), back.getSecond().reshape(ROWS, h, w, c));
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void batchNormMatchesBatchNormalization(boolean image) {
        int c = 3;
        Sequential model = (image ? Sequential.input(4, 5, c).dropout(0).batchNorm().flatten()
                : Sequential.input(c).dropout(0).batchNorm()).dense(2, Activation.IDENTITY).seed(5).build();
        model.weights(1).assign(random(6, 1, c).addi(1)); // gamma
        model.bias(1).assign(random(7, 1, c)); // beta
        model.movingMean(1).assign(random(8, 1, c));
        model.movingVariance(1).assign(random(9, 1, c).muli(0.2).addi(1));
        INDArray x = random(10, ROWS, model.inputWidth()).muli(2).addi(0.5);
        long[] shape = image ? new long[] {ROWS, 4, 5, c} : new long[] {ROWS, c};
        INDArray eps = random(11, shape);

        Layer layer = dl4j(new BatchNormalization.Builder().nIn(c).nOut(c).decay(0.99).eps(1e-3).useLogStd(false)
                .dataFormat(CNN2DFormat.NHWC).build());
        layer.setParam("gamma", model.weights(1).dup());
        layer.setParam("beta", model.bias(1).dup());
        layer.setParam("mean", model.movingMean(1).dup());
        layer.setParam("var", model.movingVariance(1).dup());
        INDArray input = x.reshape('c', shape);

        // Inference first: the moving statistics, before a training pass moves them.
        Result inference = ours(model, x, null, false);
        assertClose("batch norm inference output", inference.out(),
                layer.activate(input, false, NO_WORKSPACES).dup());

        Result ours = ours(model, x, eps, true);
        INDArray out = layer.activate(input, true, NO_WORKSPACES).dup();
        Pair<Gradient, INDArray> back = layer.backpropGradient(eps.dup(), NO_WORKSPACES);
        assertClose("batch norm output", ours.out(), out);
        assertClose("batch norm input gradient", ours.inputGradient(), back.getSecond().reshape(shape));
        assertClose("batch norm gamma gradient", ours.weightGradient(),
                back.getFirst().getGradientFor("gamma").reshape(c));
        assertClose("batch norm beta gradient", ours.biasGradient(),
                back.getFirst().getGradientFor("beta").reshape(1, c));
    }

    @Test
    void batchNormMovesItsStatisticsAsKeras() {
        Sequential model = Sequential.input(2).batchNorm(0.9, 1e-3).dense(1, Activation.IDENTITY).build();
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 10}, {3, 20}, {5, 60}, {7, 30}});
        Network net = new Network(model, Loss.MSE, new BuiltInMetric[0]);
        net.forward(net.frame(4), x, true);
        // batch mean (4, 30), biased variance (5, 350): moving = 0.9 * (0, 1) + 0.1 * batch.
        assertClose("moving mean", model.movingMean(0), Nd4j.createFromArray(new float[][] {{0.4f, 3f}}));
        assertClose("moving variance", model.movingVariance(0),
                Nd4j.createFromArray(new float[][] {{0.9f + 0.5f, 0.9f + 35f}}));
    }

    private static org.nd4j.linalg.activations.Activation dl4jActivation(Activation a) {
        return switch (a) {
            case RELU -> org.nd4j.linalg.activations.Activation.RELU;
            case TANH -> org.nd4j.linalg.activations.Activation.TANH;
            case SIGMOID -> org.nd4j.linalg.activations.Activation.SIGMOID;
            case IDENTITY -> org.nd4j.linalg.activations.Activation.IDENTITY;
            default -> throw new AssertionError(a);
        };
    }
}
