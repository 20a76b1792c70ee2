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
import org.callbacks4j.processor.model.Injectable;
import org.callbacks4j.processor.model.MethodRole;
import org.callbacks4j.processor.model.PolicyMethod;

/**
 * The checks every annotated method gets, hook or policy: where it is declared, its modifiers, and that each
 * parameter is a value the generated code has in each of the method's roles.
 */
final class MethodChecks {

    private MethodChecks() {}

    /**
     * Reports a method in an interface, or one that is private, static, abstract or generic.
     *
     * @param roles how messages name the method's annotations, such as {@code @OnEpochEnd/@OnTrainEnd}
     * @param mirror the annotation to point at
     * @return whether generated code can call the method on the training instance
     */
    static boolean callable(
            ExecutableElement method, String roles, AnnotationMirror mirror, ValidationReport report) {
        String signature = Names.signature(method);
        TypeElement owner = (TypeElement) method.getEnclosingElement();
        if (owner.getKind().isInterface()) {
            report.annotationError(
                    Message.HOOK_IN_INTERFACE, method, mirror, roles, signature, Names.nestedName(owner));
            return false;
        }
        boolean valid = true;
        Set<Modifier> modifiers = method.getModifiers();
        if (modifiers.contains(Modifier.PRIVATE)) {
            report.annotationError(Message.PRIVATE_HOOK, method, mirror, roles, signature);
            valid = false;
        }
        if (modifiers.contains(Modifier.STATIC)) {
            report.annotationError(Message.STATIC_HOOK, method, mirror, roles, signature);
            valid = false;
        }
        if (modifiers.contains(Modifier.ABSTRACT)) {
            report.annotationError(Message.ABSTRACT_HOOK, method, mirror, roles, signature);
            valid = false;
        }
        if (!method.getTypeParameters().isEmpty()) {
            String typeParameters = method.getTypeParameters().stream()
                    .map(t -> t.getSimpleName().toString())
                    .collect(Collectors.joining(", ", "<", ">"));
            report.annotationError(Message.GENERIC_HOOK, method, mirror, roles, signature, typeParameters);
            valid = false;
        }
        return valid;
    }

    /**
     * Classifies every parameter, reporting those that are not on the menu of each role.
     *
     * @param rolesDisplay how messages name the method's annotations
     * @return the values to pass, in parameter order; empty if any parameter is at fault
     */
    static Optional<List<Injectable>> parameters(
            ExecutableElement method, List<? extends MethodRole> roles, String rolesDisplay, ValidationReport report) {
        String signature = Names.signature(method);
        Set<Injectable> menu = EnumSet.allOf(Injectable.class);
        roles.forEach(role -> menu.removeIf(i -> !role.accepts(i)));
        List<Injectable> arguments = new ArrayList<>();
        Map<Injectable, VariableElement> seen = new EnumMap<>(Injectable.class);
        boolean valid = true;
        for (VariableElement parameter : method.getParameters()) {
            if (isUnresolved(parameter.asType())) {
                valid = false; // reported as unresolved, not as unknown
                continue;
            }
            Optional<Injectable> kind = classify(parameter);
            if (kind.isEmpty()) {
                valid = false;
                reportUnclassified(method, parameter, signature, rolesDisplay, roles, menu, report);
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
            for (MethodRole role : roles) {
                if (!role.accepts(injectable)) {
                    reportNotAccepted(injectable, parameter, signature, role, report);
                    valid = false;
                }
            }
            arguments.add(injectable);
        }
        return valid ? Optional.of(arguments) : Optional.empty();
    }

    private static void reportUnclassified(
            ExecutableElement method,
            VariableElement parameter,
            String signature,
            String rolesDisplay,
            List<? extends MethodRole> roles,
            Set<Injectable> menu,
            ValidationReport report) {
        Optional<List<Injectable>> byName = namedCandidates(parameter.asType());
        if (byName.isPresent() && namesAreSynthetic(method)) {
            String declaring = ((TypeElement) method.getEnclosingElement()).getQualifiedName().toString();
            report.error(
                    Message.PARAMETER_NAMES_MISSING,
                    parameter,
                    describe(parameter),
                    signature,
                    declaring,
                    withArticle(Names.typeName(parameter.asType())),
                    declaring);
            return;
        }
        if (parameter.asType().getKind() == TypeKind.INT) {
            report.error(Message.AMBIGUOUS_INT_PARAMETER, parameter, parameter.getSimpleName(), signature);
            return;
        }
        if (byName.isPresent() && roles.stream().allMatch(r -> byName.get().stream().anyMatch(r::accepts))) {
            report.error(
                    Message.MISNAMED_PARAMETER,
                    parameter,
                    describe(parameter),
                    signature,
                    withArticle(Names.typeName(parameter.asType())),
                    byName.get().stream().map(i -> "'" + i.parameterName() + "'").collect(Collectors.joining(" or ")));
            return;
        }
        report.error(
                Message.UNKNOWN_PARAMETER,
                parameter,
                describe(parameter),
                signature,
                rolesDisplay,
                menu.stream().map(Injectable::display).collect(Collectors.joining(", ")));
    }

    private static void reportNotAccepted(
            Injectable injectable,
            VariableElement parameter,
            String signature,
            MethodRole role,
            ValidationReport report) {
        if (role == PolicyMethod.PREDICTION_METRIC) {
            report.error(Message.MIXED_METRIC_PARAMETERS, parameter, describe(parameter), signature);
            return;
        }
        switch (injectable) {
            case EPOCH -> report.error(Message.EPOCH_PARAMETER_ON_TRAIN_HOOK, parameter, signature, role.display());
            case BATCH -> report.error(
                    Message.BATCH_PARAMETER_ON_NON_BATCH_HOOK, parameter, signature, role.display());
            case LOGS -> report.error(
                    Message.LOGS_ON_BEGIN_HOOK, parameter, describe(parameter), signature, role.display());
            case LEARNING_RATE -> report.error(
                    Message.LEARNING_RATE_PARAMETER, parameter, describe(parameter), signature, role.display());
            case PREDICTIONS, LABELS -> report.error(
                    Message.PREDICTIONS_PARAMETER, parameter, describe(parameter), signature, role.display());
            default -> throw new IllegalStateException(role + " does not accept " + injectable);
        }
    }

    /** Whether {@code type} is or mentions a type that does not exist (yet). */
    static boolean isUnresolved(TypeMirror type) {
        return switch (type.getKind()) {
            case ERROR -> true;
            case DECLARED -> ((DeclaredType) type).getTypeArguments().stream().anyMatch(MethodChecks::isUnresolved);
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

    /** What {@code parameter} injects: by its type, and by its name for types that several values share. */
    private static Optional<Injectable> classify(VariableElement parameter) {
        String name = parameter.getSimpleName().toString();
        Optional<List<Injectable>> byName = namedCandidates(parameter.asType());
        if (byName.isPresent()) {
            return byName.get().stream().filter(i -> i.parameterName().equals(name)).findFirst();
        }
        TypeMirror type = parameter.asType();
        if (type.getKind() != TypeKind.DECLARED) {
            return Optional.empty();
        }
        String typeName = ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().toString();
        if (typeName.equals(ClassNames.LOGS.canonicalName())) {
            return Optional.of(Injectable.LOGS);
        }
        if (typeName.equals(ClassNames.TRAINING_CONTEXT.canonicalName())) {
            return Optional.of(Injectable.CONTEXT);
        }
        if (typeName.equals(ClassNames.SEQUENTIAL.canonicalName())) {
            return Optional.of(Injectable.MODEL);
        }
        return Optional.empty();
    }

    /** The values a parameter of {@code type} may be, told apart by name; empty for types identified by type. */
    private static Optional<List<Injectable>> namedCandidates(TypeMirror type) {
        List<Injectable> candidates = new ArrayList<>();
        for (Injectable injectable : Injectable.values()) {
            if (injectable.parameterName() != null && sameType(type, injectable)) {
                candidates.add(injectable);
            }
        }
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates);
    }

    private static boolean sameType(TypeMirror type, Injectable injectable) {
        if (injectable.type().isPrimitive()) {
            return type.getKind().isPrimitive() && type.toString().equals(injectable.type().toString());
        }
        return type.getKind() == TypeKind.DECLARED
                && ((TypeElement) ((DeclaredType) type).asElement())
                        .getQualifiedName()
                        .contentEquals(injectable.type().toString());
    }

    /** {@code an int}, {@code a double}, {@code an INDArray}. */
    private static String withArticle(String typeName) {
        return ("aeiouAEIOU".indexOf(typeName.charAt(0)) >= 0 ? "an " : "a ") + typeName;
    }

    /** {@code Logs logs}: a parameter as declared. */
    static String describe(VariableElement parameter) {
        return Names.typeName(parameter.asType()) + " " + parameter.getSimpleName();
    }
}
