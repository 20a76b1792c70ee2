package org.callbacks4j.spark;

import org.callbacks4j.History;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.OptimizerState;

/**
 * The {@link TrainingContext} hooks see in a Spark fit, on the driver: the driver's copy of the model (the parameters
 * of the last synchronisation), the optimizer state every partition starts the next round from, and a stop request
 * that ends the whole job after the current round. {@link #batchesPerEpoch()} counts synchronisation rounds.
 */
final class SparkContextView implements TrainingContext {

    private final Sequential model;
    private final OptimizerState optimizer;
    private final Fit fit;
    private final int roundsPerEpoch;
    private int epoch = -1;
    private boolean stopRequested;
    private String stoppedBy;
    private int stopEpoch = -1;

    SparkContextView(Sequential model, OptimizerState optimizer, Fit fit, int roundsPerEpoch) {
        this.model = model;
        this.optimizer = optimizer;
        this.fit = fit;
        this.roundsPerEpoch = roundsPerEpoch;
    }

    @Override
    public void stopTraining() {
        requestStop(History.STOPPED_BY_HOOK);
    }

    /** Asks to stop, naming who asked; the first request of the fit is the one {@link History} reports. */
    void requestStop(String by) {
        if (!stopRequested) {
            stoppedBy = by;
            stopEpoch = Math.max(epoch, fit.initialEpoch());
        }
        stopRequested = true;
    }

    String stoppedBy() {
        return stoppedBy;
    }

    int stopEpoch() {
        return stopEpoch;
    }

    @Override
    public boolean isStopRequested() {
        return stopRequested;
    }

    @Override
    public double learningRate() {
        return optimizer.learningRate();
    }

    @Override
    public void setLearningRate(double learningRate) {
        optimizer.setLearningRate(learningRate);
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public int epochs() {
        return fit.epochs();
    }

    @Override
    public int batchesPerEpoch() {
        return roundsPerEpoch;
    }

    @Override
    public Sequential model() {
        return model;
    }

    /** Puts back a stop request saved in a backup ({@code by} null: none). */
    void restoreStop(String by, int epoch) {
        stopRequested = by != null;
        stoppedBy = by;
        stopEpoch = by == null ? -1 : epoch;
    }

    void epoch(int epoch) {
        this.epoch = epoch;
    }

    @Override
    public String toString() {
        return "SparkContextView(epoch=" + epoch + "/" + fit.epochs() + ", stop=" + stopRequested + ", " + optimizer
                + ")";
    }
}
