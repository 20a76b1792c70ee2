package org.callbacks4j.processor.validation;

import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/** The errors validation found, in the order found. Validators add to it; they never print or throw. */
public final class ValidationReport {

    private final List<Diagnostic> diagnostics = new ArrayList<>();

    /** An error on {@code element}. */
    public void error(Message message, Element element, Object... args) {
        diagnostics.add(new Diagnostic(message, message.format(args), element, null, null));
    }

    /** An error on {@code annotation}, which sits on {@code element}. */
    public void annotationError(Message message, Element element, AnnotationMirror annotation, Object... args) {
        diagnostics.add(new Diagnostic(message, message.format(args), element, annotation, null));
    }

    /**
     * An error on {@code value} of {@code annotation}, which sits on {@code element}; on the annotation itself when
     * {@code value} is null (an attribute left at its default has no place in the source).
     */
    public void valueError(
            Message message, Element element, AnnotationMirror annotation, AnnotationValue value, Object... args) {
        diagnostics.add(new Diagnostic(message, message.format(args), element, annotation, value));
    }

    public boolean isClean() {
        return diagnostics.isEmpty();
    }

    public List<Diagnostic> diagnostics() {
        return List.copyOf(diagnostics);
    }
}
