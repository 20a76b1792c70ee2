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
import org.callbacks4j.processor.model.Hook;
import org.callbacks4j.processor.validation.PolicyAnnotations;
import org.callbacks4j.processor.writing.CallbacksGenerator;

/**
 * The javac entry point of callbacks4j: for each class with methods annotated {@code @OnEpochEnd}, {@code @OnBatchEnd}
 * and the other hooks, or with policy annotations ({@code @EarlyStop}, {@code @Metric}, ...), reports misuse as compile
 * errors and generates {@code Class_Callbacks}, the dispatcher the trainer calls. The work is in
 * {@link CallbacksProcessingStep}; this adapter never throws and claims nothing, so other processors see the same
 * annotations.
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
     * Every annotation type, {@code "*"}, not just ours: javac invokes a processor only for annotations it finds on
     * elements, and a hook in a local or anonymous class is on none, so without {@code "*"} such a hook would be
     * ignored silently instead of reported ({@link LocalClassScanner}). Claiming nothing, the processor does not
     * hide any annotation from other processors.
     */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("*");
    }

    /** The annotations this processor acts on: the hooks and the policy annotations. */
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
        return false;
    }
}
