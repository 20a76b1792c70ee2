package org.callbacks4j.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import org.callbacks4j.processor.model.CallbacksDescriptor;
import org.callbacks4j.processor.model.ClassNames;
import org.callbacks4j.processor.model.Hook;
import org.callbacks4j.processor.validation.PolicyAnnotations;
import org.callbacks4j.processor.writing.CallbacksGenerator;

/**
 * The javac entry point of callbacks4j: for each class with methods annotated {@code @OnEpochEnd}, {@code @OnBatchEnd}
 * and the other hooks, or with policy annotations ({@code @EarlyStop}, {@code @Metric}, ...), reports misuse as compile
 * errors and generates {@code Class_Callbacks}, the dispatcher the trainer calls. The work is in
 * {@link CallbacksProcessingStep}; this adapter never throws. It claims the callbacks4j annotations (and the
 * {@code @Generated} its output carries), and only them, so that a strict build ({@code -Xlint:all -Werror}) passes.
 */
@AutoService(Processor.class)
public final class CallbacksProcessor extends AbstractProcessor {

    private final Function<CallbacksDescriptor, JavaFile> generator;
    private CallbacksProcessingStep step;
    private LocalClassScanner localClasses;

    public CallbacksProcessor() {
        this(new CallbacksGenerator()::generate);
    }

    /** For tests: a generator that throws shows how an unexpected failure is reported. */
    CallbacksProcessor(Function<CallbacksDescriptor, JavaFile> generator) {
        this.generator = generator;
    }

    @Override
    public synchronized void init(ProcessingEnvironment processingEnv) {
        super.init(processingEnv);
        step = new CallbacksProcessingStep(processingEnv, generator);
        localClasses = new LocalClassScanner(processingEnv);
    }

    /**
     * The callbacks4j annotations, not {@code "*"}: a processor that supports every annotation type but claims none
     * makes javac warn under {@code -Xlint:processing} ("No processor claimed any of these annotations") about every
     * annotation of the user's code. Hooks in local and anonymous classes, which no round shows, are still found by
     * {@link LocalClassScanner} through a javac task listener. {@code @Generated} is here because the dispatchers
     * carry it: claimed by no one, it would draw the same warning in the round that compiles them.
     *
     * <p>The price of claiming: javac offers a round's unclaimed annotations to the next processors only, so a
     * {@code "*"} processor placed after this one is not called for a round whose annotations are all claimed (only
     * callbacks4j annotations and no other, not even {@code @Override}). Such a processor goes first on
     * {@code annotationProcessorPaths}.
     */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
        // @Dl4jMetrics (callbacks4j-dl4j) only widens the metric names a class may monitor: claimed so that javac
        // does not warn that no processor took it, read where the class's policies are validated.
        return Stream.concat(callbacksAnnotationTypes().stream(),
                        Stream.of(ClassNames.GENERATED.canonicalName(), ClassNames.DL4J_METRICS.canonicalName()))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The annotations this processor acts on: the hooks, the policy annotations and their repeat containers. */
    static Set<String> callbacksAnnotationTypes() {
        return Stream.concat(
                        Arrays.stream(Hook.values()).map(Hook::annotation),
                        PolicyAnnotations.ALL.stream())
                .map(ClassName::canonicalName)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
        try {
            step.process(roundEnv);
            localClasses.scan(roundEnv.getRootElements());
        } catch (RuntimeException | Error e) {
            new Diagnostics(processingEnv).crash(null, "a round", e);
        }
        // Claims the callbacks4j annotations and @Generated (the only ones it is given): an unclaimed annotation is
        // what javac's -Xlint:processing warns about.
        return true;
    }
}
