package org.callbacks4j.processor.validation;

import java.util.Objects;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;

/**
 * One error, attached to the narrowest element at fault and, when the annotation is what to point at, its mirror.
 *
 * @param message the catalogue entry
 * @param text the formatted message, id prefix included
 * @param element where javac reports it
 * @param annotation the annotation on {@code element} to point at, or null
 */
public record Diagnostic(Message message, String text, Element element, AnnotationMirror annotation) {

    public Diagnostic {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(text, "text");
    }
}
