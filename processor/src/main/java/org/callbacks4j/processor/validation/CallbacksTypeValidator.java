package org.callbacks4j.processor.validation;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.WildcardTypeName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import org.callbacks4j.processor.model.CallbacksDescriptor;
import org.callbacks4j.processor.model.GeneratedNames;
import org.callbacks4j.processor.model.Hook;
import org.callbacks4j.processor.model.HookCall;
import org.callbacks4j.processor.model.HookDescriptor;
import org.callbacks4j.processor.model.Injectable;
import org.callbacks4j.processor.model.PoliciesDescriptor;
import org.callbacks4j.processor.validation.HookMethodValidator.ValidHookMethod;

/**
 * Validates a class that declares hook methods and, if nothing is wrong, describes its dispatcher: the class must be
 * reachable from its package, every hook method (its own and those inherited from superclasses) valid, and every
 * inherited one callable from the generated class's package.
 */
public final class CallbacksTypeValidator {

    /** A type that does not exist (yet): another processor may generate it in a later round. */
    public record Unresolved(Element element, String typeName) {}

    /**
     * The outcome for one class.
     *
     * @param report what is wrong; empty when deferred
     * @param descriptor the dispatcher to generate, present only when the report is clean
     * @param unresolved types the hooks refer to that do not exist yet; when not empty, try again next round (in the
     *     last round they are errors in the report instead)
     */
    public record Result(
            ValidationReport report, Optional<CallbacksDescriptor> descriptor, List<Unresolved> unresolved) {

        public Result {
            unresolved = List.copyOf(unresolved);
        }

        public boolean isDeferred() {
            return !unresolved.isEmpty();
        }
    }

    private final Elements elements;
    private final Types types;
    private final HookMethodValidator methodValidator = new HookMethodValidator();
    private final PolicyValidator policyValidator;

    public CallbacksTypeValidator(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
        this.policyValidator = new PolicyValidator(elements);
    }

    /**
     * Validates {@code type}.
     *
     * @param lastRound whether processing ends after this round: types still missing then are errors, reported with
     *     everything else that is wrong, instead of a reason to wait
     */
    public Result validate(TypeElement type, boolean lastRound) {
        ValidationReport report = new ValidationReport();
        List<TypeElement> hierarchy = new ArrayList<>();
        List<Unresolved> unresolved = new ArrayList<>();
        collectHierarchy(type, hierarchy, unresolved);
        for (TypeElement c : hierarchy) {
            for (ExecutableElement method : annotatedMethods(c)) {
                collectUnresolved(method, unresolved);
            }
        }
        if (!unresolved.isEmpty()) {
            if (!lastRound) {
                return new Result(report, Optional.empty(), unresolved);
            }
            String generated = GeneratedNames.callbacksClassName(ClassName.get(type)).simpleName();
            for (Unresolved u : unresolved) {
                report.error(Message.UNRESOLVED_TYPE, u.element(), Names.nestedName(type), u.typeName(), generated);
            }
        }

        if (type.getKind().isInterface()) {
            hookMethods(type).forEach(m -> methodValidator.validate(m, report));
            PolicyValidator.policyMethods(type).forEach(m -> policyValidator.checkMethod(m, report));
            for (AnnotationMirror policy : PolicyValidator.classPolicies(type)) {
                report.annotationError(
                        Message.POLICY_IN_INTERFACE,
                        type,
                        policy,
                        "@" + policy.getAnnotationType().asElement().getSimpleName(),
                        Names.nestedName(type));
            }
            return new Result(report, Optional.empty(), List.of());
        }
        Optional<String[]> unreachable = unreachable(type);
        if (unreachable.isPresent()) {
            String pkg = packageName(type);
            for (ExecutableElement method : hookMethods(type)) {
                Map<Hook, AnnotationMirror> hooks = HookMethodValidator.hookAnnotations(method);
                report.annotationError(
                        Message.UNREACHABLE_HOOK_CLASS,
                        method,
                        hooks.values().iterator().next(),
                        hookNames(hooks),
                        Names.signature(method),
                        pkg,
                        unreachable.get()[0],
                        unreachable.get()[1]);
                methodValidator.validate(method, report);
            }
            for (ExecutableElement method : PolicyValidator.policyMethods(type)) {
                report.annotationError(
                        Message.UNREACHABLE_HOOK_CLASS,
                        method,
                        PolicyValidator.firstAnnotation(method),
                        PolicyValidator.display(method),
                        Names.signature(method),
                        pkg,
                        unreachable.get()[0],
                        unreachable.get()[1]);
                policyValidator.checkMethod(method, report);
            }
            for (AnnotationMirror policy : PolicyValidator.classPolicies(type)) {
                report.annotationError(
                        Message.UNREACHABLE_POLICY_CLASS,
                        type,
                        policy,
                        "@" + policy.getAnnotationType().asElement().getSimpleName(),
                        Names.nestedName(type),
                        pkg,
                        unreachable.get()[0],
                        unreachable.get()[1]);
            }
            return new Result(report, Optional.empty(), List.of());
        }

        Collections.reverse(hierarchy); // superclass hooks run first
        ClassName target = ClassName.get(type);
        ClassName generated = GeneratedNames.callbacksClassName(target);
        Map<Hook, Map<ExecutableElement, HookCall>> calls = new EnumMap<>(Hook.class);
        PolicyValidator.Caller caller = new PolicyValidator.Caller() {
            @Override
            public Optional<HookCall> call(
                    ExecutableElement method,
                    List<Injectable> arguments,
                    String roles,
                    AnnotationMirror mirror,
                    ValidationReport r) {
                return CallbacksTypeValidator.this.call(method, type, hierarchy, arguments, roles, mirror, r);
            }

            @Override
            public ExecutableElement effective(ExecutableElement method) {
                return mostDerived(method, type, hierarchy);
            }
        };
        for (TypeElement declaring : hierarchy) {
            for (ExecutableElement method : hookMethods(declaring)) {
                Optional<ValidHookMethod> valid = methodValidator.validate(method, report);
                if (valid.isEmpty()) {
                    continue;
                }
                Map<Hook, AnnotationMirror> hooks = HookMethodValidator.hookAnnotations(method);
                Optional<HookCall> call = caller.call(
                        method,
                        valid.get().arguments(),
                        hookNames(hooks),
                        hooks.values().iterator().next(),
                        report);
                if (call.isEmpty()) {
                    continue;
                }
                ExecutableElement effective = caller.effective(method);
                for (Hook hook : valid.get().hooks()) {
                    // An override annotated again keeps its superclass's place but is described by the override.
                    calls.computeIfAbsent(hook, h -> new LinkedHashMap<>()).put(effective, call.get());
                }
            }
        }
        PoliciesDescriptor policies = policyValidator.validate(type, hierarchy, caller, report);
        if (!report.isClean()) {
            return new Result(report, Optional.empty(), List.of());
        }
        List<HookDescriptor> hooks = new ArrayList<>();
        calls.forEach((hook, byMethod) -> hooks.add(new HookDescriptor(hook, List.copyOf(byMethod.values()))));
        CallbacksDescriptor descriptor =
                new CallbacksDescriptor(target, wildcardType(type), generated, hooks, policies);
        return new Result(report, Optional.of(descriptor), List.of());
    }

    /**
     * The call of {@code method} (through its most derived override) on a {@code type} target, or empty after
     * reporting that generated code in {@code type}'s package cannot call an inherited method.
     */
    private Optional<HookCall> call(
            ExecutableElement method,
            TypeElement type,
            List<TypeElement> rootFirst,
            List<Injectable> arguments,
            String roles,
            AnnotationMirror mirror,
            ValidationReport report) {
        // Called through the target's type, a method runs as its most derived override.
        ExecutableElement effective = mostDerived(method, type, rootFirst);
        if (method.getEnclosingElement() != type && !isCallable(effective, type)) {
            report.annotationError(
                    Message.INACCESSIBLE_INHERITED_HOOK,
                    method,
                    mirror,
                    roles,
                    Names.signature(method),
                    Names.nestedName(type),
                    GeneratedNames.callbacksClassName(ClassName.get(type)).simpleName(),
                    packageName(type),
                    effective.getModifiers().contains(Modifier.PROTECTED) ? "protected" : "package-private",
                    packageName(effective));
            return Optional.empty();
        }
        List<TypeMirror> checked = checkedExceptions(effective, type);
        return Optional.of(new HookCall(
                effective.getSimpleName().toString(),
                arguments,
                checked.stream().map(t -> ClassName.get((TypeElement) types.asElement(t))).toList(),
                uncheckedCaughtBy(checked),
                Names.signature(effective),
                ClassName.get((TypeElement) effective.getEnclosingElement())));
    }

    /** The methods {@code type} declares that carry a hook or policy annotation, in declaration order. */
    private static List<ExecutableElement> annotatedMethods(TypeElement type) {
        return ElementFilter.methodsIn(type.getEnclosedElements()).stream()
                .filter(m -> !HookMethodValidator.hookAnnotations(m).isEmpty()
                        || PolicyAnnotations.hasAny(m, PolicyAnnotations.ON_METHODS))
                .toList();
    }

    /** The methods {@code type} declares that carry a hook annotation, in declaration order. */
    private static List<ExecutableElement> hookMethods(TypeElement type) {
        return ElementFilter.methodsIn(type.getEnclosedElements()).stream()
                .filter(m -> !HookMethodValidator.hookAnnotations(m).isEmpty())
                .toList();
    }

    /** {@code type} and its superclasses, most derived first, up to but excluding {@code Object}. */
    private static void collectHierarchy(TypeElement type, List<TypeElement> hierarchy, List<Unresolved> unresolved) {
        for (TypeElement c = type; c != null; ) {
            hierarchy.add(c);
            TypeMirror superclass = c.getSuperclass();
            if (superclass.getKind() == TypeKind.ERROR) {
                unresolved.add(new Unresolved(c, superclass.toString()));
                return;
            }
            if (superclass.getKind() != TypeKind.DECLARED) {
                return;
            }
            c = (TypeElement) ((DeclaredType) superclass).asElement();
            if (c.getQualifiedName().contentEquals("java.lang.Object")) {
                return;
            }
        }
    }

    private static void collectUnresolved(ExecutableElement method, List<Unresolved> unresolved) {
        for (VariableElement parameter : method.getParameters()) {
            if (MethodChecks.isUnresolved(parameter.asType())) {
                unresolved.add(new Unresolved(parameter, parameter.asType().toString()));
            }
        }
        for (TypeMirror thrown : method.getThrownTypes()) {
            if (MethodChecks.isUnresolved(thrown)) {
                unresolved.add(new Unresolved(method, thrown.toString()));
            }
        }
        if (MethodChecks.isUnresolved(method.getReturnType())) {
            unresolved.add(new Unresolved(method, method.getReturnType().toString()));
        }
    }

    /**
     * Why code in {@code type}'s package cannot name {@code type}, and what to do: {reason, fix}; empty if it can.
     */
    private static Optional<String[]> unreachable(TypeElement type) {
        for (Element e = type; e instanceof TypeElement t; e = t.getEnclosingElement()) {
            String name = Names.nestedName(t);
            if (t.getNestingKind() == NestingKind.ANONYMOUS) {
                return Optional.of(new String[] {
                    "it is declared in an anonymous class", "move the hooks to a named top-level or static nested class"
                });
            }
            if (t.getNestingKind() == NestingKind.LOCAL) {
                return Optional.of(new String[] {
                    "local class " + name + " cannot be named outside its method",
                    "move it out of the method, to a top-level or static nested class"
                });
            }
            if (t.getModifiers().contains(Modifier.PRIVATE)) {
                return Optional.of(new String[] {
                    t == type ? "class " + name + " is private" : "it is nested in private class " + name,
                    "make " + name + " package-private or public"
                });
            }
        }
        return Optional.empty();
    }

    /** The override of {@code method} that a call on {@code type} runs: the first from {@code type} upwards. */
    private ExecutableElement mostDerived(ExecutableElement method, TypeElement type, List<TypeElement> rootFirst) {
        TypeElement declaring = (TypeElement) method.getEnclosingElement();
        for (int i = rootFirst.size() - 1; i >= 0 && rootFirst.get(i) != declaring; i--) {
            for (ExecutableElement candidate : ElementFilter.methodsIn(rootFirst.get(i).getEnclosedElements())) {
                if (candidate.getSimpleName().equals(method.getSimpleName())
                        && elements.overrides(candidate, method, type)) {
                    return candidate;
                }
            }
        }
        return method;
    }

    /** Whether generated code in {@code type}'s package can call {@code method} on a {@code type} reference. */
    private boolean isCallable(ExecutableElement method, TypeElement type) {
        if (method.getModifiers().contains(Modifier.PRIVATE)) {
            return false;
        }
        return method.getModifiers().contains(Modifier.PUBLIC)
                || elements.getPackageOf(method).equals(elements.getPackageOf(type));
    }

    /**
     * The checked exceptions a call of {@code method} on {@code type} can throw, erased, in declaration order, leaving
     * out any that another covers (a catch of both would not compile).
     */
    private List<TypeMirror> checkedExceptions(ExecutableElement method, TypeElement type) {
        ExecutableType asMember = (ExecutableType) types.asMemberOf((DeclaredType) type.asType(), method);
        List<TypeMirror> checked = new ArrayList<>();
        for (TypeMirror thrown : asMember.getThrownTypes()) {
            TypeMirror erased = types.erasure(thrown);
            if (!types.isSubtype(erased, type("java.lang.RuntimeException"))
                    && !types.isSubtype(erased, type("java.lang.Error"))) {
                checked.add(erased);
            }
        }
        List<TypeMirror> kept = new ArrayList<>();
        for (int i = 0; i < checked.size(); i++) {
            TypeMirror candidate = checked.get(i);
            boolean covered = false;
            for (int j = 0; j < checked.size() && !covered; j++) {
                TypeMirror other = checked.get(j);
                covered = j != i
                        && types.isSubtype(candidate, other)
                        && (!types.isSameType(candidate, other) || j < i);
            }
            if (!covered) {
                kept.add(candidate);
            }
        }
        return kept;
    }

    /**
     * The unchecked exception types that a catch of {@code checked} would also catch ({@code throws Exception} catches
     * every {@code RuntimeException}): the generated call rethrows those unchanged before wrapping the rest.
     */
    private List<ClassName> uncheckedCaughtBy(List<TypeMirror> checked) {
        List<ClassName> rethrown = new ArrayList<>();
        for (String unchecked : List.of("java.lang.RuntimeException", "java.lang.Error")) {
            if (checked.stream().anyMatch(c -> types.isSubtype(type(unchecked), c))) {
                rethrown.add(ClassName.bestGuess(unchecked));
            }
        }
        return rethrown;
    }

    private TypeMirror type(String canonicalName) {
        return elements.getTypeElement(canonicalName).asType();
    }

    /** How generated code declares a {@code type} variable: raw name, or with {@code <?>} for each type parameter. */
    private static TypeName wildcardType(TypeElement type) {
        ClassName raw = ClassName.get(type);
        TypeName[] wildcards = type.getTypeParameters().stream()
                .map(p -> WildcardTypeName.subtypeOf(Object.class))
                .toArray(TypeName[]::new);
        Element enclosing = type.getEnclosingElement();
        boolean inner = type.getNestingKind() == NestingKind.MEMBER
                && !type.getModifiers().contains(Modifier.STATIC)
                && type.getKind() == ElementKind.CLASS
                && (enclosing.getKind() == ElementKind.CLASS
                        || enclosing.getKind() == ElementKind.ENUM
                        || enclosing.getKind() == ElementKind.RECORD);
        if (inner && wildcardType((TypeElement) enclosing) instanceof ParameterizedTypeName outer) {
            return outer.nestedClass(type.getSimpleName().toString(), List.of(wildcards));
        }
        return wildcards.length == 0 ? raw : ParameterizedTypeName.get(raw, wildcards);
    }

    private String packageName(Element element) {
        PackageElement pkg = elements.getPackageOf(element);
        return pkg.isUnnamed() ? "(unnamed)" : pkg.getQualifiedName().toString();
    }

    private static String hookNames(Map<Hook, AnnotationMirror> hooks) {
        return HookMethodValidator.display(hooks.keySet());
    }
}
