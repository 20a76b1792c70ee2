package org.callbacks4j.dl4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.callbacks4j.History;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.internal.policy.EarlyStopping;
import org.callbacks4j.internal.train.SlotLogs;

/**
 * The runtime's {@link EarlyStopping} policy driven by hand with a given series of {@code val_loss} values, as the
 * callbacks4j trainer drives it: the reference the adapter's fit must agree with.
 */
final class ReplayedEarlyStop {

    int stoppedEpoch = -1;
    int bestEpoch = -1;

    static ReplayedEarlyStop run(List<Double> valLoss, double minDelta, int patience) {
        SlotLogs logs = new SlotLogs(List.of("loss", "val_loss"));
        Stub stub = new Stub(logs);
        EarlyStopping policy = new EarlyStopping("val_loss", false, minDelta, patience, Double.NaN, false, 0, 0);
        policy.prepare(stub);
        policy.onTrainBegin(stub);
        int epochs = 0;
        for (int e = 0; e < valLoss.size() && !stub.stop; e++) {
            logs.clear();
            logs.put("loss", 0);
            logs.put("val_loss", valLoss.get(e));
            policy.onEpochEnd(e, logs, stub);
            epochs++;
        }
        policy.onTrainEnd(logs, stub);
        ReplayedEarlyStop result = new ReplayedEarlyStop();
        History.EarlyStoppingOutcome outcome = policy.outcome();
        result.stoppedEpoch = outcome.stopped() ? outcome.stoppedEpoch() : epochs - 1;
        result.bestEpoch = outcome.bestEpoch();
        return result;
    }

    private static final class Stub implements FitPlan, TrainingContext {
        final SlotLogs logs;
        boolean stop;

        Stub(SlotLogs logs) {
            this.logs = logs;
        }

        @Override
        public Logs logs() {
            return logs;
        }

        @Override
        public int defineMetric(String name) {
            return logs.define(name);
        }

        @Override
        public void set(int slot, double value) {
            logs.put(slot, value);
        }

        @Override
        public boolean hasValidation() {
            return true;
        }

        @Override
        public TrainingContext context() {
            return this;
        }

        @Override
        public List<String> metricNames() {
            return new ArrayList<>(logs.names());
        }

        @Override
        public void stopTraining(String stoppedBy) {
            stop = true;
        }

        @Override
        public void reportOutcome(Supplier<History.EarlyStoppingOutcome> outcome) {}

        @Override
        public void onPredictions(PredictionListener listener) {}

        @Override
        public void saveCheckpoint(Path file, boolean weightsOnly, int epoch, int batch, Logs logs)
                throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public long iterations() {
            return 0;
        }

        @Override
        public void stopTraining() {
            stop = true;
        }

        @Override
        public boolean isStopRequested() {
            return stop;
        }

        @Override
        public double learningRate() {
            return 0;
        }

        @Override
        public void setLearningRate(double learningRate) {}

        @Override
        public int epoch() {
            return 0;
        }

        @Override
        public int epochs() {
            return 0;
        }

        @Override
        public int batchesPerEpoch() {
            return 0;
        }

        @Override
        public Sequential model() {
            throw new UnsupportedOperationException();
        }
    }
}
