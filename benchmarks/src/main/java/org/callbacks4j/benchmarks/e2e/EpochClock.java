package org.callbacks4j.benchmarks.e2e;

import org.callbacks4j.Logs;
import org.callbacks4j.OnEpochBegin;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.TrainingContext;

/**
 * The only callback of the "no callbacks" runs: an epoch clock. It has no batch hooks, so its dispatcher asks the
 * trainer for no per-batch work; the dispatch benchmarks show that such a batch loop costs the same as one with no
 * callbacks at all.
 */
public class EpochClock {

    final EpochTimes times;
    private final long budgetNanos;

    /** @param budgetNanos stop the fit once its measured epochs took this long (0: run all epochs) */
    EpochClock(int epochs, long budgetNanos) {
        this.times = new EpochTimes(epochs);
        this.budgetNanos = budgetNanos;
    }

    @OnEpochBegin
    void start() {
        times.begin();
    }

    @OnEpochEnd
    void stop(Logs logs, TrainingContext context) {
        times.end(logs);
        if (times.overBudget(budgetNanos)) {
            context.stopTraining();
        }
    }
}
