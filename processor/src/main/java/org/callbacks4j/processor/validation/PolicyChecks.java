package org.callbacks4j.processor.validation;

import java.util.Optional;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import org.callbacks4j.processor.validation.MetricCatalog.Resolved;

/**
 * Checks shared by the policy validators: a {@code monitor} and the direction its {@code mode} stands for, and the
 * ranges of numeric attributes. Each reports what is wrong and returns whether the value passed.
 */
final class PolicyChecks {

    private PolicyChecks() {}

    /**
     * Resolves the {@code monitor} of {@code d} and, with {@code needDirection}, the direction its {@code mode} stands
     * for.
     *
     * @return {@code maximize}, or empty after an error
     */
    static Optional<Boolean> monitor(
            Declared d, MetricCatalog catalog, int batchFreq, boolean needDirection, ValidationReport report) {
        Attributes a = d.attributes();
        String monitor = a.string("monitor");
        Optional<Resolved> resolved = catalog.resolve(monitor, "monitor", d.site("monitor"), batchFreq, report);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        String mode = a.enumConstant("mode");
        if (!mode.equals("AUTO")) {
            return Optional.of(mode.equals("MAX"));
        }
        MetricCatalog.Entry entry = resolved.get().entry();
        switch (entry.direction()) {
            case MIN:
                return Optional.of(false);
            case MAX:
                return Optional.of(true);
            default:
                break;
        }
        if (!needDirection) {
            return Optional.of(false);
        }
        boolean learningRate = entry.name().equals(MetricCatalog.LEARNING_RATE);
        AnnotationValue at = a.isSet("mode") ? a.explicit("mode") : a.explicit("monitor");
        report.valueError(
                Message.UNKNOWN_DIRECTION,
                d.declaring(),
                a.mirror(),
                at,
                d.display(),
                "monitor \"" + monitor + "\"",
                learningRate ? "the learning rate has no direction" : entry.origin() + " declares no direction",
                learningRate
                        ? ""
                        : ", or give the metric one: @Metric(value = \"" + entry.name()
                                + "\", direction = Direction.MIN or Direction.MAX)");
        return Optional.empty();
    }

    static boolean notNegative(Declared d, String attribute, String fix, ValidationReport report) {
        return notNegative(d.declaring(), d, attribute, fix, report);
    }

    static boolean notNegative(
            Element at, Declared d, String attribute, String fix, ValidationReport report) {
        int value = d.attributes().integer(attribute);
        if (value < 0) {
            report.valueError(
                    Message.NEGATIVE_ATTRIBUTE,
                    at,
                    d.attributes().mirror(),
                    d.attributes().explicit(attribute),
                    d.display(),
                    attribute,
                    value,
                    fix);
            return false;
        }
        return true;
    }

    static boolean finiteNotNegative(Declared d, String attribute, String fix, ValidationReport report) {
        return finiteNotNegative(d.declaring(), d, attribute, fix, report);
    }

    static boolean finiteNotNegative(
            Element at, Declared d, String attribute, String fix, ValidationReport report) {
        double value = d.attributes().number(attribute);
        Message problem = Double.isNaN(value) || Double.isInfinite(value)
                ? Message.NON_FINITE_ATTRIBUTE
                : value < 0 ? Message.NEGATIVE_ATTRIBUTE : null;
        if (problem != null) {
            report.valueError(
                    problem,
                    at,
                    d.attributes().mirror(),
                    d.attributes().explicit(attribute),
                    d.display(),
                    attribute,
                    literal(value),
                    fix);
            return false;
        }
        return true;
    }

    static boolean notInfinite(Declared d, String attribute, String fix, ValidationReport report) {
        return notInfinite(d.declaring(), d, attribute, fix, report);
    }

    static boolean notInfinite(Element at, Declared d, String attribute, String fix, ValidationReport report) {
        double value = d.attributes().number(attribute);
        if (Double.isInfinite(value)) {
            report.valueError(
                    Message.NON_FINITE_ATTRIBUTE,
                    at,
                    d.attributes().mirror(),
                    d.attributes().explicit(attribute),
                    d.display(),
                    attribute,
                    literal(value),
                    fix);
            return false;
        }
        return true;
    }

    /** A double as a user would write it: {@code 0.5}, {@code -1.0}, {@code NaN}, {@code Infinity}. */
    static String literal(double value) {
        return Double.toString(value);
    }
}
