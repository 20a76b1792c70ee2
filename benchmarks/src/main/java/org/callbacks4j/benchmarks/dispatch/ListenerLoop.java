package org.callbacks4j.benchmarks.dispatch;

import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The trainer loop of a listener framework: every listener gets every event, begin events an empty map, end events a
 * fresh {@code Map<String, Double>} of the current values.
 */
final class ListenerLoop {

    private final Fixture f;
    private final TrainingListener[] listeners;

    ListenerLoop(Fixture f, TrainingListener[] listeners) {
        this.f = f;
        this.listeners = listeners;
    }

    void trainBegin() {
        for (TrainingListener l : listeners) {
            l.onTrainBegin(f.context);
        }
    }

    int trainEpoch(int epoch, Blackhole bh) {
        double runningLoss = 0;
        double runningAccuracy = 0;
        int rowsRun = 0;
        for (int b = 0; b < f.rows.length; b++) {
            for (TrainingListener l : listeners) {
                l.onBatchBegin(epoch, b, Map.of(), f.context);
            }
            bh.consume(b);
            rowsRun += f.rows[b];
            runningLoss += f.lossSums[b];
            runningAccuracy += f.accuracySums[b];
            Map<String, Double> logs = new HashMap<>();
            logs.put("loss", runningLoss / rowsRun);
            logs.put("accuracy", runningAccuracy / rowsRun);
            for (TrainingListener l : listeners) {
                l.onBatchEnd(epoch, b, logs, f.context);
            }
            if (f.context.isStopRequested()) {
                break;
            }
        }
        return rowsRun;
    }

    void epoch(int epoch) {
        f.context.resetStop();
        f.context.epoch(epoch);
        for (TrainingListener l : listeners) {
            l.onEpochBegin(epoch, Map.of(), f.context);
        }
        double loss = f.epochLoss[epoch & 63];
        Map<String, Double> logs = new HashMap<>();
        logs.put("loss", loss);
        logs.put("accuracy", 1 - loss / 2);
        logs.put("val_loss", loss + 0.05);
        logs.put("val_accuracy", 1 - loss / 2 - 0.02);
        for (TrainingListener l : listeners) {
            l.onEpochEnd(epoch, logs, f.context);
        }
    }
}
