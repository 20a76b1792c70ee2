package org.callbacks4j.processor;

import com.sun.source.util.JavacTask;
import com.sun.source.util.Trees;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;

/**
 * javac's own {@link ProcessingEnvironment}, found behind the wrappers build tools put around it.
 *
 * <p>{@link Trees#instance} and {@link JavacTask#instance} accept only javac's environment, but Gradle hands
 * processors a delegating wrapper (its incremental-processing environment keeps javac's in a field) and IntelliJ a
 * {@link Proxy} whose handler keeps it. Like Lombok and other processors that read source trees, this looks behind
 * such wrappers: IntelliJ's own {@code APIWrappers.unwrap} when present, then any field of the wrapper (or of the
 * proxy's handler) that holds a {@code ProcessingEnvironment}, a few levels deep. It never throws: an environment it
 * cannot unwrap (another compiler, a wrapper that hides its delegate) gives {@link Optional#empty()}, and the caller
 * then does without the tree API.
 */
final class JavacEnvironment {

    /** Wrappers of wrappers are possible (a tool wrapping a tool's wrapper); more than this is a cycle. */
    private static final int MAX_DEPTH = 8;

    private JavacEnvironment() {}

    /** The environment javac's tree API accepts: {@code env} itself or the one it wraps, if any. */
    static Optional<ProcessingEnvironment> unwrap(ProcessingEnvironment env) {
        ProcessingEnvironment current = env;
        for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
            if (acceptsTrees(current)) {
                return Optional.of(current);
            }
            current = delegateOf(current);
        }
        return Optional.empty();
    }

    /** javac's tree API for {@code env}, or empty where {@link #unwrap} finds no javac environment. */
    static Optional<Trees> trees(ProcessingEnvironment env) {
        return unwrap(env).map(Trees::instance);
    }

    private static boolean acceptsTrees(ProcessingEnvironment env) {
        try {
            Trees.instance(env);
            return true;
        } catch (IllegalArgumentException | LinkageError e) {
            return false; // not javac's (or no tree API in this compiler)
        }
    }

    /** The environment {@code wrapper} delegates to, or null. */
    private static ProcessingEnvironment delegateOf(ProcessingEnvironment wrapper) {
        ProcessingEnvironment intellij = intellijUnwrap(wrapper);
        if (intellij != null && intellij != wrapper) {
            return intellij;
        }
        Object holder = Proxy.isProxyClass(wrapper.getClass()) ? Proxy.getInvocationHandler(wrapper) : wrapper;
        for (Class<?> c = holder.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                    continue;
                }
                Object value = read(field, holder);
                if (value instanceof ProcessingEnvironment delegate && delegate != wrapper) {
                    return delegate;
                }
            }
        }
        return null;
    }

    /** IntelliJ's JPS build wraps the environment in a proxy and offers {@code APIWrappers.unwrap} to undo it. */
    private static ProcessingEnvironment intellijUnwrap(ProcessingEnvironment wrapper) {
        ClassLoader loader = wrapper.getClass().getClassLoader();
        if (loader == null) {
            return null;
        }
        try {
            Class<?> wrappers = Class.forName("org.jetbrains.jps.javac.APIWrappers", false, loader);
            Method unwrap = wrappers.getDeclaredMethod("unwrap", Class.class, Object.class);
            Object result = unwrap.invoke(null, ProcessingEnvironment.class, wrapper);
            return result instanceof ProcessingEnvironment env ? env : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null; // not IntelliJ
        }
    }

    private static Object read(Field field, Object holder) {
        try {
            field.setAccessible(true);
            return field.get(holder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // InaccessibleObjectException (a module that does not open it), SecurityException
        }
    }
}
