package org.callbacks4j.processor.model;

import com.palantir.javapoet.ClassName;

/** The one place that names generated classes. */
public final class GeneratedNames {

    private static final String SUFFIX = "_Callbacks";

    private GeneratedNames() {}

    /**
     * The dispatcher generated for {@code target}: a top-level class in the same package, named after the nesting
     * path. {@code com.example.Outer.Inner} gives {@code com.example.Outer_Inner_Callbacks}.
     */
    public static ClassName callbacksClassName(ClassName target) {
        return ClassName.get(target.packageName(), String.join("_", target.simpleNames()) + SUFFIX);
    }
}
