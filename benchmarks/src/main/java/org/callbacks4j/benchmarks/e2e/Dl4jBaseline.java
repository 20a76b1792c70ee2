package org.callbacks4j.benchmarks.e2e;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The DL4J baseline: a {@code MultiLayerNetwork} with the same layers, initialisation (He for the ReLU layers, Glorot
 * uniform for the softmax output, zero biases), loss (softmax cross-entropy, MCXENT), Adam 1e-3, float32 and batch
 * 128 as ours. Its best setup on this data: the whole set as one {@code DataSet} shuffled in place each epoch, batch
 * views made once, one {@code fit(DataSet)} per batch (no iterator, no prefetch thread), workspaces on (the default).
 */
final class Dl4jBaseline {

    private final MultiLayerNetwork net;
    private final DataSet all;
    private final List<DataSet> batches = new ArrayList<>();
    private int epoch;

    Dl4jBaseline(int[] widths, INDArray features, INDArray labels, int batchSize, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .list();
        for (int l = 1; l < widths.length - 1; l++) {
            list.layer(new DenseLayer.Builder().nIn(widths[l - 1]).nOut(widths[l])
                    .activation(Activation.RELU).weightInit(WeightInit.RELU).build());
        }
        int last = widths.length - 1;
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(widths[last - 1]).nOut(widths[last])
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER_UNIFORM).build());
        MultiLayerConfiguration conf = list.build();
        this.net = new MultiLayerNetwork(conf);
        net.init();
        // Its own copy: shuffle() works in place.
        this.all = new DataSet(features.dup(), labels.dup());
        long rows = features.size(0);
        for (long start = 0; start < rows; start += batchSize) {
            long end = Math.min(rows, start + batchSize);
            batches.add(new DataSet(
                    all.getFeatures().get(NDArrayIndex.interval(start, end), NDArrayIndex.all()),
                    all.getLabels().get(NDArrayIndex.interval(start, end), NDArrayIndex.all())));
        }
    }

    /** One epoch; returns the loss of its last batch (DL4J's score). */
    double epoch(long seed) {
        all.shuffle(seed + epoch++);
        for (DataSet batch : batches) {
            net.fit(batch);
        }
        return net.score();
    }

    /** Accuracy on {@code features}/{@code labels}, for the smoke run's sanity check. */
    double accuracy(INDArray features, INDArray labels) {
        INDArray out = net.output(features, false);
        return out.argMax(1).eq(labels.argMax(1)).castTo(DataType.FLOAT).meanNumber().doubleValue();
    }
}
