package org.callbacks4j.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;
import java.util.Objects;

/**
 * One call of a user's hook method from a generated dispatcher method.
 *
 * @param methodName the method to call on the target
 * @param arguments what to pass, in the method's parameter order
 * @param checkedExceptions the checked exceptions the method declares, none a subtype of another, in declaration
 *     order; the call rethrows them as {@code CallbackException}
 * @param uncheckedToRethrow {@code RuntimeException} and/or {@code Error} when a declared type (such as
 *     {@code Exception} or {@code Throwable}) would also catch them: the call rethrows them unchanged first
 * @param signature {@code Type.method(ParamType, ...)}, for the {@code CallbackException} message
 * @param declaringType the class that declares the method that runs (the target class or a superclass)
 */
public record HookCall(
        String methodName,
        List<Injectable> arguments,
        List<ClassName> checkedExceptions,
        List<ClassName> uncheckedToRethrow,
        String signature,
        ClassName declaringType) {

    public HookCall {
        Objects.requireNonNull(methodName, "methodName");
        arguments = List.copyOf(arguments);
        checkedExceptions = List.copyOf(checkedExceptions);
        uncheckedToRethrow = List.copyOf(uncheckedToRethrow);
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(declaringType, "declaringType");
    }
}
