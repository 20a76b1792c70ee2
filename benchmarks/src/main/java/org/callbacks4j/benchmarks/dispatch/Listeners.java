package org.callbacks4j.benchmarks.dispatch;

import java.util.List;
import java.util.Map;
import org.callbacks4j.TrainingContext;

/**
 * The listener lists of the three cases. Each listener adapts its map to {@link MapLogs} and calls the same user
 * method as the other variants; the full set has one listener per policy, as such frameworks register them.
 */
final class Listeners {

    private Listeners() {}

    static TrainingListener[] epochOnly(EpochOnlyTraining t, List<String> names) {
        MapLogs logs = new MapLogs(names);
        return new TrainingListener[] {
            new TrainingListener() {
                @Override
                public void onEpochEnd(int epoch, Map<String, Double> map, TrainingContext context) {
                    t.report(epoch, logs.reset(map));
                }
            }
        };
    }

    static TrainingListener[] batchLoss(BatchLossTraining t, List<String> names) {
        MapLogs logs = new MapLogs(names);
        return new TrainingListener[] {
            new TrainingListener() {
                @Override
                public void onBatchEnd(int epoch, int batch, Map<String, Double> map, TrainingContext context) {
                    t.watch(batch, logs.reset(map));
                }

                @Override
                public void onEpochEnd(int epoch, Map<String, Double> map, TrainingContext context) {
                    t.report(epoch, logs.reset(map));
                }
            }
        };
    }

    /** {@code logs} must be the view {@code t} was prepared with (its writer writes into the current map). */
    static TrainingListener[] fullSet(FullSetTraining t, MapLogs logs) {
        return new TrainingListener[] {
            new TrainingListener() { // TerminateOnNaN
                @Override
                public void onTrainBegin(TrainingContext context) {
                    t.resetPolicies(context);
                }

                @Override
                public void onBatchEnd(int epoch, int batch, Map<String, Double> map, TrainingContext context) {
                    t.stopOnNaN(epoch, batch, logs.reset(map), context);
                }
            },
            new TrainingListener() { // progress bar
                @Override
                public void onEpochBegin(int epoch, Map<String, Double> map, TrainingContext context) {
                    t.epochBegins(epoch);
                }

                @Override
                public void onBatchEnd(int epoch, int batch, Map<String, Double> map, TrainingContext context) {
                    t.showProgress(batch, logs.reset(map));
                }
            },
            new TrainingListener() { // ReduceLROnPlateau
                @Override
                public void onEpochEnd(int epoch, Map<String, Double> map, TrainingContext context) {
                    t.reduceLrOnPlateau(epoch, logs.reset(map), context);
                }
            },
            new TrainingListener() { // ModelCheckpoint
                @Override
                public void onEpochEnd(int epoch, Map<String, Double> map, TrainingContext context) {
                    t.saveBest(epoch, logs.reset(map));
                }
            },
            new TrainingListener() { // EarlyStopping
                @Override
                public void onEpochEnd(int epoch, Map<String, Double> map, TrainingContext context) {
                    t.stopEarly(epoch, logs.reset(map), context);
                }

                @Override
                public void onTrainEnd(Map<String, Double> map, TrainingContext context) {
                    t.restore(context);
                }
            },
        };
    }
}
