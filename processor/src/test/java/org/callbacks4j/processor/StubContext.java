package org.callbacks4j.processor;

import org.callbacks4j.TrainingContext;
import org.callbacks4j.model.Sequential;

/** A training context with fixed answers that counts what generated code asks of it. */
final class StubContext implements TrainingContext {

    int epoch = -1;
    int modelCalls;
    boolean stopRequested;
    double learningRate = 0.01;

    @Override
    public void stopTraining() {
        stopRequested = true;
    }

    @Override
    public boolean isStopRequested() {
        return stopRequested;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public int epochs() {
        return 3;
    }

    @Override
    public int batchesPerEpoch() {
        return 2;
    }

    /** No model: the trainer's test layer passes a real one; here it is enough to see it was asked for. */
    @Override
    public Sequential model() {
        modelCalls++;
        return null;
    }
}
