package org.callbacks4j.processor.validation;

import static org.callbacks4j.processor.validation.MetricPolicyValidator.metricDirection;
import static org.callbacks4j.processor.validation.PolicyChecks.finiteNotNegative;
import static org.callbacks4j.processor.validation.PolicyChecks.monitor;
import static org.callbacks4j.processor.validation.PolicyChecks.notInfinite;
import static org.callbacks4j.processor.validation.PolicyChecks.notNegative;

import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import org.callbacks4j.processor.model.HookCall;
import org.callbacks4j.processor.model.PoliciesDescriptor;
import org.callbacks4j.processor.validation.MetricCatalog.Site;

/**
 * Validates {@code @EarlyStop}, on the class (a monitored metric) or on a method (its value is the monitored
 * quantity, the direction coming from {@code mode} or the method's {@code @Metric}).
 */
final class EarlyStopValidator {

    private final Elements elements;

    EarlyStopValidator(Elements elements) {
        this.elements = elements;
    }

    Optional<PoliciesDescriptor.EarlyStop> earlyStop(
            Declared d, MetricCatalog catalog, ValidationReport report) {
        boolean ok = earlyStopRanges(d.declaring(), d, report);
        Optional<Boolean> maximize = monitor(d, catalog, 0, true, report);
        if (!ok || maximize.isEmpty()) {
            return Optional.empty();
        }
        Attributes a = d.attributes();
        return Optional.of(earlyStopDescriptor(
                Optional.of(a.string("monitor")), Optional.empty(), maximize.get(), a, d.display()));
    }

    Optional<PoliciesDescriptor.EarlyStop> methodEarlyStop(
            ValidMethod method, Attributes a, MetricCatalog catalog, ValidationReport report) {
        String signature = Names.signature(method.method());
        Declared d = new Declared(
                (TypeElement) method.method().getEnclosingElement(), a, "@EarlyStop on " + signature);
        Site modeSite = new Site(method.method(), a.mirror(), a.explicit("mode"), d.display());
        boolean ok = earlyStopRanges(method.method(), d, report); // errors on the method, not its class
        if (a.isSet("monitor")) {
            report.valueError(
                    Message.MONITOR_ON_EARLY_STOP_METHOD,
                    method.method(),
                    a.mirror(),
                    a.explicit("monitor"),
                    signature,
                    a.string("monitor"));
            ok = false;
        }
        Optional<Attributes> metric = method.annotations().metric().map(m -> new Attributes(m, elements));
        String mode = a.enumConstant("mode");
        Optional<Boolean> maximize;
        if (!mode.equals("AUTO")) {
            maximize = Optional.of(mode.equals("MAX"));
        } else if (metric.isPresent() && !metricDirection(metric.get()).equals(MetricCatalog.Direction.NONE)) {
            maximize = Optional.of(metricDirection(metric.get()).equals(MetricCatalog.Direction.MAX));
        } else {
            report.valueError(
                    Message.UNKNOWN_DIRECTION,
                    modeSite.element(),
                    modeSite.annotation(),
                    modeSite.value(),
                    d.display(),
                    "the value of " + signature,
                    metric.isPresent()
                            ? "its @Metric(\"" + metric.get().string("value") + "\") declares no direction"
                            : "the method declares no direction",
                    metric.isPresent()
                            ? ", or give the metric one: direction = Direction.MIN or Direction.MAX"
                            : ", or add @Metric(value = \"...\", direction = Direction.MIN or Direction.MAX) to the"
                                    + " method");
            maximize = Optional.empty();
        }
        if (!ok || maximize.isEmpty()) {
            return Optional.empty();
        }
        // A method that is also a @Metric is computed once, into the logs, and monitored there by name.
        Optional<String> monitor = metric.map(m -> m.string("value"))
                .filter(name -> catalog.names().contains(name));
        return Optional.of(earlyStopDescriptor(
                monitor,
                monitor.isPresent() ? Optional.empty() : Optional.of(method.call()),
                maximize.get(),
                a,
                d.display()));
    }

    private static boolean earlyStopRanges(Element at, Declared d, ValidationReport report) {
        boolean ok = notNegative(at, d, "patience", "use 0 to stop at the first epoch without improvement", report);
        ok &= notNegative(at, d, "startFromEpoch", "use 0 to count from the first epoch", report);
        ok &= finiteNotNegative(at, d, "minDelta", "use 0 to count any improvement", report);
        ok &= notInfinite(at, d, "baseline", "use a finite value, or NaN (the default) for no baseline", report);
        return ok;
    }

    private static PoliciesDescriptor.EarlyStop earlyStopDescriptor(
            Optional<String> monitor, Optional<HookCall> method, boolean maximize, Attributes a, String source) {
        return new PoliciesDescriptor.EarlyStop(
                monitor,
                method,
                maximize,
                a.number("minDelta"),
                a.integer("patience"),
                a.number("baseline"),
                a.bool("restoreBestWeights"),
                a.integer("startFromEpoch"),
                a.bool("verbose"),
                source);
    }
}
