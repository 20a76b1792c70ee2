package org.callbacks4j.internal.policy;

import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.state.Stateful;

/**
 * A built-in policy as generated code drives it: constructed once from an annotation's constants, prepared once per
 * fit, then called from the hooks it needs (each policy's documentation lists them; the processor calls no others).
 * The hooks mirror Keras's callback methods.
 *
 * <p>Every policy is {@link Stateful}: {@code @BackupAndRestore} saves what it keeps between epochs (counters, best
 * values, file positions) and restores it before {@link #onTrainBegin} of a resumed fit, which then keeps that state
 * instead of resetting it ({@link FitPlan#resuming()}). Its {@link #stateConfiguration()} names the policy and the
 * settings its state depends on, so that a backup is never restored into a policy configured differently.
 */
public interface Policy extends Stateful {

    /** Resolves slots and checks this fit can serve the policy; throws before any training work if not. */
    void prepare(FitPlan plan);

    default void onTrainBegin(TrainingContext context) {}

    default void onEpochBegin(int epoch, TrainingContext context) {}

    default void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {}

    default void onEpochEnd(int epoch, Logs logs, TrainingContext context) {}

    default void onTrainEnd(Logs logs, TrainingContext context) {}
}
