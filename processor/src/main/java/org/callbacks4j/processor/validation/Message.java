package org.callbacks4j.processor.validation;

import java.util.Locale;

/**
 * Every diagnostic the processor prints. Each has a stable id, printed as {@code [callbacks4j/Id] } at the start of the
 * message so users can search for it and tests can assert it, and each says what to do instead.
 */
public enum Message {
    PRIVATE_HOOK(
            "PrivateHook",
            "%s method %s is private, so generated code cannot call it; make it package-private, protected or public"),
    STATIC_HOOK(
            "StaticHook",
            "%s method %s is static, but hooks are called on the training instance; remove 'static'"),
    ABSTRACT_HOOK(
            "AbstractHook",
            "%s method %s is abstract, so there is nothing to call; give it a body, or annotate the method that"
                    + " implements it in a subclass instead"),
    HOOK_IN_INTERFACE(
            "HookInInterface",
            "%s method %s is declared in interface %s, but callbacks4j reads hooks from classes only; annotate the"
                    + " method of the class that implements it instead"),
    GENERIC_HOOK(
            "GenericHook",
            "%s method %s declares type parameters %s, which generated code cannot choose; remove them"),
    HOOK_RETURNS_VALUE(
            "HookReturnsValue",
            "%s method %s returns %s, but the value would be ignored; make it return void"),
    UNREACHABLE_HOOK_CLASS(
            "UnreachableHookClass",
            "%s method %s cannot be called by generated code in package %s because %s; %s"),
    LOCAL_HOOK_CLASS(
            "UnreachableHookClass",
            "@%s method %s() is declared in %s, which annotation processing cannot see and generated code cannot"
                    + " call; declare it in a top-level or static nested class"),
    LOCAL_CLASS_SCAN_SKIPPED(
            "LocalClassScanSkipped",
            "the processing environment (%s) is not javac's and wraps none that could be found, so hooks in local"
                    + " and anonymous classes are not reported (they are never called either); everything else is"
                    + " checked and generated as usual"),
    INACCESSIBLE_INHERITED_HOOK(
            "InaccessibleInheritedHook",
            "%s method %s is inherited by %s, but %s (package %s) cannot call it because it is %s in package %s;"
                    + " make it public"),
    EPOCH_PARAMETER_ON_TRAIN_HOOK(
            "EpochParameterOnTrainHook",
            "parameter 'int epoch' of %s has no value on %s, which runs outside any epoch; remove it and read"
                    + " TrainingContext.epoch() instead"),
    BATCH_PARAMETER_ON_NON_BATCH_HOOK(
            "BatchParameterOnNonBatchHook",
            "parameter 'int batch' of %s has no value on %s: only @OnBatchBegin and @OnBatchEnd receive a batch;"
                    + " remove it"),
    AMBIGUOUS_INT_PARAMETER(
            "AmbiguousIntParameter",
            "parameter 'int %s' of %s: an int parameter is identified by its name; name it 'epoch' or 'batch'"),
    PARAMETER_NAMES_MISSING(
            "ParameterNamesMissing",
            "parameter '%s' of %s has no real name, as when %s was compiled without -parameters or -g, but %s"
                    + " parameter is identified by its name; recompile %s with -parameters (or -g)"),
    LOGS_ON_BEGIN_HOOK(
            "LogsOnBeginHook",
            "parameter '%s' of %s has no values on %s (Keras passes empty logs to begin hooks); remove it, or read"
                    + " Logs in an end hook: @OnBatchEnd, @OnValidationEnd, @OnEpochEnd or @OnTrainEnd"),
    UNKNOWN_PARAMETER(
            "UnknownParameter",
            "parameter '%s' of %s cannot be injected into %s; declare any subset of: %s"),
    DUPLICATE_PARAMETER(
            "DuplicateParameter",
            "parameter '%s' of %s repeats '%s'; each value is injected once, so remove one of them"),
    LEARNING_RATE_PARAMETER(
            "LearningRateParameter",
            "parameter '%s' of %s has no value on %s: only a @LearningRateSchedule method receives the current rate;"
                    + " remove it and read TrainingContext.learningRate() instead"),
    MISNAMED_PARAMETER(
            "MisnamedParameter",
            "parameter '%s' of %s: %s parameter is identified by its name; name it %s"),
    PREDICTIONS_PARAMETER(
            "PredictionsParameter",
            "parameter '%s' of %s has no value on %s: only a @Metric method computed from predictions receives"
                    + " predictions and labels; remove it"),
    MIXED_METRIC_PARAMETERS(
            "MixedMetricParameters",
            "parameter '%s' of %s: a @Metric that takes INDArray predictions or labels is computed by the trainer"
                    + " from each batch's predictions, where nothing else exists; compute the metric either from"
                    + " INDArray predictions and INDArray labels only, or from the epoch's values (int epoch, Logs,"
                    + " TrainingContext, Sequential)"),
    POLICY_METHOD_RETURN_TYPE(
            "PolicyMethodReturnType",
            "%s method %s returns %s, but %s; make it return double"),
    DUPLICATE_SCHEDULE(
            "DuplicateSchedule",
            "@LearningRateSchedule method %s: %s is one already, and a training class has one schedule (superclasses"
                    + " included); merge them into one method"),
    INVALID_METRIC_NAME(
            "InvalidMetricName",
            "@Metric(\"%s\") on %s: a metric name is letters, digits and _, not starting with a digit, so that"
                    + " checkpoint paths can name it; rename it, for example \"%s\""),
    RESERVED_METRIC_NAME(
            "ReservedMetricName",
            "@Metric(\"%s\") on %s: %s; choose another name"),
    DUPLICATE_METRIC_NAME(
            "DuplicateMetricName",
            "@Metric(\"%s\") on %s: %s already computes a metric of that name, and log names are unique; rename"
                    + " one of them"),
    POLICY_IN_INTERFACE(
            "PolicyInInterface",
            "%s on interface %s: callbacks4j reads policies from classes only; annotate the class that implements"
                    + " it instead"),
    UNREACHABLE_POLICY_CLASS(
            "UnreachablePolicyClass",
            "%s on %s cannot be run by generated code in package %s because %s; %s"),
    DUPLICATE_POLICY(
            "DuplicatePolicy",
            "%s on %s: %s declares one too, and a training class has at most one (superclasses included); remove"
                    + " one of them"),
    NEGATIVE_ATTRIBUTE(
            "NegativeAttribute",
            "%s: %s = %s is negative; %s"),
    NON_FINITE_ATTRIBUTE(
            "NonFiniteAttribute",
            "%s: %s = %s is not a finite number; %s"),
    FACTOR_OUT_OF_RANGE(
            "FactorOutOfRange",
            "%s: factor = %s is not between 0 and 1 (both excluded), but the learning rate is multiplied by it at"
                    + " each plateau to reduce it; use for example 0.5 to halve it, or 0.1 (the default)"),
    INERT_THRESHOLD(
            "InertThreshold",
            "%s: initialValueThreshold = %s has no effect without saveBestOnly = true; set saveBestOnly = true, or"
                    + " remove initialValueThreshold"),
    EMPTY_PATH(
            "EmptyPath",
            "%s: the %s is empty; give one, such as \"%s\""),
    BAD_SEPARATOR(
            "BadSeparator",
            "%s: separator \"%s\" %s; use one character other than a double quote, CR or LF, such as \",\" or"
                    + " \";\" or \"\\t\""),
    UNKNOWN_METRIC(
            "UnknownMetric",
            "%s: %s \"%s\" is not a metric this training produces%s; use one of: %s"),
    NO_VALIDATION_VALUE(
            "NoValidationValue",
            "%s: %s \"%s\" does not exist, because %s; %s"),
    LEARNING_RATE_NOT_LOGGED(
            "LearningRateNotLogged",
            "%s: %s \"%s\" is in the logs only when the training class has @ReduceLrOnPlateau or"
                    + " @LearningRateSchedule, and this one has neither; add one, or use another metric"),
    UNKNOWN_DIRECTION(
            "UnknownDirection",
            "%s: mode = AUTO cannot tell whether %s should go down or up, because %s; set mode = Mode.MIN or"
                    + " Mode.MAX%s"),
    NOT_IN_BATCH_LOGS(
            "NotInBatchLogs",
            "%s: %s \"%s\" is not in the batch logs, which hold only loss and the compiled metrics (accuracy, mse,"
                    + " mae), but saveFreq = %d saves every %d batches; use one of those, or save at epoch ends with"
                    + " saveFreq = Checkpoint.EPOCH"),
    MONITOR_ON_EARLY_STOP_METHOD(
            "MonitorOnEarlyStopMethod",
            "@EarlyStop on method %s: monitor = \"%s\" cannot be set, because the method's value is what is"
                    + " monitored; remove monitor, or move the annotation to the class"),
    MALFORMED_PATH_TEMPLATE(
            "MalformedPathTemplate",
            "%s: %s"),
    BATCH_PLACEHOLDER_AT_EPOCH_LEVEL(
            "BatchPlaceholderAtEpochLevel",
            "%s: {batch} in path \"%s\" has no value when saving at epoch ends; remove it, or set saveFreq = N to"
                    + " save every N batches"),
    UNRESOLVED_TYPE(
            "UnresolvedType",
            "hooks of %s refer to %s, which did not exist after the last round of annotation processing, so %s was"
                    + " not generated; fix the reference (an import?), or the processor that should generate it"),
    GENERATED_NAME_CLASH(
            "GeneratedNameClash",
            "%s and %s would both be dispatched by %s; rename one of them"),
    WRITE_FAILED(
            "WriteFailed",
            "could not write %s for %s: %s; if a class of that name already exists, rename or delete it"),
    PROCESSOR_CRASH(
            "ProcessorCrash",
            "callbacks4j crashed while processing %s. This is a bug in callbacks4j: please report it with this"
                    + " message and the class that triggered it.%n%s");

    private final String id;
    private final String format;

    Message(String id, String format) {
        this.id = id;
        this.format = format;
    }

    /** The message text with its id prefix. */
    public String format(Object... args) {
        return "[callbacks4j/" + id + "] " + String.format(Locale.ROOT, format, args);
    }
}
