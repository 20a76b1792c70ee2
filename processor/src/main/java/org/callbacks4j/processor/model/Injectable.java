package org.callbacks4j.processor.model;

import com.palantir.javapoet.TypeName;

/**
 * The values a hook method may declare as parameters (the menu in the runtime's {@code org.callbacks4j}
 * package documentation). The constant order is the order of the dispatcher's parameters.
 */
public enum Injectable {
    EPOCH(TypeName.INT, "epoch", "epoch", "int epoch"),
    BATCH(TypeName.INT, "batch", "batch", "int batch"),
    LOGS(ClassNames.LOGS, "logs", "logs", "Logs"),
    CONTEXT(ClassNames.TRAINING_CONTEXT, "context", "context", "TrainingContext"),
    /** Not a dispatcher parameter: read from the context at the call. */
    MODEL(ClassNames.SEQUENTIAL, null, "context.model()", "Sequential");

    private final TypeName type;
    private final String dispatcherParameter;
    private final String argument;
    private final String display;

    Injectable(TypeName type, String dispatcherParameter, String argument, String display) {
        this.type = type;
        this.dispatcherParameter = dispatcherParameter;
        this.argument = argument;
        this.display = display;
    }

    /** The type of the parameter in the user's method and, if any, in the dispatcher's method. */
    public TypeName type() {
        return type;
    }

    /** Whether the dispatcher receives this value as a parameter (every value except the model). */
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

    /** The expression the generated call passes, in terms of the dispatcher's parameters. */
    public String argument() {
        return argument;
    }

    /** How messages name this parameter: {@code int epoch}, {@code Logs}. */
    public String display() {
        return display;
    }
}
