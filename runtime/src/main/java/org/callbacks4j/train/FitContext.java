package org.callbacks4j.train;

import org.callbacks4j.History;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.model.Sequential;

/**
 * The trainer's {@link TrainingContext} for one fit. Besides the context every hook sees, it gives code that knows the
 * trainer (checkpoints, backups) the {@link #optimizerState()} and the {@link #fit()} settings.
 */
final class FitContext implements TrainingContext {

    private final Sequential model;
    private final OptimizerState optimizer;
    private final Fit fit;
    private final int batchesPerEpoch;
    private int epoch = -1;
    private boolean stopRequested;
    private String stoppedBy;
    private int stopEpoch = -1;

    FitContext(Sequential model, OptimizerState optimizer, Fit fit, int batchesPerEpoch) {
        this.model = model;
        this.optimizer = optimizer;
        this.fit = fit;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    @Override
    public void stopTraining() {
        requestStop(History.STOPPED_BY_HOOK);
    }

    /** Asks to stop, naming who asked; the first request of the fit is the one {@link History} reports. */
    void requestStop(String by) {
        if (!stopRequested) {
            stoppedBy = by;
            // A stop requested before the first epoch (in onTrainBegin) takes effect in the first epoch.
            stopEpoch = Math.max(epoch, fit.initialEpoch());
        }
        stopRequested = true;
    }

    /** Who asked to stop first in this fit, or null. */
    String stoppedBy() {
        return stoppedBy;
    }

    /** The epoch of the first stop request, or -1. */
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
        return batchesPerEpoch;
    }

    @Override
    public Sequential model() {
        return model;
    }

    /** The optimizer's state for this model (live): its flat state vector, step count and learning rate. */
    public OptimizerState optimizerState() {
        return optimizer;
    }

    /** The settings of this fit. */
    public Fit fit() {
        return fit;
    }

    void epoch(int epoch) {
        this.epoch = epoch;
    }

    /** Puts back a stop request saved in a backup ({@code by} null: none). */
    void restoreStop(String by, int epoch) {
        stopRequested = by != null;
        stoppedBy = by;
        stopEpoch = by == null ? -1 : epoch;
    }

    void resetStop() {
        stopRequested = false;
        stoppedBy = null;
        stopEpoch = -1;
    }

    @Override
    public String toString() {
        return "FitContext(epoch=" + epoch + "/" + fit.epochs() + ", stop=" + stopRequested + ", " + optimizer + ")";
    }
}
