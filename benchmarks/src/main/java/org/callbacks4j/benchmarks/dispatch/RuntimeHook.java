package org.callbacks4j.benchmarks.dispatch;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a runtime-reflection framework would annotate a hook with: the callbacks4j annotations are CLASS-retained (only
 * the processor reads them), so the training classes carry this RUNTIME mirror for {@link ReflectiveDispatcher} too.
 * {@link #value()} is the {@link org.callbacks4j.internal.dispatch.Hooks} bit of the hook.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RuntimeHook {
    int value();
}
