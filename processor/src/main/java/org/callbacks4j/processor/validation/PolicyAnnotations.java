package org.callbacks4j.processor.validation;

import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import org.callbacks4j.processor.model.ClassNames;

/**
 * Finds the policy annotations on an element, looking inside the containers javac writes for repeated ones
 * ({@code @EarlyStop.List}).
 */
public final class PolicyAnnotations {

    /** The policy annotations that sit on a training class. */
    public static final List<ClassName> ON_CLASSES = List.of(
            ClassNames.EARLY_STOP,
            ClassNames.CHECKPOINT,
            ClassNames.REDUCE_LR_ON_PLATEAU,
            ClassNames.TERMINATE_ON_NAN,
            ClassNames.CSV_LOGGER,
            ClassNames.TENSOR_BOARD,
            ClassNames.BACKUP_AND_RESTORE);

    /** The policy annotations that sit on methods returning {@code double}. */
    public static final List<ClassName> ON_METHODS =
            List.of(ClassNames.METRIC, ClassNames.LEARNING_RATE_SCHEDULE, ClassNames.EARLY_STOP);

    /** Every annotation, containers included, whose presence makes a class one to process. */
    public static final Set<ClassName> ALL = Set.of(
            ClassNames.EARLY_STOP,
            ClassNames.EARLY_STOP_LIST,
            ClassNames.CHECKPOINT,
            ClassNames.CHECKPOINT_LIST,
            ClassNames.REDUCE_LR_ON_PLATEAU,
            ClassNames.TERMINATE_ON_NAN,
            ClassNames.CSV_LOGGER,
            ClassNames.TENSOR_BOARD,
            ClassNames.METRIC,
            ClassNames.LEARNING_RATE_SCHEDULE,
            ClassNames.BACKUP_AND_RESTORE);

    private PolicyAnnotations() {}

    /** The {@code annotation}s on {@code element}, in source order, repeated ones unwrapped from their container. */
    static List<AnnotationMirror> find(Element element, ClassName annotation) {
        List<AnnotationMirror> found = new ArrayList<>();
        String container = annotation.nestedClass("List").canonicalName();
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            String name = ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
            if (name.equals(annotation.canonicalName())) {
                found.add(mirror);
            } else if (name.equals(container)) {
                for (AnnotationValue value : mirror.getElementValues().values()) {
                    if (value.getValue() instanceof List<?> list) {
                        for (Object item : list) {
                            if (((AnnotationValue) item).getValue() instanceof AnnotationMirror nested) {
                                found.add(nested);
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Whether {@code element} carries any of {@code annotations}. */
    static boolean hasAny(Element element, List<ClassName> annotations) {
        return annotations.stream().anyMatch(a -> !find(element, a).isEmpty());
    }
}
