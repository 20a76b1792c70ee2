package org.callbacks4j.benchmarks.e2e;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
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
 * DL4J's equivalent of the Fashion-MNIST sample's CNN ({@code FashionMnistSample.model()}), in DL4J's natural layout
 * (NCHW, its default {@code CNN2DFormat}; the flat 784-pixel rows go in through {@code InputType.convolutionalFlat}):
 * {@code ConvolutionLayer} 32 3x3 "same" ReLU, {@code BatchNormalization}, {@code SubsamplingLayer} max 2x2, the same
 * with 64 filters, {@code DropoutLayer} 0.4, {@code DenseLayer} 128 ReLU, {@code DropoutLayer} 0.3, {@code OutputLayer}
 * 10 softmax with MCXENT. As ours: He normal kernels for the ReLU layers ({@code WeightInit.RELU}), Glorot uniform for
 * the output, zero biases, batch norm with Keras's momentum 0.99 ({@code decay}) and epsilon 1e-3, Adam 1e-3, float32.
 * DL4J's dropout takes the probability of keeping a value, hence 0.6 and 0.7. Its batches as {@link Dl4jBaseline}'s:
 * the whole set as one {@code DataSet} shuffled in place each epoch, batch views made once, one {@code fit} per batch.
 */
final class Dl4jCnn {

    private final MultiLayerNetwork net;
    private final DataSet all;
    private final List<DataSet> batches = new ArrayList<>();
    private int epoch;

    Dl4jCnn(INDArray features, INDArray labels, int batchSize, long seed) {
        this.net = new MultiLayerNetwork(configuration(seed));
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

    static MultiLayerConfiguration configuration(long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .list()
                .layer(conv(32))
                .layer(batchNorm())
                .layer(maxPool())
                .layer(conv(64))
                .layer(batchNorm())
                .layer(maxPool())
                .layer(new DropoutLayer.Builder(1 - 0.4).build())
                .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).weightInit(WeightInit.RELU)
                        .build())
                .layer(new DropoutLayer.Builder(1 - 0.3).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(FashionMnist.CLASSES)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER_UNIFORM).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
    }

    private static ConvolutionLayer conv(int filters) {
        return new ConvolutionLayer.Builder(3, 3).stride(1, 1).convolutionMode(ConvolutionMode.Same).nOut(filters)
                .activation(Activation.RELU).weightInit(WeightInit.RELU).build();
    }

    private static BatchNormalization batchNorm() {
        return new BatchNormalization.Builder().decay(0.99).eps(1e-3).build();
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }

    /** Parameters as DL4J counts them: batch norm's moving mean and variance included. */
    long numParams() {
        return net.numParams();
    }

    /** One epoch; returns the loss of its last batch (DL4J's score). */
    double epoch(long seed) {
        all.shuffle(seed + epoch++);
        for (DataSet batch : batches) {
            net.fit(batch);
        }
        return net.score();
    }

    /** Accuracy on {@code features}/{@code labels} in inference mode. */
    double accuracy(INDArray features, INDArray labels) {
        INDArray out = net.output(features, false);
        return out.argMax(1).eq(labels.argMax(1)).castTo(DataType.FLOAT).meanNumber().doubleValue();
    }
}
