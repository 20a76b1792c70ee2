package org.callbacks4j.dispatch;

import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;

/**
 * What one fit will produce, handed to {@link CallbackDispatcher#prepare} before any training work. Built-in policies
 * resolve their monitors to slots here once, define the metrics they add ({@code learning_rate}, {@code @Metric}
 * names), and reject a fit they cannot serve (for example {@code val_loss} with no validation data) before the first
 * epoch.
 */
public interface FitPlan {

    /** The epoch logs of this fit. Resolve names with {@link Logs#slot(String)}; slots are stable for the fit. */
    Logs logs();

    /**
     * Gives {@code name} a slot in the epoch logs (or returns its existing slot), for a value a policy or a custom
     * metric writes with {@link #set} at epoch end. Only during {@link CallbackDispatcher#prepare}.
     */
    int defineMetric(String name);

    /** Writes {@code value} into {@code slot} of the current epoch logs, for hooks and loggers that run after. */
    void set(int slot, double value);

    /** Whether this fit validates ({@code val_} metrics exist). */
    boolean hasValidation();

    /** The context hooks receive during this fit. */
    TrainingContext context();
}
