package org.callbacks4j.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import org.callbacks4j.processor.model.CallbacksDescriptor;
import org.callbacks4j.processor.model.Hook;
import org.callbacks4j.processor.validation.CallbacksTypeValidator;
import org.callbacks4j.processor.validation.Message;
import org.callbacks4j.processor.validation.PolicyAnnotations;
import org.callbacks4j.processor.writing.SourceFileWriter;

/**
 * One round: find the classes that declare hook methods or policies, validate each, and generate a dispatcher for each
 * valid one. A class at fault is abandoned alone; the others still generate.
 */
final class CallbacksProcessingStep {

    private final Elements elements;
    private final Diagnostics diagnostics;
    private final CallbacksTypeValidator validator;
    private final Function<CallbacksDescriptor, JavaFile> generator;
    private final SourceFileWriter writer;

    /** Classes whose hooks refer to types not generated yet, by name: elements do not outlive a round. */
    private final Set<String> deferred = new TreeSet<>();

    /** Generated class name -> the class it dispatches, to catch two classes mapping to one name. */
    private final Map<String, String> generated = new HashMap<>();

    CallbacksProcessingStep(ProcessingEnvironment env, Function<CallbacksDescriptor, JavaFile> generator) {
        this.elements = env.getElementUtils();
        this.diagnostics = new Diagnostics(env);
        this.validator = new CallbacksTypeValidator(env.getElementUtils(), env.getTypeUtils());
        this.generator = generator;
        this.writer = new SourceFileWriter(env.getFiler(), env.getElementUtils());
    }

    void process(RoundEnvironment round) {
        Set<TypeElement> types = new LinkedHashSet<>();
        for (String name : deferred) {
            TypeElement type = elements.getTypeElement(name);
            if (type != null) {
                types.add(type);
            }
        }
        deferred.clear();
        List<ClassName> annotations = new ArrayList<>();
        for (Hook hook : Hook.values()) {
            annotations.add(hook.annotation());
        }
        annotations.addAll(new TreeSet<>(PolicyAnnotations.ALL)); // sorted: the order types are processed in
        for (ClassName name : annotations) {
            TypeElement annotation = elements.getTypeElement(name.canonicalName());
            if (annotation == null) {
                continue; // the runtime is not on the classpath, so nothing can carry this annotation
            }
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                if (element instanceof TypeElement type) {
                    types.add(type); // a policy on the class
                } else if (element.getEnclosingElement() instanceof TypeElement type) {
                    types.add(type); // a hook or policy on a method
                }
            }
        }
        for (TypeElement type : types) {
            try {
                process(type, round.processingOver());
            } catch (RuntimeException | Error e) {
                diagnostics.crash(type, type.getQualifiedName().toString(), e);
            }
        }
    }

    private void process(TypeElement type, boolean lastRound) {
        CallbacksTypeValidator.Result result = validator.validate(type, lastRound);
        if (result.isDeferred()) {
            deferred.add(type.getQualifiedName().toString());
            return;
        }
        diagnostics.print(result.report());
        if (result.descriptor().isEmpty()) {
            return;
        }
        CallbacksDescriptor descriptor = result.descriptor().get();
        String name = descriptor.generatedName().canonicalName();
        String source = type.getQualifiedName().toString();
        String previous = generated.putIfAbsent(name, source);
        if (previous != null) {
            if (!previous.equals(source)) {
                diagnostics.error(type, Message.GENERATED_NAME_CLASH, previous, source, name);
            }
            return;
        }
        JavaFile file = generator.apply(descriptor);
        try {
            writer.write(file, type);
        } catch (IOException e) {
            diagnostics.error(type, Message.WRITE_FAILED, name, source, e.getMessage());
        }
    }
}
