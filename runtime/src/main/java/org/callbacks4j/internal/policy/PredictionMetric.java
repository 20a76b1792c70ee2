package org.callbacks4j.internal.policy;

import java.util.Objects;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Keras-style metric function of the model's predictions and the labels, evaluated at each epoch end on the
 * training rows (logged as {@code name}) and, when the fit validates, on the validation rows ({@code val_} +
 * {@code name}). The runtime side of an {@code @Metric} method that takes the predictions and the labels.
 *
 * <pre>{@code
 * private final PredictionMetric top2 = new PredictionMetric("top2", new PredictionMetric.Function() {
 *     public double compute(INDArray predictions, INDArray labels) { return target.top2(predictions, labels); }
 * });
 * prepare(plan): top2.prepare(plan);          // no other call: the trainer computes it
 * }</pre>
 *
 * <p>{@link #prepare} defines the metric's slots and asks the trainer for the model's outputs
 * ({@link FitPlan#onPredictions}); the trainer hands them over after validation, before any epoch-end hook, so the
 * values are in the logs of {@code onValidationEnd}, {@code onEpochEnd} and {@code onTrainEnd}, like the trainer's own
 * metrics.
 *
 * <p>Differences from a Keras compiled metric: the training value is computed once, with the weights at the end of
 * the epoch, over all training rows (Keras averages per-batch values computed with the weights of each batch), and it
 * is not in batch logs. Cost: one extra forward pass over the training rows per epoch (no backward pass), plus what
 * the function does; the validation outputs are those of the validation pass, kept in a buffer.
 */
public final class PredictionMetric implements Policy {

    /** The metric: a value for the given outputs and labels. */
    @FunctionalInterface
    public interface Function {

        /**
         * The metric's value. The arrays are the trainer's buffers and views, valid during the call: read them, do not
         * keep or modify them.
         *
         * @param predictions the model's outputs, {@code [rows, outputs]}
         * @param labels the labels of the same rows, same shape
         */
        double compute(INDArray predictions, INDArray labels);
    }

    private final String name;
    private final Function function;
    private FitPlan plan;
    private int slot = -1;
    private int validationSlot = -1;

    /**
     * @param name the metric's name in the logs, e.g. {@code top2}; the validation value is {@code val_top2}
     * @param function computes the value
     * @throws IllegalArgumentException if the name is empty
     */
    public PredictionMetric(String name, Function function) {
        this.name = CustomMetric.checkName(name, "@Metric");
        this.function = Objects.requireNonNull(function, "function");
    }

    /**
     * Defines {@code name} (and {@code val_name} when the fit validates) and registers for the model's outputs.
     *
     * @throws IllegalStateException if the fit already produces a metric of that name
     */
    @Override
    public void prepare(FitPlan plan) {
        slot = CustomMetric.defineNew(plan, name, "@Metric");
        validationSlot = plan.hasValidation() ? CustomMetric.defineNew(plan, "val_" + name, "@Metric") : -1;
        this.plan = plan;
        plan.onPredictions(this::compute);
    }

    private void compute(int epoch, INDArray trainOutputs, INDArray trainLabels, INDArray validationOutputs,
            INDArray validationLabels) {
        plan.set(slot, function.compute(trainOutputs, trainLabels));
        if (validationOutputs != null && validationSlot >= 0) {
            plan.set(validationSlot, function.compute(validationOutputs, validationLabels));
        }
    }

    /** The metric's name (without {@code val_}). */
    public String name() {
        return name;
    }

    @Override
    public String stateConfiguration() {
        return "PredictionMetric/1(" + name + ")";
    }

    /** Nothing to save: the value is recomputed from the predictions at every epoch end. */
    @Override
    public void saveState(StateWriter out) {}

    @Override
    public void restoreState(StateReader in) {}
}
