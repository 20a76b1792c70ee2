package org.callbacks4j.processor.model;

import com.palantir.javapoet.TypeName;

/**
 * The values a hook or policy method may declare as parameters (the menu in the runtime's {@code org.callbacks4j}
 * package documentation). The constant order is the order of the dispatcher's parameters. Values whose type is not
 * enough to tell them apart ({@code int epoch} and {@code int batch}, the two {@code INDArray}s) are identified by
 * their parameter name.
 */
public enum Injectable {
    EPOCH(TypeName.INT, "epoch", "epoch", "epoch", "int epoch"),
    BATCH(TypeName.INT, "batch", "batch", "batch", "int batch"),
    LOGS(ClassNames.LOGS, "logs", "logs", null, "Logs"),
    CONTEXT(ClassNames.TRAINING_CONTEXT, "context", "context", null, "TrainingContext"),
    /** Not a dispatcher parameter: read from the context at the call. */
    MODEL(ClassNames.SEQUENTIAL, null, "context.model()", null, "Sequential"),
    /**
     * Only for a {@code @LearningRateSchedule} method: the current rate, which the generated code reads from the
     * scheduler; see {@code CallbacksGenerator}.
     */
    LEARNING_RATE(TypeName.DOUBLE, null, null, "lr", "double lr"),
    /** Only for a {@code @Metric} computed from predictions: the parameters of the metric function. */
    PREDICTIONS(ClassNames.INDARRAY, null, "predictions", "predictions", "INDArray predictions"),
    LABELS(ClassNames.INDARRAY, null, "labels", "labels", "INDArray labels");

    private final TypeName type;
    private final String dispatcherParameter;
    private final String argument;
    private final String parameterName;
    private final String display;

    Injectable(TypeName type, String dispatcherParameter, String argument, String parameterName, String display) {
        this.type = type;
        this.dispatcherParameter = dispatcherParameter;
        this.argument = argument;
        this.parameterName = parameterName;
        this.display = display;
    }

    /** The type of the parameter in the user's method and, if any, in the dispatcher's method. */
    public TypeName type() {
        return type;
    }

    /** Whether the dispatcher receives this value as a parameter. */
    public boolean isDispatcherParameter() {
        return dispatcherParameter != null;
    }

    /** The dispatcher parameter's name; only for {@link #isDispatcherParameter()}. */
    public String dispatcherParameter() {
        if (dispatcherParameter == null) {
            throw new IllegalStateException(this + " is not a dispatcher parameter");
        }
        return dispatcherParameter;
    }

    /**
     * The expression the generated call passes, in terms of the dispatcher's (or the metric function's) parameters;
     * null for {@link #LEARNING_RATE}, which the generator supplies.
     */
    public String argument() {
        return argument;
    }

    /** The parameter name that identifies this value, or null when its type does. */
    public String parameterName() {
        return parameterName;
    }

    /** How messages name this parameter: {@code int epoch}, {@code Logs}. */
    public String display() {
        return display;
    }
}
