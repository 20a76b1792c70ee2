package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.util.Random;
import java.util.function.Supplier;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every layer's backward pass (libnd4j's {@code _bp} ops, the L2 term) against central finite differences of the
 * reported batch-mean loss, in float32: each model puts the layer under test between others, so that both its
 * parameter gradients and the gradient it passes to the layer below are checked.
 */
class LayerGradientCheckTest {

    static Sequential model(String name) {
        return switch (name) {
            case "conv-valid" -> Sequential.input(5, 5, 2).conv2d(3, 3, Activation.TANH)
                    .conv2d(2, 2, Activation.TANH).flatten().dense(3, Activation.SOFTMAX).seed(1).build();
            case "conv-same-stride" -> Sequential.input(5, 6, 2).conv2d(3, 3, 2, "same", Activation.TANH)
                    .conv2d(2, 3, 1, "same", Activation.IDENTITY).flatten().dense(3, Activation.SOFTMAX).seed(2)
                    .build();
            case "maxpool" -> Sequential.input(6, 6, 1).conv2d(2, 3, 1, "same", Activation.TANH).maxPool(2)
                    .flatten().dense(3, Activation.SOFTMAX).seed(3).build();
            case "maxpool-same" -> Sequential.input(5, 5, 1).conv2d(2, 2, Activation.TANH).maxPool(3, 2, "same")
                    .flatten().dense(3, Activation.SOFTMAX).seed(4).build();
            case "avgpool" -> Sequential.input(5, 5, 2).conv2d(2, 2, Activation.TANH).avgPool(2, 1, "same")
                    .avgPool(2).flatten().dense(3, Activation.SOFTMAX).seed(5).build();
            case "global-avg-pool" -> Sequential.input(4, 4, 2).conv2d(3, 3, 1, "same", Activation.TANH)
                    .globalAvgPool().dense(3, Activation.SOFTMAX).seed(6).build();
            case "batchnorm-image" -> Sequential.input(4, 4, 2).conv2d(3, 3, 1, "same", Activation.TANH)
                    .batchNorm().flatten().dense(3, Activation.SOFTMAX).seed(7).build();
            case "batchnorm-dense" -> Sequential.input(4).dense(5, Activation.TANH).batchNorm()
                    .dense(3, Activation.SOFTMAX).seed(8).build();
            case "dropout" -> Sequential.input(4, 4, 1).conv2d(2, 3, Activation.TANH).flatten().dropout(0.4)
                    .dense(4, Activation.TANH).dropout(0.2).dense(3, Activation.SOFTMAX).seed(9).build();
            case "l2" -> Sequential.input(3, 3, 2).conv2d(2, 2, Activation.TANH).l2(0.05).flatten()
                    .dense(4, Activation.TANH).l2(0.1).dense(3, Activation.SOFTMAX).seed(10).build();
            case "relu-cnn" -> Sequential.input(6, 6, 1).conv2d(3, 3, Activation.RELU).batchNorm().maxPool(2)
                    .flatten().dense(4, Activation.RELU).dense(3, Activation.SOFTMAX).seed(11).build();
            default -> throw new AssertionError(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv-valid", "conv-same-stride", "maxpool", "maxpool-same", "avgpool", "global-avg-pool",
        "batchnorm-image", "batchnorm-dense", "dropout", "l2", "relu-cnn"})
    void backpropMatchesFiniteDifferences(String name) {
        Sequential model = model(name);
        // Perturb the initial parameters so that biases, gamma and beta are not at special values.
        Random r = new Random(name.hashCode());
        INDArray params = model.params();
        for (long i = 0; i < params.length(); i++) {
            params.putScalar(i, params.getDouble(i) + 0.1 * r.nextGaussian());
        }
        int rows = 6;
        INDArray x = Nd4j.create(DataType.FLOAT, rows, model.inputWidth());
        INDArray y = Nd4j.create(DataType.FLOAT, rows, 3);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < model.inputWidth(); j++) {
                x.putScalar(i, j, r.nextGaussian());
            }
            y.putScalar(i, r.nextInt(3), 1.0);
        }
        Network net = new Network(model, Loss.SOFTMAX_CROSS_ENTROPY, new BuiltInMetric[0]);
        Network.Frame frame = net.frame(rows);
        INDArray lossOut = Nd4j.create(DataType.FLOAT, rows, 1);
        // Every forward pass draws the same dropout masks.
        long root = model.dropoutRandom() == null ? 0 : model.dropoutRandom().rootState();
        long node = model.dropoutRandom() == null ? 0 : model.dropoutRandom().nodeState();
        Runnable sameMasks = () -> {
            if (model.dropoutRandom() != null) {
                model.dropoutRandom().setStates(root, node);
            }
        };
        sameMasks.run();
        net.forward(frame, x, true);
        net.score(frame, y, lossOut, new INDArray[0]);
        net.backward(frame, x, y);
        INDArray analytic = net.gradient().dup();
        assertThat(analytic.amaxNumber().doubleValue()).isGreaterThan(0.0);

        Supplier<Double> meanLoss = () -> {
            sameMasks.run();
            net.forward(frame, x, true);
            net.score(frame, y, lossOut, new INDArray[0]);
            return lossOut.sumNumber().doubleValue() / rows;
        };
        double eps = name.contains("relu") || name.contains("maxpool") ? 5e-4 : 1e-2;
        int checked = 0;
        for (long i = 0; i < params.length(); i++) {
            double p = params.getDouble(i);
            params.putScalar(i, p + eps);
            double plus = meanLoss.get();
            params.putScalar(i, p - eps);
            double minus = meanLoss.get();
            params.putScalar(i, p);
            double numeric = (plus - minus) / (2 * eps);
            double a = analytic.getDouble(i);
            assertWithMessage("%s: d loss / d param %s", name, i)
                    .that(a).isWithin(3e-3 + 3e-2 * Math.abs(numeric)).of(numeric);
            checked++;
        }
        assertThat(checked).isEqualTo(model.paramCount());
    }

    @Test
    void l2AddsItsPenaltyToTheLoss() {
        Sequential plain = model("l2");
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, plain.inputWidth());
        INDArray y = Nd4j.create(DataType.FLOAT, 4, 3);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        Network net = new Network(plain, Loss.SOFTMAX_CROSS_ENTROPY, new BuiltInMetric[0]);
        Network.Frame f = net.frame(4);
        INDArray withPenalty = Nd4j.create(DataType.FLOAT, 4, 1);
        net.evaluate(f, x, y, withPenalty, new INDArray[0]);
        Sequential unregularised = Sequential.input(3, 3, 2).conv2d(2, 2, Activation.TANH).flatten()
                .dense(4, Activation.TANH).dense(3, Activation.SOFTMAX).seed(10).build();
        unregularised.setParams(plain.params());
        Network net2 = new Network(unregularised, Loss.SOFTMAX_CROSS_ENTROPY, new BuiltInMetric[0]);
        INDArray without = Nd4j.create(DataType.FLOAT, 4, 1);
        net2.evaluate(net2.frame(4), x, y, without, new INDArray[0]);
        double penalty = 0.05 * plain.weights(0).mul(plain.weights(0)).sumNumber().doubleValue()
                + 0.1 * plain.weights(2).mul(plain.weights(2)).sumNumber().doubleValue();
        for (int i = 0; i < 4; i++) {
            assertThat(withPenalty.getDouble(i, 0) - without.getDouble(i, 0)).isWithin(1e-5).of(penalty);
        }
    }
}
