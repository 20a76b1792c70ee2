package org.callbacks4j.benchmarks.dispatch;

import org.callbacks4j.Logs;
import org.callbacks4j.OnBatchEnd;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.internal.dispatch.Hooks;

/** Case "one batch hook reading the loss" (plus the epoch-end hook of the first case). */
public class BatchLossTraining {

    double lossSum;
    double bestLoss = Double.POSITIVE_INFINITY;
    int bestBatch;
    double lastLoss;
    int epochs;

    @OnBatchEnd
    @RuntimeHook(Hooks.BATCH_END)
    void watch(int batch, Logs logs) {
        double loss = logs.get("loss");
        lossSum += loss;
        if (loss < bestLoss) {
            bestLoss = loss;
            bestBatch = batch;
        }
    }

    @OnEpochEnd
    @RuntimeHook(Hooks.EPOCH_END)
    void report(int epoch, Logs logs) {
        lastLoss = logs.get("loss");
        epochs = epoch + 1;
    }
}
