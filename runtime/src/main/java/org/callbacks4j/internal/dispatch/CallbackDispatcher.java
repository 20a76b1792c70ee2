package org.callbacks4j.internal.dispatch;

import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;

/**
 * The contract between the trainer and the code the annotation processor generates ({@code Foo_Callbacks} for a
 * class {@code Foo}). The trainer reads {@link #hooks()} once per fit and calls only the hooks it names, so a phase
 * nobody listens to costs nothing: no call, no copy of the loss to the host.
 *
 * <p>Implementations are generated; each method calls the user's annotated methods directly, in declaration order.
 * The default methods do nothing and are never called for a hook that is absent from {@link #hooks()}.
 */
public interface CallbackDispatcher {

    /** The hooks this dispatcher implements, as a bit set of {@link Hooks} constants. Constant for an instance. */
    int hooks();

    /**
     * Called once per fit, after the trainer has fixed its own metric slots and before {@link #onTrainBegin} or any
     * training work. Resolves monitors and defines added metrics; throws to reject a fit it cannot serve, with a
     * message that names the value and the fix.
     */
    default void prepare(FitPlan plan) {}

    default void onTrainBegin(TrainingContext context) {}

    default void onTrainEnd(Logs logs, TrainingContext context) {}

    default void onEpochBegin(int epoch, TrainingContext context) {}

    default void onEpochEnd(int epoch, Logs logs, TrainingContext context) {}

    default void onBatchBegin(int epoch, int batch, TrainingContext context) {}

    default void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {}

    default void onValidationEnd(int epoch, Logs logs, TrainingContext context) {}
}
