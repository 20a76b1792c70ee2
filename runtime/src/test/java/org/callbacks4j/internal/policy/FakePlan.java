package org.callbacks4j.internal.policy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.callbacks4j.History;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.FitPlan;

/** A fit plan over {@link FakeLogs} and a {@link FakeContext}: records stops, outcomes, saves and listeners. */
final class FakePlan implements FitPlan {

    final FakeLogs logs;
    final FakeContext context;
    final boolean validation;
    final List<String> stops = new ArrayList<>();
    final List<Supplier<History.EarlyStoppingOutcome>> outcomes = new ArrayList<>();
    final List<PredictionListener> listeners = new ArrayList<>();
    /** Saves as "path weightsOnly epoch batch". */
    final List<String> saves = new ArrayList<>();
    IOException saveFailure;
    long iterations;
    /** What {@link #resuming()} answers: set it to drive a policy as the trainer does after restoring a backup. */
    boolean resuming;

    FakePlan(FakeLogs logs, FakeContext context, boolean validation) {
        this.logs = logs;
        this.context = context;
        this.validation = validation;
    }

    FakePlan(FakeLogs logs, boolean validation) {
        this(logs, new FakeContext(0.01), validation);
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
        logs.set(slot, value);
    }

    @Override
    public boolean hasValidation() {
        return validation;
    }

    @Override
    public TrainingContext context() {
        return context;
    }

    @Override
    public List<String> metricNames() {
        return logs.allNames();
    }

    @Override
    public void stopTraining(String stoppedBy) {
        stops.add(stoppedBy);
        context.stopTraining();
    }

    @Override
    public void reportOutcome(Supplier<History.EarlyStoppingOutcome> outcome) {
        outcomes.add(outcome);
    }

    @Override
    public void onPredictions(PredictionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void saveCheckpoint(Path file, boolean weightsOnly, int epoch, int batch, Logs logs) throws IOException {
        if (saveFailure != null) {
            throw saveFailure;
        }
        saves.add(file + " " + weightsOnly + " " + epoch + " " + batch);
    }

    @Override
    public long iterations() {
        return iterations;
    }

    @Override
    public boolean resuming() {
        return resuming;
    }
}
