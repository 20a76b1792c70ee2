package org.callbacks4j.processor.validation;

import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import org.callbacks4j.processor.model.ClassNames;
import org.callbacks4j.processor.model.HookCall;
import org.callbacks4j.processor.model.Injectable;
import org.callbacks4j.processor.model.MethodRole;
import org.callbacks4j.processor.model.PoliciesDescriptor;
import org.callbacks4j.processor.model.PolicyMethod;
import org.callbacks4j.processor.validation.MetricCatalog.Resolved;
import org.callbacks4j.processor.validation.MetricCatalog.Site;

/**
 * Validates the policy annotations of a training class and its superclasses ({@code @EarlyStop},
 * {@code @Checkpoint}, {@code @ReduceLrOnPlateau}, {@code @TerminateOnNaN}, {@code @CsvLogger}, {@code @TensorBoard}
 * on classes; {@code @Metric}, {@code @LearningRateSchedule}, {@code @EarlyStop} on methods) and folds them into a
 * {@link PoliciesDescriptor}: attribute ranges, path templates, monitor names against the metrics the training
 * produces, and the direction {@code Mode.AUTO} stands for.
 */
final class PolicyValidator {

    /** How the type validator turns a method into a call from generated code, shared with hooks. */
    interface Caller {

        /**
         * The call of {@code method} (through its most derived override) on the target, or empty after reporting
         * why generated code cannot make it.
         */
        Optional<HookCall> call(
                ExecutableElement method,
                List<Injectable> arguments,
                String roles,
                AnnotationMirror mirror,
                ValidationReport report);

        /** The override of {@code method} that a call on the target runs. */
        ExecutableElement effective(ExecutableElement method);
    }

    /** The policy annotations on one method. */
    private record MethodAnnotations(
            Optional<AnnotationMirror> metric, Optional<AnnotationMirror> schedule, List<AnnotationMirror> earlyStops) {

        AnnotationMirror first() {
            return metric.or(() -> schedule).orElseGet(() -> earlyStops.get(0));
        }
    }

    /** A policy method that passed its own checks, with the call generated code makes. */
    private record ValidMethod(ExecutableElement method, MethodAnnotations annotations, HookCall call) {}

    /** A class-level policy annotation and the class that declares it. */
    private record Declared(TypeElement declaring, Attributes attributes, String display) {

        Site site(String attribute) {
            return new Site(declaring, attributes.mirror(), attributes.explicit(attribute), display);
        }
    }

    private final Elements elements;

    PolicyValidator(Elements elements) {
        this.elements = elements;
    }

    /** The methods {@code type} declares that carry a policy annotation, in declaration order. */
    static List<ExecutableElement> policyMethods(TypeElement type) {
        return ElementFilter.methodsIn(type.getEnclosedElements()).stream()
                .filter(m -> PolicyAnnotations.hasAny(m, PolicyAnnotations.ON_METHODS))
                .toList();
    }

    /** Whether {@code type} itself carries a class-level policy annotation. */
    static boolean hasClassPolicies(TypeElement type) {
        return PolicyAnnotations.hasAny(type, PolicyAnnotations.ON_CLASSES);
    }

    /** The class-level policy annotations on {@code type}, for errors that concern them all. */
    static List<AnnotationMirror> classPolicies(TypeElement type) {
        List<AnnotationMirror> mirrors = new ArrayList<>();
        for (ClassName annotation : PolicyAnnotations.ON_CLASSES) {
            mirrors.addAll(PolicyAnnotations.find(type, annotation));
        }
        return mirrors;
    }

    /** {@code @EarlyStop}, {@code @Metric/@EarlyStop}: how messages name the policy annotations on a method. */
    static String display(ExecutableElement method) {
        return roles(method, annotations(method)).stream()
                .map(MethodRole::display)
                .distinct()
                .collect(Collectors.joining("/"));
    }

    /** The first policy annotation on {@code method}, for errors about the method as a whole. */
    static AnnotationMirror firstAnnotation(ExecutableElement method) {
        return annotations(method).first();
    }

    private static MethodAnnotations annotations(ExecutableElement method) {
        return new MethodAnnotations(
                PolicyAnnotations.find(method, ClassNames.METRIC).stream().findFirst(),
                PolicyAnnotations.find(method, ClassNames.LEARNING_RATE_SCHEDULE).stream().findFirst(),
                PolicyAnnotations.find(method, ClassNames.EARLY_STOP));
    }

    /**
     * The roles the method's annotations give it. A {@code @Metric} that declares an {@code INDArray} is computed from
     * predictions.
     */
    private static List<MethodRole> roles(ExecutableElement method, MethodAnnotations annotations) {
        List<MethodRole> roles = new ArrayList<>();
        if (annotations.metric().isPresent()) {
            roles.add(takesArrays(method) ? PolicyMethod.PREDICTION_METRIC : PolicyMethod.METRIC);
        }
        if (annotations.schedule().isPresent()) {
            roles.add(PolicyMethod.LEARNING_RATE_SCHEDULE);
        }
        if (!annotations.earlyStops().isEmpty()) {
            roles.add(PolicyMethod.EARLY_STOP);
        }
        return roles;
    }

    private static boolean takesArrays(ExecutableElement method) {
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

    /**
     * Checks {@code method} alone: where it is declared, its modifiers, that it returns {@code double}, and its
     * parameters.
     *
     * @return the values to pass, or empty if anything is wrong
     */
    Optional<List<Injectable>> checkMethod(ExecutableElement method, ValidationReport report) {
        MethodAnnotations annotations = annotations(method);
        List<MethodRole> roles = roles(method, annotations);
        String display = display(method);
        boolean valid = MethodChecks.callable(method, display, annotations.first(), report);
        if (((TypeElement) method.getEnclosingElement()).getKind().isInterface()) {
            return Optional.empty();
        }
        if (method.getReturnType().getKind() != TypeKind.DOUBLE) {
            String why = switch ((PolicyMethod) roles.get(0)) {
                case METRIC, PREDICTION_METRIC -> "its value is the metric";
                case LEARNING_RATE_SCHEDULE -> "its value is the learning rate for the epoch";
                case EARLY_STOP -> "its value is the monitored quantity";
            };
            report.annotationError(
                    Message.POLICY_METHOD_RETURN_TYPE,
                    method,
                    annotations.first(),
                    display,
                    Names.signature(method),
                    Names.typeName(method.getReturnType()),
                    why);
            valid = false;
        }
        Optional<List<Injectable>> arguments = MethodChecks.parameters(method, roles, display, report);
        return valid ? arguments : Optional.empty();
    }

    /**
     * Validates the policies of {@code type}.
     *
     * @param rootFirst {@code type} and its superclasses, the root first
     * @return the policies, meaningful only if {@code report} is clean
     */
    PoliciesDescriptor validate(
            TypeElement type, List<TypeElement> rootFirst, Caller caller, ValidationReport report) {
        // Methods: keyed by the override that runs, so an override annotated again counts once.
        Map<ExecutableElement, ValidMethod> methods = new LinkedHashMap<>();
        for (TypeElement declaring : rootFirst) {
            for (ExecutableElement method : policyMethods(declaring)) {
                Optional<List<Injectable>> arguments = checkMethod(method, report);
                if (arguments.isEmpty()) {
                    continue;
                }
                MethodAnnotations annotations = annotations(method);
                Optional<HookCall> call =
                        caller.call(method, arguments.get(), display(method), annotations.first(), report);
                call.ifPresent(c -> methods.put(caller.effective(method), new ValidMethod(method, annotations, c)));
            }
        }
        List<ValidMetric> validMetrics = metrics(methods.values(), report);
        List<PoliciesDescriptor.Metric> metrics = validMetrics.stream().map(ValidMetric::metric).toList();
        Optional<PoliciesDescriptor.Schedule> schedule = schedule(methods.values(), report);

        Map<ClassName, List<Declared>> declared = new LinkedHashMap<>();
        for (ClassName annotation : PolicyAnnotations.ON_CLASSES) {
            List<Declared> all = new ArrayList<>();
            for (TypeElement declaring : rootFirst) {
                for (AnnotationMirror mirror : PolicyAnnotations.find(declaring, annotation)) {
                    all.add(new Declared(
                            declaring,
                            new Attributes(mirror, elements),
                            "@" + annotation.simpleName() + " on " + Names.nestedName(declaring)));
                }
            }
            declared.put(annotation, all);
        }
        for (ClassName single : List.of(
                ClassNames.REDUCE_LR_ON_PLATEAU,
                ClassNames.TERMINATE_ON_NAN,
                ClassNames.CSV_LOGGER,
                ClassNames.TENSOR_BOARD,
                ClassNames.BACKUP_AND_RESTORE)) {
            List<Declared> all = declared.get(single);
            for (int i = 1; i < all.size(); i++) {
                Declared later = all.get(i);
                report.annotationError(
                        Message.DUPLICATE_POLICY,
                        later.declaring(),
                        later.attributes().mirror(),
                        "@" + single.simpleName(),
                        Names.nestedName(later.declaring()),
                        "superclass " + Names.nestedName(all.get(0).declaring()));
            }
        }

        boolean learningRateLogged =
                schedule.isPresent() || !declared.get(ClassNames.REDUCE_LR_ON_PLATEAU).isEmpty();
        MetricCatalog catalog = new MetricCatalog(
                validMetrics.stream()
                        .map(m -> new MetricCatalog.Custom(
                                m.metric().name(),
                                m.direction(),
                                m.metric().fromPredictions(),
                                m.metric().call().signature()))
                        .toList(),
                learningRateLogged,
                rootFirst.stream().anyMatch(t -> !PolicyAnnotations.find(t, ClassNames.DL4J_METRICS).isEmpty()));

        Optional<PoliciesDescriptor.ReduceLr> reduceLr = declared.get(ClassNames.REDUCE_LR_ON_PLATEAU).stream()
                .findFirst()
                .flatMap(d -> reduceLr(d, catalog, report));
        List<PoliciesDescriptor.EarlyStop> earlyStops = new ArrayList<>();
        for (Declared d : declared.get(ClassNames.EARLY_STOP)) {
            earlyStop(d, catalog, report).ifPresent(earlyStops::add);
        }
        for (ValidMethod method : methods.values()) {
            for (AnnotationMirror mirror : method.annotations().earlyStops()) {
                methodEarlyStop(method, new Attributes(mirror, elements), catalog, report).ifPresent(earlyStops::add);
            }
        }
        List<PoliciesDescriptor.Checkpoint> checkpoints = new ArrayList<>();
        for (Declared d : declared.get(ClassNames.CHECKPOINT)) {
            checkpoint(d, catalog, report).ifPresent(checkpoints::add);
        }
        Optional<String> terminateOnNaN =
                declared.get(ClassNames.TERMINATE_ON_NAN).stream().findFirst().map(Declared::display);
        Optional<PoliciesDescriptor.CsvLogger> csvLogger =
                declared.get(ClassNames.CSV_LOGGER).stream().findFirst().flatMap(d -> csvLogger(d, report));
        Optional<PoliciesDescriptor.TensorBoard> tensorBoard =
                declared.get(ClassNames.TENSOR_BOARD).stream().findFirst().flatMap(d -> tensorBoard(d, report));
        Optional<PoliciesDescriptor.BackupAndRestore> backupAndRestore = declared.get(ClassNames.BACKUP_AND_RESTORE)
                .stream().findFirst().flatMap(d -> backupAndRestore(d, report));
        return new PoliciesDescriptor(metrics, schedule, reduceLr, earlyStops, checkpoints, terminateOnNaN, csvLogger,
                tensorBoard, backupAndRestore);
    }

    // ---- methods

    /** A {@code @Metric} that passed, with its declared direction. */
    private record ValidMetric(PoliciesDescriptor.Metric metric, MetricCatalog.Direction direction) {}

    private List<ValidMetric> metrics(Iterable<ValidMethod> methods, ValidationReport report) {
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

    private static MetricCatalog.Direction metricDirection(Attributes metric) {
        return MetricCatalog.Direction.valueOf(metric.enumConstant("direction"));
    }

    private Optional<PoliciesDescriptor.Schedule> schedule(Iterable<ValidMethod> methods, ValidationReport report) {
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

    // ---- class-level policies

    private Optional<PoliciesDescriptor.ReduceLr> reduceLr(
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

    private Optional<PoliciesDescriptor.EarlyStop> earlyStop(
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

    private Optional<PoliciesDescriptor.EarlyStop> methodEarlyStop(
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

    private Optional<PoliciesDescriptor.Checkpoint> checkpoint(
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

    private Optional<PoliciesDescriptor.CsvLogger> csvLogger(Declared d, ValidationReport report) {
        Attributes a = d.attributes();
        String path = a.string("value");
        boolean ok = notEmpty(d, "file path", "runs/history.csv", report);
        String separator = a.string("separator");
        String problem = null;
        if (separator.length() != 1) {
            problem = separator.isEmpty() ? "is empty" : "is " + separator.length() + " characters long";
        } else if (separator.equals("\"")) {
            problem = "is the quote character, which CSV readers take as the start of a quoted field";
        } else if (separator.equals("\r") || separator.equals("\n")) {
            problem = "is a line break, which ends CSV rows";
        }
        if (problem != null) {
            report.valueError(
                    Message.BAD_SEPARATOR,
                    d.declaring(),
                    a.mirror(),
                    a.explicit("separator"),
                    d.display(),
                    printable(separator),
                    problem);
            ok = false;
        }
        return ok
                ? Optional.of(new PoliciesDescriptor.CsvLogger(path, separator, a.bool("append"), d.display()))
                : Optional.empty();
    }

    /** Reports an empty {@code value} (a file or folder of the {@code what} kind); false if it is empty. */
    private static boolean notEmpty(Declared d, String what, String example, ValidationReport report) {
        Attributes a = d.attributes();
        if (!a.string("value").isEmpty()) {
            return true;
        }
        report.valueError(
                Message.EMPTY_PATH, d.declaring(), a.mirror(), a.explicit("value"), d.display(), what, example);
        return false;
    }

    private Optional<PoliciesDescriptor.TensorBoard> tensorBoard(Declared d, ValidationReport report) {
        Attributes a = d.attributes();
        String logDir = a.string("value");
        boolean ok = notEmpty(d, "log directory", "runs/tb", report);
        ok &= notNegative(
                d,
                "updateFreq",
                "use TensorBoard.EPOCH to write at epoch ends only, or N >= 1 to also write every N batches",
                report);
        return ok
                ? Optional.of(new PoliciesDescriptor.TensorBoard(logDir, a.integer("updateFreq"), d.display()))
                : Optional.empty();
    }

    private Optional<PoliciesDescriptor.BackupAndRestore> backupAndRestore(Declared d, ValidationReport report) {
        Attributes a = d.attributes();
        String dir = a.string("value");
        boolean ok = notEmpty(d, "backup folder", "runs/backup", report);
        ok &= notNegative(
                d,
                "saveFreq",
                "use BackupAndRestore.EPOCH to back up at epoch ends, or N >= 1 to back up every N batches",
                report);
        return ok
                ? Optional.of(new PoliciesDescriptor.BackupAndRestore(
                        dir, a.integer("saveFreq"), a.bool("deleteCheckpoint"), d.display()))
                : Optional.empty();
    }

    // ---- monitors and ranges

    /**
     * Resolves the {@code monitor} of {@code d} and, with {@code needDirection}, the direction its {@code mode} stands
     * for.
     *
     * @return {@code maximize}, or empty after an error
     */
    private static Optional<Boolean> monitor(
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

    private static boolean notNegative(Declared d, String attribute, String fix, ValidationReport report) {
        return notNegative(d.declaring(), d, attribute, fix, report);
    }

    private static boolean notNegative(
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

    private static boolean finiteNotNegative(Declared d, String attribute, String fix, ValidationReport report) {
        return finiteNotNegative(d.declaring(), d, attribute, fix, report);
    }

    private static boolean finiteNotNegative(
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

    private static boolean notInfinite(Declared d, String attribute, String fix, ValidationReport report) {
        return notInfinite(d.declaring(), d, attribute, fix, report);
    }

    private static boolean notInfinite(Element at, Declared d, String attribute, String fix, ValidationReport report) {
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
    private static String literal(double value) {
        return Double.toString(value);
    }

    /** {@code \t} and other control characters written as escapes. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '"' -> out.append("\\\"");
                default -> out.append(c < ' ' ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.toString();
    }
}
