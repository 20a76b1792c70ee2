package org.callbacks4j.benchmarks.dispatch;

import org.callbacks4j.TrainingContext;
import org.callbacks4j.model.Sequential;

/** The training context of the dispatch benchmarks: the trainer's stop flag and learning rate, no model. */
final class BenchContext implements TrainingContext {

    private final int epochs;
    private final int batchesPerEpoch;
    private boolean stopRequested;
    private double learningRate = 1e-3;
    private int epoch = -1;

    BenchContext(int epochs, int batchesPerEpoch) {
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    @Override
    public void stopTraining() {
        stopRequested = true;
    }

    @Override
    public boolean isStopRequested() {
        return stopRequested;
    }

    /** The benchmarks run epoch after epoch; a stop requested by a policy must not end the measured loop. */
    void resetStop() {
        stopRequested = false;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    void epoch(int epoch) {
        this.epoch = epoch;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public int epochs() {
        return epochs;
    }

    @Override
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    @Override
    public Sequential model() {
        return null;
    }
}
