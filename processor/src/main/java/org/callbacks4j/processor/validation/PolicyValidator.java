package org.callbacks4j.processor.validation;

import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import org.callbacks4j.processor.model.ClassNames;
import org.callbacks4j.processor.model.HookCall;
import org.callbacks4j.processor.model.Injectable;
import org.callbacks4j.processor.model.MethodRole;
import org.callbacks4j.processor.model.PoliciesDescriptor;
import org.callbacks4j.processor.model.PolicyMethod;
import org.callbacks4j.processor.validation.MetricPolicyValidator.ValidMetric;

/**
 * Validates the policy annotations of a training class and its superclasses ({@code @EarlyStop},
 * {@code @Checkpoint}, {@code @ReduceLrOnPlateau}, {@code @TerminateOnNaN}, {@code @CsvLogger}, {@code @TensorBoard}
 * on classes; {@code @Metric}, {@code @LearningRateSchedule}, {@code @EarlyStop} on methods) and folds them into a
 * {@link PoliciesDescriptor}: attribute ranges, path templates, monitor names against the metrics the training
 * produces, and the direction {@code Mode.AUTO} stands for.
 *
 * <p>This class checks policy methods on their own, gathers the annotations of the class and its superclasses and
 * rejects duplicates; each policy's attributes are checked by its own validator ({@link MetricPolicyValidator},
 * {@link LearningRatePolicyValidator}, {@link EarlyStopValidator}, {@link CheckpointValidator},
 * {@link FilePolicyValidator}), with the checks they share in {@link PolicyChecks}.
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

    private final Elements elements;
    private final MetricPolicyValidator metricPolicies;
    private final LearningRatePolicyValidator learningRatePolicies;
    private final EarlyStopValidator earlyStops;

    PolicyValidator(Elements elements) {
        this.elements = elements;
        this.metricPolicies = new MetricPolicyValidator(elements);
        this.learningRatePolicies = new LearningRatePolicyValidator(elements);
        this.earlyStops = new EarlyStopValidator(elements);
    }

    /** The methods {@code type} declares that carry a policy annotation, in declaration order. */
    static List<ExecutableElement> policyMethods(TypeElement type) {
        return ElementFilter.methodsIn(type.getEnclosedElements()).stream()
                .filter(m -> PolicyAnnotations.hasAny(m, PolicyAnnotations.ON_METHODS))
                .toList();
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
            roles.add(MetricPolicyValidator.takesArrays(method) ? PolicyMethod.PREDICTION_METRIC : PolicyMethod.METRIC);
        }
        if (annotations.schedule().isPresent()) {
            roles.add(PolicyMethod.LEARNING_RATE_SCHEDULE);
        }
        if (!annotations.earlyStops().isEmpty()) {
            roles.add(PolicyMethod.EARLY_STOP);
        }
        return roles;
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
        List<ValidMetric> validMetrics = metricPolicies.metrics(methods.values(), report);
        List<PoliciesDescriptor.Metric> metrics = validMetrics.stream().map(ValidMetric::metric).toList();
        Optional<PoliciesDescriptor.Schedule> schedule = learningRatePolicies.schedule(methods.values(), report);

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
                .flatMap(d -> learningRatePolicies.reduceLr(d, catalog, report));
        List<PoliciesDescriptor.EarlyStop> earlyStops = new ArrayList<>();
        for (Declared d : declared.get(ClassNames.EARLY_STOP)) {
            this.earlyStops.earlyStop(d, catalog, report).ifPresent(earlyStops::add);
        }
        for (ValidMethod method : methods.values()) {
            for (AnnotationMirror mirror : method.annotations().earlyStops()) {
                this.earlyStops.methodEarlyStop(method, new Attributes(mirror, elements), catalog, report)
                        .ifPresent(earlyStops::add);
            }
        }
        List<PoliciesDescriptor.Checkpoint> checkpoints = new ArrayList<>();
        for (Declared d : declared.get(ClassNames.CHECKPOINT)) {
            CheckpointValidator.checkpoint(d, catalog, report).ifPresent(checkpoints::add);
        }
        Optional<String> terminateOnNaN =
                declared.get(ClassNames.TERMINATE_ON_NAN).stream().findFirst().map(Declared::display);
        Optional<PoliciesDescriptor.CsvLogger> csvLogger =
                declared.get(ClassNames.CSV_LOGGER).stream().findFirst().flatMap(d -> FilePolicyValidator.csvLogger(d, report));
        Optional<PoliciesDescriptor.TensorBoard> tensorBoard =
                declared.get(ClassNames.TENSOR_BOARD).stream().findFirst().flatMap(d -> FilePolicyValidator.tensorBoard(d, report));
        Optional<PoliciesDescriptor.BackupAndRestore> backupAndRestore = declared.get(ClassNames.BACKUP_AND_RESTORE)
                .stream().findFirst().flatMap(d -> FilePolicyValidator.backupAndRestore(d, report));
        return new PoliciesDescriptor(metrics, schedule, reduceLr, earlyStops, checkpoints, terminateOnNaN, csvLogger,
                tensorBoard, backupAndRestore);
    }

}
