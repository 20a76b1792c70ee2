package org.callbacks4j.processor.validation;

import static org.callbacks4j.processor.validation.PolicyChecks.finiteNotNegative;
import static org.callbacks4j.processor.validation.PolicyChecks.literal;
import static org.callbacks4j.processor.validation.PolicyChecks.monitor;
import static org.callbacks4j.processor.validation.PolicyChecks.notNegative;

import java.util.Optional;
import javax.lang.model.util.Elements;
import org.callbacks4j.processor.model.PoliciesDescriptor;

/**
 * Validates the learning-rate policies: the one {@code @LearningRateSchedule} method and {@code @ReduceLrOnPlateau}
 * (factor, patience, cooldown, bounds, monitor).
 */
final class LearningRatePolicyValidator {

    private final Elements elements;

    LearningRatePolicyValidator(Elements elements) {
        this.elements = elements;
    }

    Optional<PoliciesDescriptor.Schedule> schedule(Iterable<ValidMethod> methods, ValidationReport report) {
        ValidMethod first = null;
        for (ValidMethod method : methods) {
            if (method.annotations().schedule().isEmpty()) {
                continue;
            }
            if (first != null) {
                report.annotationError(
                        Message.DUPLICATE_SCHEDULE,
                        method.method(),
                        method.annotations().schedule().get(),
                        Names.signature(method.method()),
                        Names.signature(first.method()));
                continue;
            }
            first = method;
        }
        if (first == null) {
            return Optional.empty();
        }
        Attributes attributes = new Attributes(first.annotations().schedule().get(), elements);
        return Optional.of(new PoliciesDescriptor.Schedule(first.call(), attributes.bool("verbose")));
    }

    Optional<PoliciesDescriptor.ReduceLr> reduceLr(
            Declared d, MetricCatalog catalog, ValidationReport report) {
        Attributes a = d.attributes();
        boolean ok = true;
        double factor = a.number("factor");
        if (!(factor > 0 && factor < 1)) {
            report.valueError(
                    Message.FACTOR_OUT_OF_RANGE, d.declaring(), a.mirror(), a.explicit("factor"), d.display(),
                    literal(factor));
            ok = false;
        }
        ok &= notNegative(d, "patience", "use 0 to reduce at the first epoch without improvement", report);
        ok &= notNegative(d, "cooldown", "use 0 for no cooldown", report);
        ok &= finiteNotNegative(d, "minDelta", "use 0 to count any improvement", report);
        ok &= finiteNotNegative(d, "minLr", "use 0 for no lower bound", report);
        Optional<Boolean> maximize = monitor(d, catalog, 0, true, report);
        if (!ok || maximize.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PoliciesDescriptor.ReduceLr(
                a.string("monitor"),
                maximize.get(),
                factor,
                a.integer("patience"),
                a.number("minDelta"),
                a.integer("cooldown"),
                a.number("minLr"),
                a.bool("verbose"),
                d.display()));
    }
}
