package org.callbacks4j.internal.policy;

import org.callbacks4j.TrainingContext;
import org.callbacks4j.model.Sequential;

/** A training context with a learning rate and a stop flag; the model is reached through {@link FakeWeights}. */
final class FakeContext implements TrainingContext {

    double learningRate;
    boolean stopRequested;
    int stopCalls;
    int epoch = -1;
    int learningRateSets;

    FakeContext(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public void stopTraining() {
        stopRequested = true;
        stopCalls++;
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
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("bad learning rate " + learningRate);
        }
        this.learningRate = learningRate;
        learningRateSets++;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public int epochs() {
        return 100;
    }

    @Override
    public int batchesPerEpoch() {
        return 10;
    }

    @Override
    public Sequential model() {
        throw new UnsupportedOperationException("tests reach weights through FakeWeights");
    }
}
