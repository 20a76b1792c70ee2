package org.callbacks4j.processor.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.Elements;
import org.callbacks4j.processor.model.ClassNames;
import org.callbacks4j.processor.model.PoliciesDescriptor;

/**
 * Validates the {@code @Metric} methods of a training class: names that are identifiers, not reserved and not used
 * twice, and the direction each declares.
 */
final class MetricPolicyValidator {

    /** A {@code @Metric} that passed, with its declared direction. */
    record ValidMetric(PoliciesDescriptor.Metric metric, MetricCatalog.Direction direction) {}

    private final Elements elements;

    MetricPolicyValidator(Elements elements) {
        this.elements = elements;
    }

    List<ValidMetric> metrics(Iterable<ValidMethod> methods, ValidationReport report) {
        Map<String, ValidMethod> byName = new LinkedHashMap<>();
        List<ValidMetric> metrics = new ArrayList<>();
        for (ValidMethod method : methods) {
            if (method.annotations().metric().isEmpty()) {
                continue;
            }
            Attributes attributes = new Attributes(method.annotations().metric().get(), elements);
            String name = attributes.string("value");
            if (!metricNameOk(method.method(), attributes, name, report)) {
                continue;
            }
            ValidMethod earlier = byName.putIfAbsent(name, method);
            if (earlier != null) {
                report.valueError(
                        Message.DUPLICATE_METRIC_NAME,
                        method.method(),
                        attributes.mirror(),
                        attributes.explicit("value"),
                        name,
                        Names.signature(method.method()),
                        Names.signature(earlier.method()));
                continue;
            }
            metrics.add(new ValidMetric(
                    new PoliciesDescriptor.Metric(name, method.call(), takesArrays(method.method())),
                    metricDirection(attributes)));
        }
        return metrics;
    }

    private static boolean metricNameOk(
            ExecutableElement method, Attributes attributes, String name, ValidationReport report) {
        AnnotationValue value = attributes.explicit("value");
        String signature = Names.signature(method);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            String fixed = name.replaceAll("[^A-Za-z0-9_]+", "_");
            if (fixed.isEmpty() || Character.isDigit(fixed.charAt(0))) {
                fixed = "m_" + fixed;
            }
            report.valueError(
                    Message.INVALID_METRIC_NAME, method, attributes.mirror(), value, name, signature, fixed);
            return false;
        }
        String reason = null;
        if (name.startsWith("val_")) {
            reason = "names starting with val_ are the validation values of other metrics";
        } else if (name.equals("loss")) {
            reason = "loss is the training loss";
        } else if (MetricCatalog.isBuiltIn(name)) {
            reason = name + " is a compiled metric of the trainer";
        } else if (name.equals(MetricCatalog.LEARNING_RATE)) {
            reason = "the learning-rate policies write learning_rate";
        } else if (name.equals("epoch") || name.equals("batch")) {
            reason = "{" + name + "} in a checkpoint path is the " + name + " number";
        }
        if (reason != null) {
            report.valueError(
                    Message.RESERVED_METRIC_NAME, method, attributes.mirror(), value, name, signature, reason);
            return false;
        }
        return true;
    }

    static MetricCatalog.Direction metricDirection(Attributes metric) {
        return MetricCatalog.Direction.valueOf(metric.enumConstant("direction"));
    }

    static boolean takesArrays(ExecutableElement method) {
        for (VariableElement parameter : method.getParameters()) {
            if (parameter.asType().getKind() == TypeKind.DECLARED
                    && ((TypeElement) ((DeclaredType) parameter.asType()).asElement())
                            .getQualifiedName()
                            .contentEquals(ClassNames.INDARRAY.canonicalName())) {
                return true;
            }
        }
        return false;
    }
}
