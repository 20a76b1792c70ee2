package org.callbacks4j.dl4j;

import java.util.Objects;
import org.callbacks4j.History;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.internal.policy.ModelWeights;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@link TrainingContext} of a {@link Dl4jTrainer} fit. Hooks declare a {@code TrainingContext} parameter and
 * cast it to reach the DL4J network: {@code ((Dl4jContext) context).network()}, or {@code sameDiff()} for a SameDiff
 * graph. The learning rate is the network's (its first layer that has one; for a graph, its TrainingConfig's
 * updater); setting it sets every layer's through DL4J ({@code setLearningRate}), or the graph's updaters, which
 * replaces a learning-rate schedule with the fixed rate.
 */
public final class Dl4jContext implements TrainingContext, ModelWeights.Source {

    private final Dl4jNetwork net;
    private final int epochs;
    private final int batchesPerEpoch;
    private final ModelWeights weights;
    private int epoch = -1;
    private boolean stopRequested;
    private String stoppedBy;
    private int stopEpoch = -1;
    private final int initialEpoch;

    Dl4jContext(Dl4jNetwork net, Dl4jFit fit, int batchesPerEpoch) {
        this.net = net;
        this.epochs = fit.epochs();
        this.initialEpoch = fit.initialEpoch();
        this.batchesPerEpoch = batchesPerEpoch;
        this.weights = new ModelWeights() {
            @Override
            public INDArray params() {
                return net.params();
            }

            @Override
            public void setParams(INDArray params) {
                net.setParams(params);
            }
        };
    }

    /**
     * The network being trained: a {@code MultiLayerNetwork} or a {@code ComputationGraph}.
     *
     * @throws UnsupportedOperationException if this fit trains a SameDiff graph, naming {@link #sameDiff()}
     */
    public Model network() {
        if (net.model() instanceof Model model) {
            return model;
        }
        throw new UnsupportedOperationException("this fit trains a SameDiff graph, not a DL4J Model: use "
                + "((Dl4jContext) context).sameDiff()");
    }

    /**
     * The SameDiff graph being trained.
     *
     * @throws UnsupportedOperationException if this fit trains a {@code MultiLayerNetwork} or a
     *     {@code ComputationGraph}, naming {@link #network()}
     */
    public SameDiff sameDiff() {
        if (net.model() instanceof SameDiff sd) {
            return sd;
        }
        throw new UnsupportedOperationException("this fit trains a DL4J " + net.model().getClass().getSimpleName()
                + ", not a SameDiff graph: use ((Dl4jContext) context).network()");
    }

    @Override
    public ModelWeights weights() {
        return weights;
    }

    @Override
    public void stopTraining() {
        requestStop(History.STOPPED_BY_HOOK);
    }

    void requestStop(String by) {
        if (!stopRequested) {
            stoppedBy = by;
            stopEpoch = Math.max(epoch, initialEpoch);
        }
        stopRequested = true;
    }

    String stoppedBy() {
        return stoppedBy;
    }

    int stopEpoch() {
        return stopEpoch;
    }

    void restoreStop(String by, int epoch) {
        stopRequested = by != null;
        stoppedBy = by;
        stopEpoch = by == null ? -1 : epoch;
    }

    @Override
    public boolean isStopRequested() {
        return stopRequested;
    }

    @Override
    public double learningRate() {
        return net.learningRate();
    }

    @Override
    public void setLearningRate(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
        }
        net.setLearningRate(learningRate);
    }

    @Override
    public int epoch() {
        return epoch;
    }

    void epoch(int epoch) {
        this.epoch = epoch;
    }

    @Override
    public int epochs() {
        return epochs;
    }

    @Override
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /**
     * Not available: this fit trains a DL4J network, not a callbacks4j {@link Sequential}.
     *
     * @throws UnsupportedOperationException always, naming {@link #network()} (or {@link #sameDiff()}) instead
     */
    @Override
    public Sequential model() {
        String accessor = net.model() instanceof SameDiff ? "sameDiff()" : "network()";
        throw new UnsupportedOperationException("this fit trains a DL4J " + net.model().getClass().getSimpleName()
                + ", not a Sequential: declare a TrainingContext parameter and use ((Dl4jContext) context)."
                + accessor);
    }

    @Override
    public String toString() {
        return "Dl4jContext(epoch=" + epoch + "/" + epochs + ", stop=" + stopRequested + ", "
                + Objects.toString(net.model().getClass().getSimpleName()) + ")";
    }
}
