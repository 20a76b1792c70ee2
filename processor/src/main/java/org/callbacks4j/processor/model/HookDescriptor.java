package org.callbacks4j.processor.model;

import java.util.List;
import java.util.Objects;

/**
 * A hook the target listens to and the calls its dispatcher method makes, in order: superclass methods first, then
 * declaration order.
 */
public record HookDescriptor(Hook hook, List<HookCall> calls) {

    public HookDescriptor {
        Objects.requireNonNull(hook, "hook");
        calls = List.copyOf(calls);
        if (calls.isEmpty()) {
            throw new IllegalArgumentException(hook + " has no calls");
        }
    }

    /** Whether any call reads a value of this kind. */
    public boolean reads(Injectable injectable) {
        return calls.stream().anyMatch(call -> call.arguments().contains(injectable));
    }
}
