package org.callbacks4j.dl4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small deterministic data and networks for the DL4J tests: three overlapping Gaussian blobs in 4 dimensions. */
final class Nets {

    static final int FEATURES = 4;
    static final int CLASSES = 3;

    private Nets() {}

    /** {@code rows} examples drawn with {@code seed}: class k centred at k along every axis, unit noise. */
    static DataSet blobs(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] x = new float[rows][FEATURES];
        float[][] y = new float[rows][CLASSES];
        for (int i = 0; i < rows; i++) {
            int k = i % CLASSES;
            y[i][k] = 1;
            for (int j = 0; j < FEATURES; j++) {
                x[i][j] = (float) (k * 0.8 + gaussian(random) * (j == 0 ? 0.6 : 1.2));
            }
        }
        return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    static DataSetIterator iterator(DataSet data, int batchSize) {
        List<DataSet> rows = data.asList();
        return new ListDataSetIterator<>(rows, batchSize);
    }

    static DataSetIterator train() {
        return iterator(blobs(150, 1), 16);
    }

    static DataSetIterator validation() {
        return iterator(blobs(60, 2), 32);
    }

    static INDArray validationFeatures() {
        return blobs(60, 2).getFeatures();
    }

    static MultiLayerNetwork mlp(double learningRate) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(learningRate))
                .list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static ComputationGraph graph(double learningRate) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(learningRate))
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(FEATURES).nOut(16).activation(Activation.RELU)
                        .build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** The prediction of {@link #sameDiff}: softmax over the classes. */
    static final String SD_OUTPUT = "output";

    /**
     * The MLP of {@link #mlp} as a SameDiff graph (placeholders "input" and "label", variables w0, b0, w1, b1, loss
     * "loss": softmax cross-entropy, mean over the batch), with weights drawn from a fixed seed, so two calls build
     * identical graphs.
     */
    static SameDiff sameDiff(double learningRate) {
        SplittableRandom random = new SplittableRandom(42);
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("input", DataType.FLOAT, -1, FEATURES);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, CLASSES);
        SDVariable w0 = sd.var("w0", xavier(random, FEATURES, 16));
        SDVariable b0 = sd.var("b0", Nd4j.zeros(DataType.FLOAT, 1, 16));
        SDVariable w1 = sd.var("w1", xavier(random, 16, CLASSES));
        SDVariable b1 = sd.var("b1", Nd4j.zeros(DataType.FLOAT, 1, CLASSES));
        SDVariable hidden = sd.nn.relu(in.mmul(w0).add(b0), 0);
        SDVariable logits = hidden.mmul(w1).add(b1);
        sd.nn.softmax(SD_OUTPUT, logits, 1);
        sd.loss.softmaxCrossEntropy("loss", label, logits, null);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(learningRate))
                .dataSetFeatureMapping("input")
                .dataSetLabelMapping("label")
                .build());
        return sd;
    }

    private static INDArray xavier(SplittableRandom random, int in, int out) {
        float[][] w = new float[in][out];
        double scale = Math.sqrt(2.0 / (in + out));
        for (float[] row : w) {
            for (int j = 0; j < out; j++) {
                row[j] = (float) (gaussian(random) * scale);
            }
        }
        return Nd4j.createFromArray(w);
    }

    /** Empties (or creates) {@code dir}, a folder the training classes' annotations name relative to the module. */
    static Path clean(String dir) {
        Path path = Path.of(dir);
        try {
            if (Files.exists(path)) {
                try (Stream<Path> all = Files.walk(path)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            return Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
