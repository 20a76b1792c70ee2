package org.callbacks4j.processor.model;

import static org.callbacks4j.processor.model.Injectable.CONTEXT;
import static org.callbacks4j.processor.model.Injectable.EPOCH;
import static org.callbacks4j.processor.model.Injectable.LABELS;
import static org.callbacks4j.processor.model.Injectable.LEARNING_RATE;
import static org.callbacks4j.processor.model.Injectable.LOGS;
import static org.callbacks4j.processor.model.Injectable.MODEL;
import static org.callbacks4j.processor.model.Injectable.PREDICTIONS;

import com.palantir.javapoet.ClassName;
import java.util.EnumSet;
import java.util.Set;

/**
 * The policy annotations that sit on methods returning {@code double}, and the values each such method may take.
 * A {@code @Metric} is {@link #METRIC} or, when it declares an {@code INDArray}, {@link #PREDICTION_METRIC}.
 */
public enum PolicyMethod implements MethodRole {
    /** Computed at epoch end from what an epoch-end hook receives. */
    METRIC(ClassNames.METRIC, EnumSet.of(EPOCH, LOGS, CONTEXT, MODEL)),
    /** Computed by the trainer from a batch's predictions and labels. */
    PREDICTION_METRIC(ClassNames.METRIC, EnumSet.of(PREDICTIONS, LABELS)),
    /** The monitored value of an {@code @EarlyStop} on a method, computed at epoch end. */
    EARLY_STOP(ClassNames.EARLY_STOP, EnumSet.of(EPOCH, LOGS, CONTEXT, MODEL)),
    /** Called at epoch begin with what an epoch-begin hook receives, plus the current rate. */
    LEARNING_RATE_SCHEDULE(ClassNames.LEARNING_RATE_SCHEDULE, EnumSet.of(EPOCH, LEARNING_RATE, CONTEXT, MODEL));

    private final ClassName annotation;
    private final Set<Injectable> accepted;

    PolicyMethod(ClassName annotation, Set<Injectable> accepted) {
        this.annotation = annotation;
        this.accepted = accepted;
    }

    public ClassName annotation() {
        return annotation;
    }

    @Override
    public String display() {
        return "@" + annotation.simpleName();
    }

    @Override
    public boolean accepts(Injectable injectable) {
        return accepted.contains(injectable);
    }
}
