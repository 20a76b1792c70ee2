package org.callbacks4j.internal.policy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where policies send their messages: SLF4J in production (logger named after the policy class), a recorder in
 * tests. Keras prints its {@code verbose} messages; we log them at INFO when {@code verbose > 0} and at DEBUG
 * otherwise, so they can still be switched on from the logging configuration.
 */
interface PolicyLog {

    boolean isDebugEnabled();

    void debug(String message);

    void info(String message);

    void warn(String message);

    /** Whether a verbose message would go anywhere: build it only then. */
    default boolean verboseEnabled(int verbose) {
        return verbose > 0 || isDebugEnabled();
    }

    /** A Keras {@code verbose} message: INFO when {@code verbose > 0}, else DEBUG. */
    default void verbose(int verbose, String message) {
        if (verbose > 0) {
            info(message);
        } else {
            debug(message);
        }
    }

    static PolicyLog slf4j(Class<?> policy) {
        Logger logger = LoggerFactory.getLogger(policy);
        return new PolicyLog() {
            @Override
            public boolean isDebugEnabled() {
                return logger.isDebugEnabled();
            }

            @Override
            public void debug(String message) {
                logger.debug(message);
            }

            @Override
            public void info(String message) {
                logger.info(message);
            }

            @Override
            public void warn(String message) {
                logger.warn(message);
            }
        };
    }
}
