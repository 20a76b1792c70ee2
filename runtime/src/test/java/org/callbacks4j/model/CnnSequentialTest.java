package org.callbacks4j.model;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Image models: shapes, Keras names and parameter counts, the parameter and state layout, and the builder's checks. */
class CnnSequentialTest {

    /** A Keras-classic Fashion-MNIST CNN; Keras reports 422,026 parameters (192 non-trainable) for it. */
    static Sequential fashion() {
        return Sequential.input(28, 28, 1)
                .conv2d(32, 3, 1, "same", Activation.RELU).batchNorm().maxPool(2)
                .conv2d(64, 3, 1, "same", Activation.RELU).batchNorm().maxPool(2)
                .flatten().dropout(0.4).dense(128, Activation.RELU).dropout(0.3).dense(10, Activation.SOFTMAX)
                .seed(42).build();
    }

    @Test
    void shapesNamesAndCountsAreKeras() {
        Sequential m = fashion();
        assertThat(m.inputWidth()).isEqualTo(784);
        assertThat(m.inputShape()).isEqualTo(new int[] {28, 28, 1});
        String[] names = {"conv2d", "batch_normalization", "max_pooling2d", "conv2d_1", "batch_normalization_1",
            "max_pooling2d_1", "flatten", "dropout", "dense", "dropout_1", "dense_1"};
        int[][] shapes = {{28, 28, 32}, {28, 28, 32}, {14, 14, 32}, {14, 14, 64}, {14, 14, 64}, {7, 7, 64}, {3136},
            {3136}, {128}, {128}, {10}};
        long[] params = {320, 64, 0, 18_496, 128, 0, 0, 0, 401_536, 0, 1_290};
        for (int i = 0; i < names.length; i++) {
            Layer layer = m.layers().get(i);
            assertThat(layer.name()).isEqualTo(names[i]);
            assertThat(layer.outputShape()).isEqualTo(shapes[i]);
            assertThat(layer.paramCount()).isEqualTo(params[i]);
        }
        assertThat(m.paramCount()).isEqualTo(421_834);
        assertThat(m.stateCount()).isEqualTo(192);
        assertThat(m.paramsAndState().length()).isEqualTo(422_026);
        assertThat(m.outputWidth()).isEqualTo(10);
    }

    @Test
    void summaryIsKerasTable() {
        String s = fashion().summary();
        assertThat(s).containsMatch("conv2d \\(Conv2D\\)\\s+\\(None, 28, 28, 32\\)\\s+320\n");
        assertThat(s).containsMatch("batch_normalization \\(BatchNormalization\\)\\s+\\(None, 28, 28, 32\\)\\s+128\n");
        assertThat(s).containsMatch("max_pooling2d_1 \\(MaxPooling2D\\)\\s+\\(None, 7, 7, 64\\)\\s+0\n");
        assertThat(s).containsMatch("flatten \\(Flatten\\)\\s+\\(None, 3136\\)\\s+0\n");
        assertThat(s).containsMatch("dense \\(Dense\\)\\s+\\(None, 128\\)\\s+401,536\n");
        assertThat(s).contains("Total params: 422,026 (1.61 MB)");
        assertThat(s).contains("Trainable params: 421,834 (1.61 MB)");
        assertThat(s).contains("Non-trainable params: 192 (768.00 B)");
    }

    @Test
    void layerViewsShareTheFlatVectors() {
        Sequential m = fashion();
        INDArray kernel = m.weights(0);
        assertThat(kernel.shape()).isEqualTo(new long[] {3, 3, 1, 32});
        kernel.putScalar(new long[] {0, 0, 0, 1}, 7f);
        assertThat(m.params().getFloat(1)).isEqualTo(7f); // C order: [kH, kW, iC, oC]
        assertThat(m.bias(0).shape()).isEqualTo(new long[] {1, 32});
        // batch norm: gamma 1, beta 0 (parameters); moving mean 0, variance 1 (state, after all parameters)
        assertThat(m.weights(1).minNumber().doubleValue()).isEqualTo(1.0);
        assertThat(m.bias(1).maxNumber().doubleValue()).isEqualTo(0.0);
        assertThat(m.movingMean(1).maxNumber().doubleValue()).isEqualTo(0.0);
        assertThat(m.movingVariance(1).minNumber().doubleValue()).isEqualTo(1.0);
        m.movingMean(4).putScalar(0, 3f);
        assertThat(m.state().getFloat(64)).isEqualTo(3f);
        assertThat(m.paramsAndState().getFloat(m.paramCount() + 64)).isEqualTo(3f);
        assertThrows(IllegalArgumentException.class, () -> m.weights(2));
        assertThrows(IllegalArgumentException.class, () -> m.movingMean(0));
    }

    @Test
    void copyCarriesStateAndTheDropoutGenerator() {
        Sequential m = fashion();
        m.movingVariance(1).assign(2);
        m.dropoutRandom().nextLong();
        Sequential c = m.copy();
        assertThat(c.paramsAndState().toFloatVector()).isEqualTo(m.paramsAndState().toFloatVector());
        assertThat(c.dropoutRandom().rootState()).isEqualTo(m.dropoutRandom().rootState());
        assertThat(c.dropoutRandom().nodeState()).isEqualTo(m.dropoutRandom().nodeState());
        c.state().addi(1);
        assertThat(m.movingVariance(1).getFloat(0)).isEqualTo(2f);
    }

    @Test
    void setStateAndParamsAndStateCheckTheirLength() {
        Sequential m = fashion();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.setState(Nd4j.create(DataType.FLOAT, 1, 5)));
        assertThat(e).hasMessageThat().contains("holds 5 values but this model has 192 state values");
        INDArray all = Nd4j.rand(DataType.FLOAT, 1, 422_026);
        m.setParamsAndState(all);
        assertThat(m.movingVariance(4).getFloat(63)).isEqualTo(all.getFloat(422_025));
    }

    @Test
    void paddingAndStridesGiveKerasOutputSizes() {
        Sequential m = Sequential.input(7, 5, 3).conv2d(4, 3, 2, "same", Activation.RELU)
                .conv2d(2, new int[] {2, 3}, new int[] {1, 1}, Padding.VALID, Activation.TANH, WeightInit.XAVIER)
                .avgPool(2, 1, "same").globalAvgPool().dense(1, Activation.SIGMOID).build();
        assertThat(m.layers().get(0).outputShape()).isEqualTo(new int[] {4, 3, 4}); // ceil(7/2), ceil(5/2)
        assertThat(m.layers().get(1).outputShape()).isEqualTo(new int[] {3, 1, 2});
        assertThat(m.layers().get(2).outputShape()).isEqualTo(new int[] {3, 1, 2});
        assertThat(m.layers().get(3).outputShape()).isEqualTo(new int[] {2});
        assertThat(m.layers().get(1).kernelCount()).isEqualTo(2 * 3 * 4 * 2);
    }

    @Test
    void builderErrorsNameTheLayerAndTheFix() {
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> Sequential.input(4, 4, 1).conv2d(2, 3, Activation.RELU).dense(3, Activation.SOFTMAX)))
                .hasMessageThat().contains("add .flatten() or .globalAvgPool() before it");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> Sequential.input(16).conv2d(2, 3, Activation.RELU)))
                .hasMessageThat().contains("start the model with Sequential.input(height, width, channels)");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> Sequential.input(4, 4, 1).maxPool(5)))
                .hasMessageThat().contains("a 5x5 window with \"valid\" padding does not fit its 4x4 input");
        assertThat(assertThrows(IllegalStateException.class,
                () -> Sequential.input(4, 4, 1).maxPool(2).l2(0.1)))
                .hasMessageThat().contains("call it right after a dense(..) or conv2d(..)");
        assertThat(assertThrows(IllegalArgumentException.class, () -> Sequential.input(4).dropout(1.0)))
                .hasMessageThat().contains("dropout rate 1.0 (layer 0) is outside [0, 1)");
        assertThat(assertThrows(IllegalStateException.class,
                () -> Sequential.input(4, 4, 1).conv2d(2, 3, Activation.RELU).build()))
                .hasMessageThat().contains("end it with flat outputs");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> Sequential.input(4, 4, 1).conv2d(2, 3, 1, "full", Activation.RELU)))
                .hasMessageThat().contains("padding \"full\" is not one Keras knows");
        assertThat(assertThrows(IllegalArgumentException.class, () -> Sequential.input(0, 4, 1)))
                .hasMessageThat().contains("input shape 0x4x1");
    }
}
