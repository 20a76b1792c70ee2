package org.callbacks4j.internal.state;

/**
 * Saved state does not fit the objects it would be restored into: another layout (a different class, configuration
 * or version wrote it) or a value out of range. Nothing has been restored when a resumed run throws it.
 */
public class IncompatibleStateException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public IncompatibleStateException(String message) {
        super(message);
    }

    public IncompatibleStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
