package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Keras's clipnorm (per variable) and clipvalue, applied to the gradient before the optimizer's step. */
class GradientClippingTest {

    private static Sequential model() {
        return Sequential.input(2, 2, 1).conv2d(2, 2, Activation.TANH).flatten().dense(3, Activation.SOFTMAX)
                .seed(5).build();
    }

    /** The gradient of one batch, and the parameter change of one SGD step (lr 1) with {@code sgd}. */
    private static INDArray[] step(Sgd sgd) {
        Sequential model = model();
        INDArray x = Nd4j.createFromArray(new float[][] {{4, -3, 2, 5}, {-6, 1, 3, -2}});
        INDArray y = Nd4j.createFromArray(new float[][] {{1, 0, 0}, {0, 0, 1}});
        Network plain = new Network(model.copy(), Loss.SOFTMAX_CROSS_ENTROPY, new BuiltInMetric[0]);
        Network.Frame pf = plain.frame(2);
        plain.forward(pf, x, true);
        plain.backward(pf, x, y);
        INDArray gradient = plain.gradient().dup();
        INDArray before = model.params().dup();
        Network net = new Network(model, Loss.SOFTMAX_CROSS_ENTROPY, new BuiltInMetric[0]);
        net.trainStep(net.frame(2), x, y, Nd4j.create(DataType.FLOAT, 2, 1), new INDArray[0],
                new OptimizerState(sgd, model.paramCount()), 0);
        return new INDArray[] {gradient, before.sub(model.params())};
    }

    @Test
    void clipNormScalesEachVariableToTheNorm() {
        INDArray[] r = step(Sgd.lr(1.0).clipNorm(0.05));
        INDArray g = r[0];
        INDArray update = r[1];
        // Variables in order: conv kernel (8), conv bias (2), dense kernel (6), dense bias (3).
        long[][] variables = {{0, 8}, {8, 10}, {10, 16}, {16, 19}};
        int clipped = 0;
        for (long[] v : variables) {
            INDArray gv = g.get(NDArrayIndex.point(0), NDArrayIndex.interval(v[0], v[1]));
            INDArray uv = update.get(NDArrayIndex.point(0), NDArrayIndex.interval(v[0], v[1]));
            double norm = gv.norm2Number().doubleValue();
            double factor = norm > 0.05 ? 0.05 / norm : 1.0;
            clipped += norm > 0.05 ? 1 : 0;
            for (long i = 0; i < gv.length(); i++) {
                assertThat(uv.getDouble(i)).isWithin(1e-6).of(gv.getDouble(i) * factor);
            }
        }
        assertThat(clipped).isAtLeast(2);
    }

    @Test
    void clipValueClipsEveryValue() {
        INDArray[] r = step(Sgd.lr(1.0).clipValue(0.02));
        int clipped = 0;
        for (long i = 0; i < r[0].length(); i++) {
            double g = r[0].getDouble(i);
            clipped += Math.abs(g) > 0.02 ? 1 : 0;
            assertThat(r[1].getDouble(i)).isWithin(1e-6).of(Math.max(-0.02, Math.min(0.02, g)));
        }
        assertThat(clipped).isAtLeast(2);
    }

    @Test
    void withoutClippingTheUpdateIsTheGradient() {
        INDArray[] r = step(Sgd.lr(1.0));
        for (long i = 0; i < r[0].length(); i++) {
            assertThat(r[1].getDouble(i)).isWithin(1e-6).of(r[0].getDouble(i));
        }
    }

    @Test
    void onlyOneOfClipNormAndClipValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Adam.lr(1e-3).clipNorm(1).clipValue(0.5));
        assertThat(e).hasMessageThat().contains("only one of clipnorm and clipvalue");
        assertThat(assertThrows(IllegalArgumentException.class, () -> Sgd.lr(0.1).clipNorm(-1)))
                .hasMessageThat().contains("clipNorm -1.0 must be a finite number > 0");
        assertThat(Adam.lr(1e-3).clipNorm(1).toString()).contains("clipNorm=1.0");
        assertThat(RmsProp.lr(1e-3).clipValue(0.5).clipValue()).isEqualTo(0.5);
    }
}
