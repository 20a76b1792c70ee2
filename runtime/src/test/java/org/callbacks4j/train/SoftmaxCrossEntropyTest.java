package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.util.Random;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The trainer's softmax cross-entropy (computed in Java from the logits, and the softmax minus the labels) against
 * ND4J's {@code LossMCXENT}, which it replaces on the hot path: the same per-example losses to float rounding, and the
 * same gradient.
 */
class SoftmaxCrossEntropyTest {

    @Test
    void lossAndGradientAreThoseOfLossMcxent() {
        int rows = 37;
        int classes = 7;
        Sequential model = Sequential.input(5).dense(classes, Activation.SOFTMAX).seed(3).build();
        Network net = new Network(model, Loss.SOFTMAX_CROSS_ENTROPY, new BuiltInMetric[0]);
        Network.Frame frame = net.frame(rows);
        Random random = new Random(8);
        INDArray x = Nd4j.create(DataType.FLOAT, rows, 5);
        INDArray y = Nd4j.create(DataType.FLOAT, rows, classes);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 5; j++) {
                x.putScalar(i, j, 4 * random.nextGaussian()); // confident and wrong predictions too
            }
            if (i % 5 == 4) {
                // Soft labels: a probability row, as Keras's categorical_crossentropy allows.
                y.putScalar(i, random.nextInt(classes), 0.25);
                y.putScalar(i, random.nextInt(classes), 0.75);
            } else {
                y.putScalar(i, random.nextInt(classes), 1.0);
            }
        }
        INDArray lossOut = Nd4j.create(DataType.FLOAT, rows, 1);

        net.forward(frame, x, true);
        net.score(frame, y, lossOut, new INDArray[0]);
        float[] outputs = net.output(frame).reshape((long) rows * classes).toFloatVector();
        float[] logits = frame.z[0].reshape((long) rows * classes).toFloatVector();
        net.backward(frame, x, y);

        INDArray preOutput = x.mmul(model.weights(0)).addiRowVector(model.bias(0));
        LossMCXENT reference = new LossMCXENT();
        float[] expected = reference.computeScoreArray(y, preOutput, new ActivationSoftmax(), null).toFloatVector();
        float[] actual = lossOut.toFloatVector();
        for (int i = 0; i < rows; i++) {
            assertWithMessage("loss of row %s", i).that(actual[i]).isWithin(1e-5f * Math.max(1, expected[i]))
                    .of(expected[i]);
        }
        // The outputs are the softmax computed in double and rounded once (HostSoftmax), closer to exact than libnd4j's
        // float op, whose error grows with a probability's distance from the row's largest.
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, logits[i * classes + j]);
            }
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(logits[i * classes + j] - max);
            }
            for (int j = 0; j < classes; j++) {
                double exact = Math.exp(logits[i * classes + j] - max) / sum;
                assertWithMessage("output [%s, %s]", i, j).that((double) outputs[i * classes + j])
                        .isWithin(1e-7 * exact + 1e-45).of(exact);
            }
        }
        // The bias gradient is the column mean of the per-example gradient.
        INDArray perExample = reference.computeGradient(y, preOutput, new ActivationSoftmax(), null);
        float[] biasGradient = perExample.mean(0).toFloatVector();
        float[] ours = net.gradient().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(5L * classes, 6L * classes)).toFloatVector();
        for (int j = 0; j < classes; j++) {
            assertThat(ours[j]).isWithin(1e-6f).of(biasGradient[j]);
        }
    }
}
