package org.callbacks4j.processor.validation;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import org.callbacks4j.processor.model.ClassNames;
import org.callbacks4j.processor.model.Hook;
import org.callbacks4j.processor.model.Injectable;

/**
 * Checks one method that carries hook annotations: its modifiers and return type, and that every parameter is on the
 * injectable menu of every hook on it. The class around it is {@link CallbacksTypeValidator}'s business.
 */
public final class HookMethodValidator {

    /** A method that passed: what to call it with. */
    public record ValidHookMethod(ExecutableElement method, List<Hook> hooks, List<Injectable> arguments) {

        public ValidHookMethod {
            hooks = List.copyOf(hooks);
            arguments = List.copyOf(arguments);
        }
    }

    /** The hook annotations on {@code method}, in {@link Hook} order, with their mirrors. */
    public static Map<Hook, AnnotationMirror> hookAnnotations(ExecutableElement method) {
        Map<Hook, AnnotationMirror> hooks = new EnumMap<>(Hook.class);
        for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
            TypeElement annotation = (TypeElement) mirror.getAnnotationType().asElement();
            Hook.forAnnotation(annotation.getQualifiedName().toString()).ifPresent(h -> hooks.putIfAbsent(h, mirror));
        }
        return hooks;
    }

    /** {@code @OnEpochEnd/@OnBatchEnd}: how messages name the hooks on a method. */
    static String display(Set<Hook> hooks) {
        return hooks.stream().map(Hook::display).collect(Collectors.joining("/"));
    }

    /**
     * Validates {@code method}, adding what is wrong to {@code report}.
     *
     * @return the method's call description, or empty if anything was wrong
     */
    public Optional<ValidHookMethod> validate(ExecutableElement method, ValidationReport report) {
        Map<Hook, AnnotationMirror> hooks = hookAnnotations(method);
        if (hooks.isEmpty()) {
            throw new IllegalArgumentException(method + " has no hook annotation");
        }
        Hook first = hooks.keySet().iterator().next();
        AnnotationMirror firstMirror = hooks.get(first);
        String hookNames = display(hooks.keySet());
        String signature = Names.signature(method);
        boolean valid = true;

        TypeElement owner = (TypeElement) method.getEnclosingElement();
        if (owner.getKind().isInterface()) {
            report.annotationError(
                    Message.HOOK_IN_INTERFACE, method, firstMirror, hookNames, signature, Names.nestedName(owner));
            return Optional.empty();
        }
        Set<Modifier> modifiers = method.getModifiers();
        if (modifiers.contains(Modifier.PRIVATE)) {
            report.annotationError(Message.PRIVATE_HOOK, method, firstMirror, hookNames, signature);
            valid = false;
        }
        if (modifiers.contains(Modifier.STATIC)) {
            report.annotationError(Message.STATIC_HOOK, method, firstMirror, hookNames, signature);
            valid = false;
        }
        if (modifiers.contains(Modifier.ABSTRACT)) {
            report.annotationError(Message.ABSTRACT_HOOK, method, firstMirror, hookNames, signature);
            valid = false;
        }
        if (!method.getTypeParameters().isEmpty()) {
            String typeParameters = method.getTypeParameters().stream()
                    .map(t -> t.getSimpleName().toString())
                    .collect(Collectors.joining(", ", "<", ">"));
            report.annotationError(Message.GENERIC_HOOK, method, firstMirror, hookNames, signature, typeParameters);
            valid = false;
        }
        if (method.getReturnType().getKind() != TypeKind.VOID) {
            report.annotationError(
                    Message.HOOK_RETURNS_VALUE,
                    method,
                    firstMirror,
                    hookNames,
                    signature,
                    Names.typeName(method.getReturnType()));
            valid = false;
        }

        Set<Injectable> menu = EnumSet.allOf(Injectable.class);
        hooks.keySet().forEach(hook -> menu.removeIf(i -> !hook.accepts(i)));
        List<Injectable> arguments = new ArrayList<>();
        Map<Injectable, VariableElement> seen = new EnumMap<>(Injectable.class);
        for (VariableElement parameter : method.getParameters()) {
            if (isUnresolved(parameter.asType())) {
                valid = false; // reported as unresolved, not as unknown
                continue;
            }
            Optional<Injectable> kind = classify(parameter);
            if (kind.isEmpty()) {
                valid = false;
                if (parameter.asType().getKind() == TypeKind.INT && namesAreSynthetic(method)) {
                    String declaring = ((TypeElement) method.getEnclosingElement()).getQualifiedName().toString();
                    report.error(
                            Message.PARAMETER_NAMES_MISSING,
                            parameter,
                            describe(parameter),
                            signature,
                            declaring,
                            declaring);
                } else if (parameter.asType().getKind() == TypeKind.INT) {
                    report.error(
                            Message.AMBIGUOUS_INT_PARAMETER, parameter, parameter.getSimpleName(), signature);
                } else {
                    report.error(
                            Message.UNKNOWN_PARAMETER,
                            parameter,
                            describe(parameter),
                            signature,
                            hookNames,
                            menu.stream().map(Injectable::display).collect(Collectors.joining(", ")));
                }
                continue;
            }
            Injectable injectable = kind.get();
            VariableElement earlier = seen.putIfAbsent(injectable, parameter);
            if (earlier != null) {
                report.error(
                        Message.DUPLICATE_PARAMETER, parameter, describe(parameter), signature, describe(earlier));
                valid = false;
                continue;
            }
            for (Hook hook : hooks.keySet()) {
                if (!hook.accepts(injectable)) {
                    reportNotOnHook(injectable, parameter, signature, hook, report);
                    valid = false;
                }
            }
            arguments.add(injectable);
        }
        return valid
                ? Optional.of(new ValidHookMethod(method, List.copyOf(hooks.keySet()), arguments))
                : Optional.empty();
    }

    private static void reportNotOnHook(
            Injectable injectable, VariableElement parameter, String signature, Hook hook, ValidationReport report) {
        switch (injectable) {
            case EPOCH -> report.error(Message.EPOCH_PARAMETER_ON_TRAIN_HOOK, parameter, signature, hook.display());
            case BATCH -> report.error(
                    Message.BATCH_PARAMETER_ON_NON_BATCH_HOOK, parameter, signature, hook.display());
            case LOGS -> report.error(
                    Message.LOGS_ON_BEGIN_HOOK, parameter, describe(parameter), signature, hook.display());
            default -> throw new IllegalStateException(hook + " does not accept " + injectable);
        }
    }

    /** Whether {@code type} is or mentions a type that does not exist (yet). */
    static boolean isUnresolved(TypeMirror type) {
        return switch (type.getKind()) {
            case ERROR -> true;
            case DECLARED -> ((DeclaredType) type).getTypeArguments().stream()
                    .anyMatch(HookMethodValidator::isUnresolved);
            case ARRAY -> isUnresolved(((ArrayType) type).getComponentType());
            case WILDCARD -> {
                WildcardType wildcard = (WildcardType) type;
                yield (wildcard.getExtendsBound() != null && isUnresolved(wildcard.getExtendsBound()))
                        || (wildcard.getSuperBound() != null && isUnresolved(wildcard.getSuperBound()));
            }
            default -> false;
        };
    }

    /**
     * Whether the parameters are named {@code arg0, arg1, ...}: what javac reads from a class file that kept no
     * parameter names (compiled without {@code -parameters} or {@code -g}).
     */
    private static boolean namesAreSynthetic(ExecutableElement method) {
        List<? extends VariableElement> parameters = method.getParameters();
        for (int i = 0; i < parameters.size(); i++) {
            if (!parameters.get(i).getSimpleName().contentEquals("arg" + i)) {
                return false;
            }
        }
        return true;
    }

    /** What {@code parameter} injects: an {@code int} by its name, anything else by its type. */
    private static Optional<Injectable> classify(VariableElement parameter) {
        TypeMirror type = parameter.asType();
        if (type.getKind() == TypeKind.INT) {
            String name = parameter.getSimpleName().toString();
            if (name.equals(Injectable.EPOCH.dispatcherParameter())) {
                return Optional.of(Injectable.EPOCH);
            }
            if (name.equals(Injectable.BATCH.dispatcherParameter())) {
                return Optional.of(Injectable.BATCH);
            }
            return Optional.empty();
        }
        if (type.getKind() != TypeKind.DECLARED) {
            return Optional.empty();
        }
        String name = ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().toString();
        if (name.equals(ClassNames.LOGS.canonicalName())) {
            return Optional.of(Injectable.LOGS);
        }
        if (name.equals(ClassNames.TRAINING_CONTEXT.canonicalName())) {
            return Optional.of(Injectable.CONTEXT);
        }
        if (name.equals(ClassNames.SEQUENTIAL.canonicalName())) {
            return Optional.of(Injectable.MODEL);
        }
        return Optional.empty();
    }

    /** {@code Logs logs}: a parameter as declared. */
    private static String describe(VariableElement parameter) {
        return Names.typeName(parameter.asType()) + " " + parameter.getSimpleName();
    }
}
