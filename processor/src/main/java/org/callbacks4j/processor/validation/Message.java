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
            "parameter '%s' of %s has no real name, as when %s was compiled without -parameters or -g, but an int"
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

    /** The stable id, such as {@code PrivateHook}. */
    public String id() {
        return id;
    }

    /** The message text with its id prefix. */
    public String format(Object... args) {
        return "[callbacks4j/" + id + "] " + String.format(Locale.ROOT, format, args);
    }
}
