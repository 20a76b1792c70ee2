package org.callbacks4j.internal.train;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.loss.SoftmaxCrossEntropyLoss;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The Java softmax and cross-entropy of a dense softmax output, against libnd4j's ops, which they replace. */
class HostSoftmaxTest {

    @Test
    void expIsMathExpToDoublePrecisionAndRoundsToTheSameFloats() {
        Random random = new Random(11);
        double[] xs = new double[2_000_000];
        for (int i = 0; i < xs.length; i++) {
            // Softmax's range, z - max, and the reduction's boundaries at multiples of ln(2) / 2.
            xs[i] = i % 4 == 0 ? -(i / 4) * Math.log(2) / 2 * 1e-4 : -160 * random.nextDouble() * random.nextDouble();
        }
        int floatMismatches = 0;
        for (double x : xs) {
            double expected = Math.exp(x);
            double actual = HostSoftmax.exp(x);
            if (x >= -150) { // below, both round to float 0
                assertWithMessage("exp(%s)", x).that(Math.abs(actual - expected) / expected).isLessThan(1e-14);
            }
            if ((float) actual != (float) expected) {
                floatMismatches++;
            }
        }
        // A value within 1e-14 of a float's rounding boundary may round the other way: about one in ten million.
        assertThat(floatMismatches).isAtMost(2);
        assertThat(HostSoftmax.exp(0)).isEqualTo(1.0);
        assertThat(HostSoftmax.exp(-0.0)).isEqualTo(1.0);
        assertThat(HostSoftmax.exp(-200)).isEqualTo(0.0);
        assertThat(HostSoftmax.exp(Double.NEGATIVE_INFINITY)).isEqualTo(0.0);
        assertThat(HostSoftmax.exp(Double.NaN)).isNaN();
    }

    @Test
    void softmaxAndCrossEntropyAreLibnd4jsOpsToFloatRounding() {
        int rows = 37;
        int classes = 10;
        Random random = new Random(5);
        INDArray z = Nd4j.create(DataType.FLOAT, rows, classes);
        INDArray y = Nd4j.create(DataType.FLOAT, rows, classes);
        for (int r = 0; r < rows; r++) {
            double spread = r % 3 == 0 ? 60 : 4; // confident rows, with probabilities that round to 0
            for (int c = 0; c < classes; c++) {
                z.putScalar(r, c, spread * random.nextGaussian());
            }
            if (r % 5 == 4) {
                y.putScalar(r, random.nextInt(classes), 0.25); // a probability row, as Keras allows
                y.putScalar(r, random.nextInt(classes), 0.75);
            } else {
                y.putScalar(r, random.nextInt(classes), 1.0);
            }
        }
        INDArray p = Nd4j.create(DataType.FLOAT, rows, classes);
        INDArray loss = Nd4j.create(DataType.FLOAT, rows, 1);
        HostSoftmax host = HostSoftmax.of(z, p);
        assertThat(host).isNotNull();
        host.softmax();
        assertThat(host.crossEntropy(y, loss)).isTrue();

        INDArray expectedP = Nd4j.create(DataType.FLOAT, rows, classes);
        Nd4j.exec(new SoftMax(z, expectedP));
        INDArray expectedLoss = Nd4j.create(DataType.FLOAT, rows, 1);
        SoftmaxCrossEntropyLoss op = new SoftmaxCrossEntropyLoss(y, z, Nd4j.scalar(DataType.FLOAT, 1f),
                LossReduce.NONE, 0.0);
        op.addOutputArgument(expectedLoss);
        Nd4j.exec(op);
        float[] ours = p.reshape(p.length()).toFloatVector();
        float[] theirs = expectedP.reshape(p.length()).toFloatVector();
        float[] logits = z.reshape(p.length()).toFloatVector();
        int zeros = 0;
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[r * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[r * classes + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                int i = r * classes + c;
                double exact = Math.exp(logits[i] - max) / sum;
                // Ours rounds the exact value once; libnd4j's float z - max alone is off by up to |z - max| ulps.
                assertWithMessage("p[%s]", i).that((double) ours[i]).isWithin(1e-7 * exact + 1e-45).of(exact);
                assertWithMessage("p[%s] against libnd4j's", i).that(ours[i])
                        .isWithin((float) (3e-7 * (1 + max - logits[i]) * exact + 1e-44)).of(theirs[i]);
                zeros += ours[i] == 0 ? 1 : 0;
            }
        }
        assertThat(zeros).isGreaterThan(0);
        float[] ourLoss = loss.reshape(rows).toFloatVector();
        float[] theirLoss = expectedLoss.reshape(rows).toFloatVector();
        for (int r = 0; r < rows; r++) {
            assertWithMessage("loss of row %s", r).that(ourLoss[r])
                    .isWithin(1e-6f * Math.max(1, theirLoss[r])).of(theirLoss[r]);
        }
    }

    @Test
    void nanAndInfinityGoWhereLibnd4jsSoftmaxPutsThem() {
        INDArray z = Nd4j.createFromArray(new float[][] {
            {1f, Float.NaN, 2f}, {Float.NEGATIVE_INFINITY, 0f, 1f}});
        INDArray p = Nd4j.create(DataType.FLOAT, 2, 3);
        HostSoftmax.of(z, p).softmax();
        INDArray expected = Nd4j.create(DataType.FLOAT, 2, 3);
        Nd4j.exec(new SoftMax(z, expected));
        assertThat(p.getRow(0).toFloatVector()).isEqualTo(new float[] {Float.NaN, Float.NaN, Float.NaN});
        assertThat(p.getFloat(1, 0)).isEqualTo(0f);
        assertThat(p.getRow(1).toFloatVector()[2]).isWithin(1e-7f).of(expected.getFloat(1, 2));
    }

    @Test
    void leavesArraysThatDoNotFitToLibnd4jAndScoresOnlyAfterASoftmax() {
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 3);
        INDArray loss = Nd4j.create(DataType.FLOAT, 4, 1);
        INDArray wide = Nd4j.rand(DataType.FLOAT, 4, 6);
        INDArray strided = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        INDArray p = Nd4j.create(DataType.FLOAT, 4, 3);
        assertThat(HostSoftmax.of(strided, p)).isNull();
        assertThat(HostSoftmax.of(Nd4j.rand(DataType.DOUBLE, 4, 3), p)).isNull();
        assertThat(HostSoftmax.of(Nd4j.rand(DataType.FLOAT, 5, 3), p)).isNull();
        assertThat(p.sumNumber().doubleValue()).isEqualTo(0.0); // nothing written
        HostSoftmax host = HostSoftmax.of(Nd4j.rand(DataType.FLOAT, 4, 3), p);
        assertThat(host.crossEntropy(y, loss)).isFalse(); // no logits yet
        host.softmax();
        assertThat(host.crossEntropy(strided, loss)).isFalse(); // labels that do not fit
        assertThat(host.crossEntropy(y, loss)).isTrue();
    }
}
