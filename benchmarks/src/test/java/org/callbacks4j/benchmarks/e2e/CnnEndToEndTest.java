package org.callbacks4j.benchmarks.e2e;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.samples.fashion.FashionMnistSample;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CnnEndToEndTest {

    @Test
    void dl4jNetworkHasTheSampleModelsParametersAndState() {
        Sequential ours = FashionMnistSample.model();
        Dl4jCnn dl4j = new Dl4jCnn(Nd4j.rand(DataType.FLOAT, 4, 784), Nd4j.eye(10).getRows(0, 1, 2, 3).castTo(
                DataType.FLOAT), 2, 1);

        // DL4J keeps batch norm's moving mean and variance among its parameters; ours keeps them as state.
        assertThat(dl4j.numParams()).isEqualTo(ours.paramCount() + ours.stateCount());
        assertThat(dl4j.numParams()).isEqualTo(422_026L);
    }

    @Test
    void dl4jNetworkHasTheSampleModelsShapesInNchw() {
        MultiLayerNetwork net = new MultiLayerNetwork(Dl4jCnn.configuration(1));
        net.init();

        List<INDArray> activations = net.feedForward(Nd4j.rand(DataType.FLOAT, 3, 784), false);

        // [input, conv, bn, pool, conv, bn, pool, dropout, dense, dropout, output]
        assertThat(activations.get(1).shape()).isEqualTo(new long[] {3, 32, 28, 28});
        assertThat(activations.get(3).shape()).isEqualTo(new long[] {3, 32, 14, 14});
        assertThat(activations.get(6).shape()).isEqualTo(new long[] {3, 64, 7, 7});
        assertThat(activations.get(8).shape()).isEqualTo(new long[] {3, 128});
        assertThat(activations.get(10).shape()).isEqualTo(new long[] {3, 10});
    }

    @Test
    void dl4jDropoutKeepsTheComplementOfKerasRates() {
        // DL4J's Dropout(p) keeps a value with probability p; Keras's dropout(rate) drops it with probability rate.
        MultiLayerConfiguration conf = Dl4jCnn.configuration(1);
        DropoutLayer first = (DropoutLayer) conf.getConf(6).getLayer();
        DropoutLayer second = (DropoutLayer) conf.getConf(8).getLayer();

        assertThat(((Dropout) first.getIDropout()).getP()).isWithin(1e-12).of(0.6);
        assertThat(((Dropout) second.getIDropout()).getP()).isWithin(1e-12).of(0.7);
        BatchNormalization bn = (BatchNormalization) conf.getConf(1).getLayer();
        assertThat(bn.getDecay()).isWithin(1e-12).of(0.99);
        assertThat(bn.getEps()).isWithin(1e-12).of(1e-3);
    }

    @Test
    void variantNamesGiveThreadCounts() {
        assertThat(CnnEndToEnd.threadsOf("ours-auto")).isEqualTo(0);
        assertThat(CnnEndToEnd.threadsOf("ours-2")).isEqualTo(2);
        assertThat(CnnEndToEnd.threadsOf("dl4j-1")).isEqualTo(1);
        assertThat(CnnEndToEnd.threadsOf("torch-2")).isEqualTo(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CnnEndToEnd.threadsOf("torch-auto"));
        assertThat(e).hasMessageThat().contains("\"torch-auto\"");
        assertThrows(IllegalArgumentException.class, () -> CnnEndToEnd.threadsOf("dl4j-0"));
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertThat(CnnEndToEnd.median(new double[] {3, 1, 2})).isEqualTo(2.0);
        assertThat(CnnEndToEnd.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
        assertThat(CnnEndToEnd.median(new double[0])).isNaN();
    }
}
