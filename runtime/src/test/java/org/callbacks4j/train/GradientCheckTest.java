package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertWithMessage;

import java.util.Random;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The backward pass against central finite differences of the reported (batch-mean) loss. */
class GradientCheckTest {

    @ParameterizedTest
    @CsvSource({
        "TANH, SOFTMAX, SOFTMAX_CROSS_ENTROPY",
        "RELU, SOFTMAX, SOFTMAX_CROSS_ENTROPY",
        "SIGMOID, SIGMOID, BINARY_CROSS_ENTROPY",
        "ELU, IDENTITY, MSE",
        "TANH, IDENTITY, MAE",
        "SOFTMAX, TANH, MSE",
    })
    void backpropMatchesFiniteDifferences(Activation hidden, Activation output, Loss loss) {
        Sequential model = Sequential.input(3).dense(4, hidden).dense(3, Activation.TANH).dense(2, output)
                .seed(11).build();
        int rows = 5;
        Random r = new Random(3);
        INDArray x = Nd4j.create(DataType.FLOAT, rows, 3);
        INDArray y = Nd4j.create(DataType.FLOAT, rows, 2);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 3; j++) {
                x.putScalar(i, j, r.nextGaussian());
            }
            switch (loss) {
                case SOFTMAX_CROSS_ENTROPY -> y.putScalar(i, r.nextInt(2), 1.0);
                case BINARY_CROSS_ENTROPY -> {
                    y.putScalar(i, 0, r.nextInt(2));
                    y.putScalar(i, 1, r.nextInt(2));
                }
                // Far from any output, so |y - p| keeps its sign under the perturbation.
                default -> {
                    y.putScalar(i, 0, 3 + r.nextDouble());
                    y.putScalar(i, 1, -3 - r.nextDouble());
                }
            }
        }
        Network net = new Network(model, loss, new BuiltInMetric[0]);
        Network.Frame frame = net.frame(rows);
        INDArray lossOut = Nd4j.create(DataType.FLOAT, rows, 1);

        net.forward(frame, x, true);
        net.score(frame, y, lossOut, new INDArray[0]);
        net.backward(frame, x, y);
        INDArray analytic = net.gradient().dup();

        INDArray params = model.params();
        // ReLU has a kink at 0: a smaller step keeps the pre-activations near it on one side.
        double eps = hidden == Activation.RELU ? 1e-3 : 1e-2;
        for (long i = 0; i < params.length(); i++) {
            double p = params.getDouble(i);
            params.putScalar(i, p + eps);
            double plus = meanLoss(net, frame, x, y, lossOut);
            params.putScalar(i, p - eps);
            double minus = meanLoss(net, frame, x, y, lossOut);
            params.putScalar(i, p);
            double numeric = (plus - minus) / (2 * eps);
            double a = analytic.getDouble(i);
            assertWithMessage("d loss / d param %s (%s, %s, %s)", i, hidden, output, loss)
                    .that(a).isWithin(2e-3 + 2e-2 * Math.abs(numeric)).of(numeric);
        }
    }

    private static double meanLoss(Network net, Network.Frame frame, INDArray x, INDArray y, INDArray lossOut) {
        net.forward(frame, x, true);
        net.score(frame, y, lossOut, new INDArray[0]);
        return lossOut.sumNumber().doubleValue() / lossOut.length();
    }
}
