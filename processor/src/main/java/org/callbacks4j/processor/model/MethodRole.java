package org.callbacks4j.processor.model;

/**
 * What an annotated method is called for, which fixes the values it may declare as parameters: a {@link Hook}, or a
 * {@link PolicyMethod}.
 */
public interface MethodRole {

    /** {@code @OnEpochEnd}, {@code @Metric}: how messages name the role. */
    String display();

    /** Whether the generated code has this value when it calls a method in this role. */
    boolean accepts(Injectable injectable);
}
