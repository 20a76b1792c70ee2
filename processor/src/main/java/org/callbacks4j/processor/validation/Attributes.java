package org.callbacks4j.processor.validation;

import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * The attribute values of one annotation, read through its mirror (the processor does not load the annotation types),
 * defaults included, and the source value of each attribute that was written out, for errors to point at.
 */
final class Attributes {

    private final AnnotationMirror mirror;
    private final Map<? extends ExecutableElement, ? extends AnnotationValue> explicit;
    private final Map<? extends ExecutableElement, ? extends AnnotationValue> all;

    Attributes(AnnotationMirror mirror, Elements elements) {
        this.mirror = mirror;
        this.explicit = mirror.getElementValues();
        this.all = elements.getElementValuesWithDefaults(mirror);
    }

    AnnotationMirror mirror() {
        return mirror;
    }

    /** The value as written in the source, or null when the attribute was left at its default. */
    AnnotationValue explicit(String name) {
        return find(explicit, name);
    }

    boolean isSet(String name) {
        return explicit(name) != null;
    }

    String string(String name) {
        return (String) value(name);
    }

    int integer(String name) {
        return ((Number) value(name)).intValue();
    }

    double number(String name) {
        return ((Number) value(name)).doubleValue();
    }

    boolean bool(String name) {
        return (Boolean) value(name);
    }

    /** The constant's name, such as {@code AUTO}. */
    String enumConstant(String name) {
        return ((VariableElement) value(name)).getSimpleName().toString();
    }

    private Object value(String name) {
        AnnotationValue value = find(all, name);
        if (value == null) {
            throw new IllegalArgumentException(mirror + " has no attribute " + name);
        }
        return value.getValue();
    }

    private static AnnotationValue find(
            Map<? extends ExecutableElement, ? extends AnnotationValue> values, String name) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : values.entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(name)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
