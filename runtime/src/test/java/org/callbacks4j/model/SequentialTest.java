package org.callbacks4j.model;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SequentialTest {

    private static Sequential model(long seed) {
        return Sequential.input(64).dense(128, Activation.RELU).dense(10, Activation.SOFTMAX).seed(seed).build();
    }

    @Test
    void shapesAndParameterCount() {
        Sequential m = model(42);
        assertThat(m.inputWidth()).isEqualTo(64);
        assertThat(m.outputWidth()).isEqualTo(10);
        assertThat(m.paramCount()).isEqualTo(64 * 128 + 128 + 128 * 10 + 10);
        assertThat(m.params().shape()).isEqualTo(new long[] {1, m.paramCount()});
        assertThat(m.params().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(m.layers()).hasSize(2);
        Layer first = m.layers().get(0);
        assertThat(first.name()).isEqualTo("dense");
        assertThat(first.inputs()).isEqualTo(64);
        assertThat(first.units()).isEqualTo(128);
        assertThat(first.activation()).isEqualTo(Activation.RELU);
        assertThat(first.weightInit()).isEqualTo(WeightInit.HE);
        assertThat(m.layers().get(1).name()).isEqualTo("dense_1");
        assertThat(m.layers().get(1).weightInit()).isEqualTo(WeightInit.XAVIER);
    }

    @Test
    void layerArraysAreViewsIntoTheFlatVectorInDocumentedOrder() {
        Sequential m = Sequential.input(2).dense(3, Activation.TANH).dense(1, Activation.IDENTITY).build();
        INDArray flat = Nd4j.linspace(DataType.FLOAT, 1, m.paramCount(), 1);
        m.setParams(flat);
        // W0 [2,3] row-major, b0 [3], W1 [3,1], b1 [1].
        assertThat(m.weights(0).toFloatMatrix()).isEqualTo(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertThat(m.bias(0).toFloatVector()).isEqualTo(new float[] {7, 8, 9});
        assertThat(m.weights(1).toFloatMatrix()).isEqualTo(new float[][] {{10}, {11}, {12}});
        assertThat(m.bias(1).toFloatVector()).isEqualTo(new float[] {13});
        m.weights(1).putScalar(0, 0, -1);
        assertThat(m.params().getFloat(9)).isEqualTo(-1f);
        m.params().putScalar(12, 100);
        assertThat(m.bias(1).getFloat(0)).isEqualTo(100f);
    }

    @Test
    void predictComputesTheLayers() {
        Sequential m = Sequential.input(2).dense(2, Activation.RELU).dense(1, Activation.SIGMOID).build();
        // W0 = [[1, -1], [2, 0]], b0 = [0, 1], W1 = [[1], [1]], b1 = [-1]
        m.setParams(Nd4j.create(new float[] {1, -1, 2, 0, 0, 1, 1, 1, -1}));
        INDArray out = m.predict(Nd4j.create(new float[][] {{1, 1}, {-1, 0}}));
        // row 0: relu([3, 0]) = [3, 0]; sigmoid(3 + 0 - 1) ; row 1: relu([-1, 2]) = [0, 2]; sigmoid(0 + 2 - 1)
        assertThat(out.getDouble(0, 0)).isWithin(1e-6).of(1 / (1 + Math.exp(-2)));
        assertThat(out.getDouble(1, 0)).isWithin(1e-6).of(1 / (1 + Math.exp(-1)));
    }

    @Test
    void sameSeedSameWeightsAndOtherSeedOtherWeights() {
        assertThat(model(42).params().toFloatVector()).isEqualTo(model(42).params().toFloatVector());
        assertThat(model(43).params().toFloatVector()).isNotEqualTo(model(42).params().toFloatVector());
        // Biases start at zero, as Keras.
        assertThat(model(42).bias(0).sumNumber().doubleValue()).isEqualTo(0.0);
    }

    @Test
    void weightInitsFollowTheirDistributions() {
        int in = 400;
        int out = 200;
        Sequential m = Sequential.input(in)
                .dense(out, Activation.RELU, WeightInit.HE)
                .dense(out, Activation.TANH, WeightInit.HE_UNIFORM)
                .dense(out, Activation.TANH, WeightInit.XAVIER)
                .dense(out, Activation.TANH, WeightInit.XAVIER_NORMAL)
                .seed(1).build();
        INDArray he = m.weights(0);
        assertThat(he.stdNumber().doubleValue()).isWithin(0.05 * Math.sqrt(2.0 / in)).of(Math.sqrt(2.0 / in));
        double heUniformLimit = Math.sqrt(6.0 / out);
        assertThat(m.weights(1).amaxNumber().doubleValue()).isAtMost(heUniformLimit);
        assertThat(m.weights(1).amaxNumber().doubleValue()).isGreaterThan(0.95 * heUniformLimit);
        double glorotLimit = Math.sqrt(6.0 / (out + out));
        assertThat(m.weights(2).amaxNumber().doubleValue()).isAtMost(glorotLimit);
        assertThat(m.weights(2).amaxNumber().doubleValue()).isGreaterThan(0.95 * glorotLimit);
        double glorotStd = Math.sqrt(2.0 / (out + out));
        assertThat(m.weights(3).stdNumber().doubleValue()).isWithin(0.05 * glorotStd).of(glorotStd);
    }

    @Test
    void copyIsIndependent() {
        Sequential m = model(1);
        Sequential c = m.copy();
        assertThat(c.params().toFloatVector()).isEqualTo(m.params().toFloatVector());
        assertThat(c.layers()).isEqualTo(m.layers());
        c.params().addi(1);
        assertThat(c.params().getFloat(0)).isNotEqualTo(m.params().getFloat(0));
    }

    @Test
    void summaryListsLayersShapesAndCounts() {
        String s = model(1).summary();
        assertThat(s).contains("Model: \"sequential\"");
        assertThat(s).containsMatch("dense \\(Dense\\)\\s+\\(None, 128\\)\\s+8,320");
        assertThat(s).containsMatch("dense_1 \\(Dense\\)\\s+\\(None, 10\\)\\s+1,290");
        assertThat(s).contains("Total params: 9,610 (37.54 KB)");
    }
}
