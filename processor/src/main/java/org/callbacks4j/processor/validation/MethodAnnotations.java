package org.callbacks4j.processor.validation;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;

/** The policy annotations on one method. */
record MethodAnnotations(
        Optional<AnnotationMirror> metric, Optional<AnnotationMirror> schedule, List<AnnotationMirror> earlyStops) {

    AnnotationMirror first() {
        return metric.or(() -> schedule).orElseGet(() -> earlyStops.get(0));
    }
}
