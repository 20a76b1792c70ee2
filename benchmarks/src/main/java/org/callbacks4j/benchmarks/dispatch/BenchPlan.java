package org.callbacks4j.benchmarks.dispatch;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.callbacks4j.History;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.FitPlan;

/**
 * The {@link FitPlan} the dispatch benchmarks prepare their policies with: slots of the fixture's logs (which already
 * have every name the policies use, {@code learning_rate} included), writes through the fixture's writer, and a
 * checkpoint "save" that writes nothing, since file output is the same work in every variant and the end-to-end
 * benchmark measures it.
 */
final class BenchPlan implements FitPlan {

    /** Writes a value into a slot of the benchmark's logs. */
    interface SlotWriter {
        void set(int slot, double value);
    }

    private final Logs logs;
    private final SlotWriter writer;
    private final TrainingContext context;

    BenchPlan(Logs logs, SlotWriter writer, TrainingContext context) {
        this.logs = logs;
        this.writer = writer;
        this.context = context;
    }

    @Override
    public Logs logs() {
        return logs;
    }

    @Override
    public int defineMetric(String name) {
        int slot = logs.slot(name);
        if (slot < 0) {
            throw new IllegalStateException("the benchmark's logs have no slot for " + name);
        }
        return slot;
    }

    @Override
    public void set(int slot, double value) {
        writer.set(slot, value);
    }

    @Override
    public boolean hasValidation() {
        return true;
    }

    @Override
    public TrainingContext context() {
        return context;
    }

    @Override
    public List<String> metricNames() {
        return Fixture.NAMES;
    }

    @Override
    public void stopTraining(String stoppedBy) {
        context.stopTraining();
    }

    @Override
    public void reportOutcome(Supplier<History.EarlyStoppingOutcome> outcome) {}

    @Override
    public void onPredictions(PredictionListener listener) {}

    @Override
    public void saveCheckpoint(Path file, boolean weightsOnly, int epoch, int batch, Logs logs) {
        // File output is left out of the dispatch benchmarks: the policy's decision and path are what is measured.
    }

    @Override
    public long iterations() {
        return 0;
    }
}
