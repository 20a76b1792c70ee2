package org.callbacks4j.processor.validation;

import static org.callbacks4j.processor.validation.PolicyChecks.literal;
import static org.callbacks4j.processor.validation.PolicyChecks.monitor;
import static org.callbacks4j.processor.validation.PolicyChecks.notInfinite;
import static org.callbacks4j.processor.validation.PolicyChecks.notNegative;

import java.util.Optional;
import org.callbacks4j.processor.model.PoliciesDescriptor;
import org.callbacks4j.processor.validation.MetricCatalog.Site;

/**
 * Validates {@code @Checkpoint}: the path template and its placeholders against the metrics the training produces,
 * {@code saveFreq}, {@code initialValueThreshold}, and the monitor when {@code saveBestOnly} needs it.
 */
final class CheckpointValidator {

    private CheckpointValidator() {}

    static Optional<PoliciesDescriptor.Checkpoint> checkpoint(
            Declared d, MetricCatalog catalog, ValidationReport report) {
        Attributes a = d.attributes();
        int saveFreq = a.integer("saveFreq");
        boolean ok = notNegative(
                d,
                "saveFreq",
                "use Checkpoint.EPOCH to save at every epoch end, or N >= 1 to save every N batches",
                report);
        int batchFreq = Math.max(saveFreq, 0);
        String path = a.string("path");
        Site pathSite = d.site("path");
        if (path.isEmpty()) {
            report.valueError(
                    Message.EMPTY_PATH, d.declaring(), a.mirror(), pathSite.value(), d.display(), "path",
                    "checkpoints/ckpt-{epoch:02d}.zip");
            ok = false;
        } else {
            PathTemplateSyntax.Parsed parsed = PathTemplateSyntax.parse(path);
            if (!parsed.isValid()) {
                report.valueError(
                        Message.MALFORMED_PATH_TEMPLATE,
                        d.declaring(),
                        a.mirror(),
                        pathSite.value(),
                        d.display(),
                        parsed.error().get());
                ok = false;
            }
            for (PathTemplateSyntax.Field field : parsed.fields()) {
                if (field.name().equals("epoch")) {
                    continue;
                }
                if (field.name().equals("batch")) {
                    if (batchFreq == 0) {
                        report.valueError(
                                Message.BATCH_PLACEHOLDER_AT_EPOCH_LEVEL,
                                d.declaring(),
                                a.mirror(),
                                pathSite.value(),
                                d.display(),
                                path);
                        ok = false;
                    }
                    continue;
                }
                ok &= catalog.resolve(field.name(), "path placeholder " + field.text(), pathSite, batchFreq, report)
                        .isPresent();
            }
        }
        boolean saveBestOnly = a.bool("saveBestOnly");
        double threshold = a.number("initialValueThreshold");
        if (!Double.isNaN(threshold) && !saveBestOnly) {
            report.valueError(
                    Message.INERT_THRESHOLD, d.declaring(), a.mirror(), a.explicit("initialValueThreshold"),
                    d.display(), literal(threshold));
            ok = false;
        } else {
            ok &= notInfinite(
                    d, "initialValueThreshold", "use a finite value, or NaN (the default) for none", report);
        }
        // The monitor decides only with saveBestOnly; otherwise a name written out is still checked for typos.
        Optional<Boolean> maximize;
        if (saveBestOnly) {
            maximize = monitor(d, catalog, batchFreq, true, report);
        } else if (a.isSet("monitor")) {
            maximize = monitor(d, catalog, 0, false, report); // unused: only a typo is worth an error
        } else {
            maximize = Optional.of(a.enumConstant("mode").equals("MAX"));
        }
        if (!ok || maximize.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PoliciesDescriptor.Checkpoint(
                path,
                a.string("monitor"),
                maximize.get(),
                saveBestOnly,
                a.bool("saveWeightsOnly"),
                saveFreq,
                threshold,
                a.bool("verbose"),
                d.display()));
    }
}
