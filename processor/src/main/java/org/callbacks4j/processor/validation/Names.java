package org.callbacks4j.processor.validation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/** How messages and generated code name elements: short, as a user would write them in the class's own package. */
final class Names {

    private Names() {}

    /** {@code Outer.Inner}: the simple names from the top-level class down. */
    static String nestedName(TypeElement type) {
        Deque<String> names = new ArrayDeque<>();
        for (Element e = type; e instanceof TypeElement t; e = t.getEnclosingElement()) {
            names.addFirst(t.getSimpleName().toString());
        }
        return String.join(".", names);
    }

    /** {@code Training.report(int, Logs)}. */
    static String signature(ExecutableElement method) {
        return nestedName((TypeElement) method.getEnclosingElement())
                + "."
                + method.getSimpleName()
                + method.getParameters().stream()
                        .map(p -> typeName(p.asType()))
                        .collect(Collectors.joining(", ", "(", ")"));
    }

    /** {@code Logs}, {@code int}, {@code Map}: a type without its package or type arguments. */
    static String typeName(TypeMirror type) {
        if (type.getKind() == TypeKind.DECLARED) {
            return nestedName((TypeElement) ((DeclaredType) type).asElement());
        }
        return type.toString();
    }
}
