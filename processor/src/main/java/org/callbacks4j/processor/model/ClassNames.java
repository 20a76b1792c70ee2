package org.callbacks4j.processor.model;

import com.palantir.javapoet.ClassName;

/**
 * Names of the runtime types the processor reads and the generated code refers to. The processor does not depend on
 * the runtime (users put only the runtime on their compile classpath, the processor on the processor path), so every
 * runtime type is named here and nowhere else.
 */
public final class ClassNames {

    public static final String RUNTIME_PACKAGE = "org.callbacks4j";
    public static final String DISPATCH_PACKAGE = "org.callbacks4j.internal.dispatch";
    public static final String POLICY_PACKAGE = "org.callbacks4j.internal.policy";
    public static final String STATE_PACKAGE = "org.callbacks4j.internal.state";

    public static final ClassName ON_TRAIN_BEGIN = ClassName.get(RUNTIME_PACKAGE, "OnTrainBegin");
    public static final ClassName ON_TRAIN_END = ClassName.get(RUNTIME_PACKAGE, "OnTrainEnd");
    public static final ClassName ON_EPOCH_BEGIN = ClassName.get(RUNTIME_PACKAGE, "OnEpochBegin");
    public static final ClassName ON_EPOCH_END = ClassName.get(RUNTIME_PACKAGE, "OnEpochEnd");
    public static final ClassName ON_BATCH_BEGIN = ClassName.get(RUNTIME_PACKAGE, "OnBatchBegin");
    public static final ClassName ON_BATCH_END = ClassName.get(RUNTIME_PACKAGE, "OnBatchEnd");
    public static final ClassName ON_VALIDATION_END = ClassName.get(RUNTIME_PACKAGE, "OnValidationEnd");

    public static final ClassName EARLY_STOP = ClassName.get(RUNTIME_PACKAGE, "EarlyStop");
    public static final ClassName EARLY_STOP_LIST = EARLY_STOP.nestedClass("List");
    public static final ClassName CHECKPOINT = ClassName.get(RUNTIME_PACKAGE, "Checkpoint");
    public static final ClassName CHECKPOINT_LIST = CHECKPOINT.nestedClass("List");
    public static final ClassName REDUCE_LR_ON_PLATEAU = ClassName.get(RUNTIME_PACKAGE, "ReduceLrOnPlateau");
    public static final ClassName LEARNING_RATE_SCHEDULE = ClassName.get(RUNTIME_PACKAGE, "LearningRateSchedule");
    public static final ClassName TERMINATE_ON_NAN = ClassName.get(RUNTIME_PACKAGE, "TerminateOnNaN");
    public static final ClassName METRIC = ClassName.get(RUNTIME_PACKAGE, "Metric");
    public static final ClassName CSV_LOGGER = ClassName.get(RUNTIME_PACKAGE, "CsvLogger");
    public static final ClassName TENSOR_BOARD = ClassName.get(RUNTIME_PACKAGE, "TensorBoard");
    public static final ClassName BACKUP_AND_RESTORE = ClassName.get(RUNTIME_PACKAGE, "BackupAndRestore");

    /**
     * The marker of callbacks4j-dl4j (not in the runtime): a training class fitted on a DL4J network, whose
     * evaluators add {@code precision}, {@code recall}, {@code f1} and {@code auc} to the metric names.
     */
    public static final ClassName DL4J_METRICS = ClassName.get("org.callbacks4j.dl4j", "Dl4jMetrics");

    public static final ClassName LOGS = ClassName.get(RUNTIME_PACKAGE, "Logs");
    public static final ClassName TRAINING_CONTEXT = ClassName.get(RUNTIME_PACKAGE, "TrainingContext");
    public static final ClassName SEQUENTIAL = ClassName.get("org.callbacks4j.model", "Sequential");

    public static final ClassName CALLBACK_DISPATCHER = ClassName.get(DISPATCH_PACKAGE, "CallbackDispatcher");
    public static final ClassName HOOKS = ClassName.get(DISPATCH_PACKAGE, "Hooks");
    public static final ClassName CALLBACK_EXCEPTION = ClassName.get(RUNTIME_PACKAGE, "CallbackException");

    public static final ClassName FIT_PLAN = ClassName.get(DISPATCH_PACKAGE, "FitPlan");

    /** The built-in policies generated code builds and drives. */
    public static final ClassName EARLY_STOPPING = ClassName.get(POLICY_PACKAGE, "EarlyStopping");
    public static final ClassName REDUCE_LR_ON_PLATEAU_POLICY = ClassName.get(POLICY_PACKAGE, "ReduceLROnPlateau");
    public static final ClassName LEARNING_RATE_SCHEDULER = ClassName.get(POLICY_PACKAGE, "LearningRateScheduler");
    public static final ClassName TERMINATE_ON_NAN_POLICY = ClassName.get(POLICY_PACKAGE, "TerminateOnNaNPolicy");
    public static final ClassName MODEL_CHECKPOINT = ClassName.get(POLICY_PACKAGE, "ModelCheckpoint");
    public static final ClassName CUSTOM_METRIC = ClassName.get(POLICY_PACKAGE, "CustomMetric");
    public static final ClassName PREDICTION_METRIC = ClassName.get(POLICY_PACKAGE, "PredictionMetric");
    public static final ClassName PREDICTION_METRIC_FUNCTION = PREDICTION_METRIC.nestedClass("Function");
    public static final ClassName CSV_LOGGER_POLICY = ClassName.get(POLICY_PACKAGE, "CsvLoggerPolicy");
    public static final ClassName TENSOR_BOARD_LOGGER = ClassName.get(POLICY_PACKAGE, "TensorBoardLogger");
    public static final ClassName BACKUP_AND_RESTORE_POLICY = ClassName.get(POLICY_PACKAGE, "BackupAndRestorePolicy");

    /** The state mechanism generated dispatchers implement, so that a backup saves and restores their policies. */
    public static final ClassName STATEFUL = ClassName.get(STATE_PACKAGE, "Stateful");
    public static final ClassName STATE_WRITER = ClassName.get(STATE_PACKAGE, "StateWriter");
    public static final ClassName STATE_READER = ClassName.get(STATE_PACKAGE, "StateReader");

    /** What a {@code @Metric} computed from predictions receives. */
    public static final ClassName INDARRAY = ClassName.get("org.nd4j.linalg.api.ndarray", "INDArray");

    /** Java 9+; absent when compiling with {@code --release 8}, in which case generated code goes without it. */
    public static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    /** The value of {@code @Generated} on every generated file. */
    public static final String PROCESSOR = "org.callbacks4j.processor.CallbacksProcessor";

    private ClassNames() {}
}
