package org.callbacks4j.samples.dl4j;

import java.util.List;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.dl4j.Dl4jFit;
import org.callbacks4j.dl4j.Dl4jTrainer;
import org.callbacks4j.samples.digits.DigitsData;
import org.callbacks4j.samples.digits.DigitsSample;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A DL4J convolutional network on the 8x8 digits, trained by DL4J's own {@code fit} with the callbacks of
 * {@link DigitsCnnTraining}: early stopping on {@code val_f1} with the best weights restored, the best checkpoint in
 * DL4J's format, the learning rate halved on plateaus, a CSV log and TensorBoard events. Run it with
 * {@code mvn -pl samples exec:exec -Dexec.mainClass=org.callbacks4j.samples.dl4j.DigitsCnnSample}.
 */
public final class DigitsCnnSample {

    static final int EPOCHS = 40;
    static final int BATCH_SIZE = 32;

    private DigitsCnnSample() {}

    public static void main(String[] args) {
        Dataset.Split parts = DigitsSample.splits();
        Dataset.Split trainParts = parts.head().split(0.2);
        MultiLayerNetwork net = network();
        System.out.println(net.summary());

        History history = Dl4jTrainer.fit(net, iterator(trainParts.head()), fit(iterator(trainParts.tail())),
                new DigitsCnnTraining(System.out));

        Evaluation test = net.evaluate(iterator(parts.tail()));
        System.out.printf("Test (%d held-out images): accuracy %.4f  f1 %.4f%n", parts.tail().size(),
                test.accuracy(), test.f1());
        history.stoppedBy().ifPresent(by -> System.out.printf("Stopped by %s in epoch %d%n",
                by, history.stoppedEpoch().getAsInt() + 1));
        System.out.println("Run folder " + DigitsCnnTraining.RUN_DIR + ": history.csv, tensorboard/, best.zip "
                + "(ModelSerializer.restoreMultiLayerNetwork reads it)");
    }

    /** Validation on {@code validation}, DL4J's evaluators for the metrics, one line per epoch. */
    static Dl4jFit fit(DataSetIterator validation) {
        return Dl4jFit.epochs(EPOCHS).validationData(validation).metrics("accuracy", "f1").verbose(2);
    }

    /** Conv 3x3 (16) - max pool 2x2 - dense 64 - softmax 10, on the flat 64 pixels seen as an 8x8 image. */
    public static MultiLayerNetwork network() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.RELU)
                .updater(new Adam(2e-3))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(DigitsData.CLASSES)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutionalFlat(8, 8, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * The rows of {@code data} in batches of {@value #BATCH_SIZE}, in order, made once (an iterator over a list of
     * single rows would merge every batch anew each epoch); resettable, as the fit needs.
     */
    public static DataSetIterator iterator(Dataset data) {
        List<DataSet> batches = new DataSet(data.features(), data.labels()).batchBy(BATCH_SIZE);
        return new ExistingDataSetIterator(batches);
    }
}
