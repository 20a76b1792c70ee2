package org.callbacks4j.processor.validation;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
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
        AnnotationMirror firstMirror = hooks.values().iterator().next();
        String hookNames = display(hooks.keySet());
        boolean valid = MethodChecks.callable(method, hookNames, firstMirror, report);
        if (((TypeElement) method.getEnclosingElement()).getKind().isInterface()) {
            return Optional.empty(); // one error says it all
        }
        if (method.getReturnType().getKind() != TypeKind.VOID) {
            report.annotationError(
                    Message.HOOK_RETURNS_VALUE,
                    method,
                    firstMirror,
                    hookNames,
                    Names.signature(method),
                    Names.typeName(method.getReturnType()));
            valid = false;
        }
        Optional<List<Injectable>> arguments =
                MethodChecks.parameters(method, List.copyOf(hooks.keySet()), hookNames, report);
        return valid && arguments.isPresent()
                ? Optional.of(new ValidHookMethod(method, List.copyOf(hooks.keySet()), arguments.get()))
                : Optional.empty();
    }
}
