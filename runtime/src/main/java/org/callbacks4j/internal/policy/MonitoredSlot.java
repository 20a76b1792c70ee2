package org.callbacks4j.internal.policy;

import org.callbacks4j.Logs;
import org.callbacks4j.internal.dispatch.FitPlan;

/**
 * A monitored metric of one policy: its name, and its slot in this fit's {@link Logs}, resolved once by
 * {@link #resolve} before training so that per-epoch code reads a primitive.
 */
final class MonitoredSlot {

    private final String owner;
    private final String name;
    private int slot = -1;

    /**
     * @param owner how messages name the policy attribute, e.g. {@code @EarlyStop monitor}
     * @param name the metric, e.g. {@code val_loss}
     */
    MonitoredSlot(String owner, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(owner + " must name a metric, e.g. \"val_loss\" or \"loss\"");
        }
        this.owner = owner;
        this.name = name;
    }

    String name() {
        return name;
    }

    /** The slot, or -1 before {@link #resolve}. */
    int slot() {
        return slot;
    }

    /**
     * Resolves the slot for this fit.
     *
     * @throws IllegalStateException if this fit cannot produce the metric, saying how to make it
     */
    void resolve(FitPlan plan) {
        slot = slotOf(plan, name, owner + " \"" + name + "\"");
    }

    /** The value now; check {@link #isPresent} when it is NaN. */
    double read(Logs logs) {
        if (slot < 0) {
            throw new IllegalStateException(owner + " \"" + name + "\" was not resolved: call prepare(..) before "
                    + "training");
        }
        return logs.get(slot);
    }

    /** Whether the value just {@link #read} is a value now, rather than "absent this epoch". */
    boolean isPresent(Logs logs, double value) {
        return !Double.isNaN(value) || logs.has(slot);
    }

    /**
     * The slot of {@code name} for this fit.
     *
     * @param subject how the message names the thing that needs the metric, e.g. {@code @EarlyStop monitor "x"}
     * @throws IllegalStateException if this fit cannot produce it
     */
    static int slotOf(FitPlan plan, String name, String subject) {
        if (name.startsWith("val_") && !plan.hasValidation()) {
            throw new IllegalStateException(subject + " needs validation data; pass Fit.validationSplit(..) or "
                    + "Fit.validationData(..)");
        }
        int slot = plan.logs().slot(name);
        if (slot >= 0) {
            return slot;
        }
        throw new IllegalStateException(subject + " names a metric this fit does not produce; it produces "
                + String.join(", ", plan.metricNames()) + ". Use one of those: loss, a metric given to "
                + "Trainer.builder().metrics(..) or an @Metric, with val_ for its validation value");
    }
}
