package org.callbacks4j.internal.policy;

import org.callbacks4j.Logs;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;

/**
 * A metric computed by the user's code, the runtime side of an {@code @Metric} method that returns a {@code double}:
 * {@link #prepare} gives the name a slot in the fit's logs, and the generated epoch-end code writes the method's
 * value with {@link #set}, before the other policies run, so that they can monitor it and History, CSV and
 * TensorBoard record it.
 *
 * <pre>{@code
 * private final CustomMetric gap = new CustomMetric("gap");
 * prepare(plan):                gap.prepare(plan);
 * onEpochEnd(epoch, logs, ctx): gap.set(target.gap(logs));   // first, before any other policy
 * }</pre>
 */
public final class CustomMetric implements Policy {

    private final String name;
    private FitPlan plan;
    private int slot = -1;

    /**
     * @param name the metric's name in the logs, e.g. {@code gap}
     * @throws IllegalArgumentException if the name is empty
     */
    public CustomMetric(String name) {
        this.name = checkName(name, "@Metric");
    }

    /**
     * Defines the metric's slot in this fit's logs.
     *
     * @throws IllegalStateException if the fit already produces a metric of that name (e.g. {@code loss})
     */
    @Override
    public void prepare(FitPlan plan) {
        slot = defineNew(plan, name, "@Metric");
        this.plan = plan;
    }

    /**
     * Writes this epoch's value into the logs. Call only from the epoch-end hook.
     *
     * @throws IllegalStateException if not prepared
     */
    public void set(double value) {
        if (plan == null) {
            throw new IllegalStateException("@Metric \"" + name + "\" was not prepared: call prepare(..) before "
                    + "training");
        }
        plan.set(slot, value);
    }

    /** The metric's name. */
    public String name() {
        return name;
    }

    /** The metric's slot in this fit's {@link Logs}, or -1 before {@link #prepare}. */
    public int slot() {
        return slot;
    }

    static String checkName(String name, String owner) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(owner + " needs a name, e.g. \"gap\"");
        }
        return name;
    }

    /** Defines {@code name}, which must be new in this fit. */
    static int defineNew(FitPlan plan, String name, String owner) {
        if (plan.logs().slot(name) >= 0) {
            throw new IllegalStateException(owner + " \"" + name + "\" has the name of a metric this fit already "
                    + "produces (" + String.join(", ", plan.metricNames()) + "); give it another name");
        }
        return plan.defineMetric(name);
    }

    @Override
    public String stateConfiguration() {
        return "CustomMetric/1(" + name + ")";
    }

    /** Nothing to save: the value is recomputed at every epoch end. */
    @Override
    public void saveState(StateWriter out) {}

    @Override
    public void restoreState(StateReader in) {}
}
