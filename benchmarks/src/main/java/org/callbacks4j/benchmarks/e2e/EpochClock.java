package org.callbacks4j.benchmarks.e2e;

import org.callbacks4j.Logs;
import org.callbacks4j.OnEpochBegin;
import org.callbacks4j.OnEpochEnd;

/**
 * The only callback of the "no callbacks" runs: an epoch clock. It has no batch hooks, so its dispatcher asks the
 * trainer for no per-batch work; the dispatch benchmarks show that such a batch loop costs the same as one with no
 * callbacks at all.
 */
public class EpochClock {

    final EpochTimes times;

    EpochClock(int epochs) {
        this.times = new EpochTimes(epochs);
    }

    @OnEpochBegin
    void start() {
        times.begin();
    }

    @OnEpochEnd
    void stop(Logs logs) {
        times.end(logs);
    }
}
