package org.callbacks4j.dl4j;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What the fit needs of a network, the same for a {@link MultiLayerNetwork}, a {@link ComputationGraph} and a
 * {@link SameDiff} graph (which share no interface for these): the network's own epoch ({@code fit}), scores,
 * evaluators, parameters, updater state, counters, learning rate and saved form.
 */
abstract sealed class Dl4jNetwork permits Dl4jNetwork.Dl4jModel, SameDiffNetwork {

    static Dl4jNetwork of(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return new Layers(net);
        }
        if (model instanceof ComputationGraph graph) {
            return new Graph(graph);
        }
        throw new IllegalArgumentException("cannot fit a " + (model == null ? "null" : model.getClass().getName())
                + "; pass a MultiLayerNetwork or a ComputationGraph");
    }

    /** The network object the user passed (locked by identity while the fit runs). */
    abstract Object model();

    /** The refusal when another fit trains {@link #model()}: what to do instead. */
    abstract String inUseMessage();

    /** One epoch over {@code iterator}: the network's own loop, its listeners included. */
    abstract void fitEpoch(DataSetIterator iterator);

    /** The mean loss of the last training batch (regularization included), as the network computed it. */
    abstract double score();

    /** The mean loss over {@code batch}, in inference mode. */
    abstract double score(DataSet batch);

    abstract void evaluate(DataSetIterator data, IEvaluation<?>[] evaluations);

    abstract INDArray output(INDArray features);

    /** The parameters as one flat vector: the live vector or a copy; callers neither keep nor modify it. */
    abstract INDArray params();

    /** Copies {@code params} (same length as {@link #params()}) into the parameters. */
    abstract void setParams(INDArray params);

    /** The updater's state as one flat vector (live or a copy, as {@link #params()}), or null when it keeps none. */
    abstract INDArray updaterState();

    /** Copies {@code state} (same length as {@link #updaterState()}) into the updater's state. */
    abstract void setUpdaterState(INDArray state);

    abstract int iterationCount();

    abstract void setIterationCount(int count);

    abstract int epochCount();

    abstract void setEpochCount(int count);

    /** The learning rate of the first layer (or variable) that has one, or NaN. */
    abstract double learningRate();

    /** Sets every layer's learning rate (DL4J replaces a learning-rate schedule with the fixed rate). */
    abstract void setLearningRate(double learningRate);

    /** What a backup must have been written for: the network's structure and training configuration. */
    abstract String configurationJson();

    /** The network's own saved form, which its loader reads back (DL4J's model zip, SameDiff's FlatBuffers). */
    abstract void write(OutputStream out, boolean saveUpdater) throws IOException;

    /** The DL4J networks ({@link Model}s): one flat parameter vector and one updater state view. */
    abstract static sealed class Dl4jModel extends Dl4jNetwork permits Layers, Graph {

        @Override
        abstract Model model();

        @Override
        final String inUseMessage() {
            return "this " + model().getClass().getSimpleName() + " is being trained by another fit (in another "
                    + "thread); one fit at a time per network: wait for it to end, or train a copy (net.clone())";
        }

        @Override
        final INDArray params() {
            return model().params();
        }

        @Override
        final void setParams(INDArray params) {
            model().params().assign(params);
        }

        @Override
        final INDArray updaterState() {
            Updater updater = updater();
            return updater == null ? null : updater.getStateViewArray();
        }

        @Override
        final void setUpdaterState(INDArray state) {
            INDArray view = updaterState();
            view.assign(state.castTo(view.dataType()).reshape(view.shape()));
        }

        abstract Updater updater();

        /** DL4J's model zip ({@link ModelSerializer}), which {@code ModelSerializer.restore...} reads back. */
        @Override
        final void write(OutputStream out, boolean saveUpdater) throws IOException {
            ModelSerializer.writeModel(model(), out, saveUpdater);
        }
    }

    static final class Layers extends Dl4jModel {

        private final MultiLayerNetwork net;

        Layers(MultiLayerNetwork net) {
            this.net = net;
            net.init();
        }

        @Override
        Model model() {
            return net;
        }

        @Override
        void fitEpoch(DataSetIterator iterator) {
            net.fit(iterator);
        }

        @Override
        double score() {
            return net.score();
        }

        @Override
        double score(DataSet batch) {
            return net.score((org.nd4j.linalg.dataset.DataSet) batch, false);
        }

        @Override
        void evaluate(DataSetIterator data, IEvaluation<?>[] evaluations) {
            net.doEvaluation(data, evaluations);
        }

        @Override
        INDArray output(INDArray features) {
            return net.output(features, false);
        }

        @Override
        Updater updater() {
            return net.getUpdater(true);
        }

        @Override
        int iterationCount() {
            return net.getIterationCount();
        }

        @Override
        void setIterationCount(int count) {
            net.setIterationCount(count);
        }

        @Override
        int epochCount() {
            return net.getEpochCount();
        }

        @Override
        void setEpochCount(int count) {
            net.setEpochCount(count);
        }

        @Override
        double learningRate() {
            for (int i = 0; i < net.getnLayers(); i++) {
                Double lr = net.getLearningRate(i);
                if (lr != null) {
                    return lr;
                }
            }
            return Double.NaN;
        }

        @Override
        void setLearningRate(double learningRate) {
            net.setLearningRate(learningRate);
        }

        @Override
        String configurationJson() {
            return net.getLayerWiseConfigurations().toJson();
        }
    }

    static final class Graph extends Dl4jModel {

        private final ComputationGraph graph;
        private final List<String> layerNames = new ArrayList<>();

        Graph(ComputationGraph graph) {
            this.graph = graph;
            graph.init();
            for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
                layerNames.add(layer.conf().getLayer().getLayerName());
            }
            if (graph.getNumOutputArrays() != 1 || graph.getNumInputArrays() != 1) {
                throw new IllegalArgumentException("a ComputationGraph with " + graph.getNumInputArrays()
                        + " inputs and " + graph.getNumOutputArrays() + " outputs cannot be fitted on a "
                        + "DataSetIterator; Dl4jTrainer fits graphs with one input and one output");
            }
        }

        @Override
        Model model() {
            return graph;
        }

        @Override
        void fitEpoch(DataSetIterator iterator) {
            graph.fit(iterator);
        }

        @Override
        double score() {
            return graph.score();
        }

        @Override
        double score(DataSet batch) {
            return graph.score(batch, false);
        }

        @Override
        void evaluate(DataSetIterator data, IEvaluation<?>[] evaluations) {
            graph.doEvaluation(data, evaluations);
        }

        @Override
        INDArray output(INDArray features) {
            return graph.outputSingle(false, features);
        }

        @Override
        Updater updater() {
            return graph.getUpdater(true);
        }

        @Override
        int iterationCount() {
            return graph.getIterationCount();
        }

        @Override
        void setIterationCount(int count) {
            graph.getConfiguration().setIterationCount(count);
        }

        @Override
        int epochCount() {
            return graph.getEpochCount();
        }

        @Override
        void setEpochCount(int count) {
            graph.getConfiguration().setEpochCount(count);
        }

        @Override
        double learningRate() {
            for (String name : layerNames) {
                Double lr = graph.getLearningRate(name);
                if (lr != null) {
                    return lr;
                }
            }
            return Double.NaN;
        }

        @Override
        void setLearningRate(double learningRate) {
            graph.setLearningRate(learningRate);
        }

        @Override
        String configurationJson() {
            return graph.getConfiguration().toJson();
        }
    }
}
