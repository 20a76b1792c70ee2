package org.callbacks4j.processor.validation;

import java.util.Objects;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * One error, attached to the narrowest place at fault: an element, an annotation on it, or one of that annotation's
 * values.
 *
 * @param message the catalogue entry
 * @param text the formatted message, id prefix included
 * @param element where javac reports it
 * @param annotation the annotation on {@code element} to point at, or null
 * @param value the value of {@code annotation} to point at, or null (always null without an annotation)
 */
public record Diagnostic(
        Message message, String text, Element element, AnnotationMirror annotation, AnnotationValue value) {

    public Diagnostic {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(text, "text");
        if (value != null && annotation == null) {
            throw new IllegalArgumentException("a value without its annotation: " + value);
        }
    }
}
