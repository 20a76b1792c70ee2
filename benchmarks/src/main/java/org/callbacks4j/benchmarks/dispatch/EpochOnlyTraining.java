package org.callbacks4j.benchmarks.dispatch;

import org.callbacks4j.Logs;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.internal.dispatch.Hooks;

/** Case "no batch hooks": one epoch-end hook reading the loss. Its dispatcher asks for no per-batch work. */
public class EpochOnlyTraining {

    double lastLoss;
    int epochs;

    @OnEpochEnd
    @RuntimeHook(Hooks.EPOCH_END)
    void report(int epoch, Logs logs) {
        lastLoss = logs.get("loss");
        epochs = epoch + 1;
    }
}
