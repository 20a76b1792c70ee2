package org.callbacks4j.dl4j;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What the fit needs of a DL4J network, the same for a {@link MultiLayerNetwork} and a {@link ComputationGraph}
 * (which share no interface for these): DL4J's own epoch ({@code fit(DataSetIterator)}), scores, evaluators,
 * parameters, updater state, counters and learning rate.
 */
abstract sealed class Dl4jNetwork {

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

    abstract Model model();

    /** One DL4J epoch over {@code iterator}: DL4J's own loop, its listeners included. */
    abstract void fitEpoch(DataSetIterator iterator);

    /** The mean loss of the last training batch (regularization included), as DL4J computed it. */
    abstract double score();

    /** The mean loss over {@code batch}, in inference mode. */
    abstract double score(DataSet batch);

    abstract void evaluate(DataSetIterator data, IEvaluation<?>[] evaluations);

    abstract INDArray output(INDArray features);

    final INDArray params() {
        return model().params();
    }

    final void setParams(INDArray params) {
        model().params().assign(params);
    }

    /** The updater's state vector (live), or null when the updater keeps none (plain SGD). */
    abstract INDArray updaterState();

    abstract int iterationCount();

    abstract void setIterationCount(int count);

    abstract int epochCount();

    abstract void setEpochCount(int count);

    /** The learning rate of the first layer that has one, or NaN. */
    abstract double learningRate();

    /** Sets every layer's learning rate (DL4J replaces a learning-rate schedule with the fixed rate). */
    abstract void setLearningRate(double learningRate);

    abstract Collection<TrainingListener> listeners();

    abstract void setListeners(Collection<TrainingListener> listeners);

    abstract String configurationJson();

    /** DL4J's model zip ({@link ModelSerializer}), which {@code ModelSerializer.restore...} reads back. */
    final void write(OutputStream out, boolean saveUpdater) throws IOException {
        ModelSerializer.writeModel(model(), out, saveUpdater);
    }

    static final class Layers extends Dl4jNetwork {

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
        INDArray updaterState() {
            Updater updater = net.getUpdater(true);
            return updater == null ? null : updater.getStateViewArray();
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
        Collection<TrainingListener> listeners() {
            return new ArrayList<>(net.getListeners());
        }

        @Override
        void setListeners(Collection<TrainingListener> listeners) {
            net.setListeners(listeners);
        }

        @Override
        String configurationJson() {
            return net.getLayerWiseConfigurations().toJson();
        }
    }

    static final class Graph extends Dl4jNetwork {

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
        INDArray updaterState() {
            Updater updater = graph.getUpdater(true);
            return updater == null ? null : updater.getStateViewArray();
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
        Collection<TrainingListener> listeners() {
            return new ArrayList<>(graph.getListeners());
        }

        @Override
        void setListeners(Collection<TrainingListener> listeners) {
            graph.setListeners(listeners);
        }

        @Override
        String configurationJson() {
            return graph.getConfiguration().toJson();
        }
    }
}
