package org.callbacks4j;

/**
 * A checked exception thrown by a user's hook method, rethrown unchecked by the generated dispatcher with the method
 * that threw it in the message. Training stops, as it does for any exception escaping a hook.
 */
public final class CallbackException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param method the hook that threw, as {@code Type.method(ParamType, ...)} */
    public CallbackException(String method, Throwable cause) {
        super("hook " + method + " threw " + cause, cause);
    }
}
