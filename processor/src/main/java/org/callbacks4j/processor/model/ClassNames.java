package org.callbacks4j.processor.model;

import com.palantir.javapoet.ClassName;

/**
 * Names of the runtime types the processor reads and the generated code refers to. The processor does not depend on
 * the runtime (users put only the runtime on their compile classpath, the processor on the processor path), so every
 * runtime type is named here and nowhere else.
 */
public final class ClassNames {

    public static final String RUNTIME_PACKAGE = "org.callbacks4j";
    public static final String DISPATCH_PACKAGE = "org.callbacks4j.dispatch";

    public static final ClassName ON_TRAIN_BEGIN = ClassName.get(RUNTIME_PACKAGE, "OnTrainBegin");
    public static final ClassName ON_TRAIN_END = ClassName.get(RUNTIME_PACKAGE, "OnTrainEnd");
    public static final ClassName ON_EPOCH_BEGIN = ClassName.get(RUNTIME_PACKAGE, "OnEpochBegin");
    public static final ClassName ON_EPOCH_END = ClassName.get(RUNTIME_PACKAGE, "OnEpochEnd");
    public static final ClassName ON_BATCH_BEGIN = ClassName.get(RUNTIME_PACKAGE, "OnBatchBegin");
    public static final ClassName ON_BATCH_END = ClassName.get(RUNTIME_PACKAGE, "OnBatchEnd");
    public static final ClassName ON_VALIDATION_END = ClassName.get(RUNTIME_PACKAGE, "OnValidationEnd");

    public static final ClassName LOGS = ClassName.get(RUNTIME_PACKAGE, "Logs");
    public static final ClassName TRAINING_CONTEXT = ClassName.get(RUNTIME_PACKAGE, "TrainingContext");
    public static final ClassName SEQUENTIAL = ClassName.get("org.callbacks4j.model", "Sequential");

    public static final ClassName CALLBACK_DISPATCHER = ClassName.get(DISPATCH_PACKAGE, "CallbackDispatcher");
    public static final ClassName HOOKS = ClassName.get(DISPATCH_PACKAGE, "Hooks");
    public static final ClassName CALLBACK_EXCEPTION = ClassName.get(DISPATCH_PACKAGE, "CallbackException");

    /** Java 9+; absent when compiling with {@code --release 8}, in which case generated code goes without it. */
    public static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    /** The value of {@code @Generated} on every generated file. */
    public static final String PROCESSOR = "org.callbacks4j.processor.CallbacksProcessor";

    private ClassNames() {}
}
