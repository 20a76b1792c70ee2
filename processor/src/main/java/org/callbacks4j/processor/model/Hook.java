package org.callbacks4j.processor.model;

import static org.callbacks4j.processor.model.Injectable.BATCH;
import static org.callbacks4j.processor.model.Injectable.CONTEXT;
import static org.callbacks4j.processor.model.Injectable.EPOCH;
import static org.callbacks4j.processor.model.Injectable.LOGS;
import static org.callbacks4j.processor.model.Injectable.MODEL;

import com.palantir.javapoet.ClassName;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The hook annotations, in the order training fires them, which is also the order of the generated methods.
 * Each hook knows its dispatcher method ({@code org.callbacks4j.internal.dispatch.CallbackDispatcher}), its bit in
 * {@code org.callbacks4j.internal.dispatch.Hooks}, and which injectable parameters it can supply.
 */
public enum Hook implements MethodRole {
    TRAIN_BEGIN(ClassNames.ON_TRAIN_BEGIN, "onTrainBegin", "TRAIN_BEGIN", EnumSet.of(CONTEXT, MODEL)),
    EPOCH_BEGIN(ClassNames.ON_EPOCH_BEGIN, "onEpochBegin", "EPOCH_BEGIN", EnumSet.of(EPOCH, CONTEXT, MODEL)),
    BATCH_BEGIN(ClassNames.ON_BATCH_BEGIN, "onBatchBegin", "BATCH_BEGIN", EnumSet.of(EPOCH, BATCH, CONTEXT, MODEL)),
    BATCH_END(ClassNames.ON_BATCH_END, "onBatchEnd", "BATCH_END", EnumSet.of(EPOCH, BATCH, LOGS, CONTEXT, MODEL)),
    VALIDATION_END(
            ClassNames.ON_VALIDATION_END, "onValidationEnd", "VALIDATION_END", EnumSet.of(EPOCH, LOGS, CONTEXT, MODEL)),
    EPOCH_END(ClassNames.ON_EPOCH_END, "onEpochEnd", "EPOCH_END", EnumSet.of(EPOCH, LOGS, CONTEXT, MODEL)),
    TRAIN_END(ClassNames.ON_TRAIN_END, "onTrainEnd", "TRAIN_END", EnumSet.of(LOGS, CONTEXT, MODEL));

    /** The {@code Hooks} constant a batch-end hook adds when it reads {@code Logs}. */
    public static final String BATCH_LOGS_CONSTANT = "BATCH_LOGS";

    private final ClassName annotation;
    private final String dispatcherMethod;
    private final String hooksConstant;
    private final Set<Injectable> accepted;

    Hook(ClassName annotation, String dispatcherMethod, String hooksConstant, Set<Injectable> accepted) {
        this.annotation = annotation;
        this.dispatcherMethod = dispatcherMethod;
        this.hooksConstant = hooksConstant;
        this.accepted = accepted;
    }

    /** The hook whose annotation has this canonical name, if any. */
    public static Optional<Hook> forAnnotation(String canonicalName) {
        for (Hook hook : values()) {
            if (hook.annotation.canonicalName().equals(canonicalName)) {
                return Optional.of(hook);
            }
        }
        return Optional.empty();
    }

    public ClassName annotation() {
        return annotation;
    }

    /** {@code @OnEpochEnd}, as messages write it. */
    @Override
    public String display() {
        return "@" + annotation.simpleName();
    }

    public String dispatcherMethod() {
        return dispatcherMethod;
    }

    public String hooksConstant() {
        return hooksConstant;
    }

    /** Whether the trainer has this value when it fires the hook. */
    @Override
    public boolean accepts(Injectable injectable) {
        return accepted.contains(injectable);
    }

    /** The dispatcher method's parameters, in its declared order. */
    public List<Injectable> dispatcherParameters() {
        return accepted.stream().filter(Injectable::isDispatcherParameter).toList();
    }
}
