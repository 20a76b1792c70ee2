package org.callbacks4j.policy;

import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.dispatch.FitPlan;

/**
 * A built-in policy as generated code drives it: constructed once from an annotation's constants, prepared once per
 * fit, then called from the hooks it needs (each policy's documentation lists them; the processor calls no others).
 * The hooks mirror Keras's callback methods.
 */
public interface Policy {

    /** Resolves slots and checks this fit can serve the policy; throws before any training work if not. */
    void prepare(FitPlan plan);

    default void onTrainBegin(TrainingContext context) {}

    default void onEpochBegin(int epoch, TrainingContext context) {}

    default void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {}

    default void onEpochEnd(int epoch, Logs logs, TrainingContext context) {}

    default void onTrainEnd(Logs logs, TrainingContext context) {}
}
