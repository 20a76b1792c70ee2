package org.callbacks4j.processor.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything needed to generate one dispatcher, free of {@code javax.lang.model} so that generation is a pure
 * function of it.
 *
 * @param target the user's class
 * @param targetType how the generated code declares its target: {@code target}, or {@code Target<?>} for a generic
 *     class
 * @param generatedName the dispatcher's name, from {@link GeneratedNames}
 * @param hooks the hooks the target's methods listen to, in {@link Hook} order, each once
 * @param policies the built-in policies its annotations declare
 */
public record CallbacksDescriptor(
        ClassName target,
        TypeName targetType,
        ClassName generatedName,
        List<HookDescriptor> hooks,
        PoliciesDescriptor policies) {

    public CallbacksDescriptor {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(targetType, "targetType");
        Objects.requireNonNull(generatedName, "generatedName");
        hooks = List.copyOf(hooks);
        Objects.requireNonNull(policies, "policies");
        for (int i = 1; i < hooks.size(); i++) {
            if (hooks.get(i - 1).hook().compareTo(hooks.get(i).hook()) >= 0) {
                throw new IllegalArgumentException("hooks out of order or repeated: " + hooks);
            }
        }
    }

    /** Whether a batch-end hook or policy reads {@code Logs}, so the trainer must keep per-batch logs. */
    public boolean readsBatchLogs() {
        return policies.readsBatchLogs()
                || hooks.stream().anyMatch(h -> h.hook() == Hook.BATCH_END && h.reads(Injectable.LOGS));
    }

    /** The dispatcher methods to generate: those of the hooks and those the policies need, in {@link Hook} order. */
    public Set<Hook> dispatchedHooks() {
        Set<Hook> all = EnumSet.noneOf(Hook.class);
        hooks.forEach(h -> all.add(h.hook()));
        all.addAll(policies.hooks());
        return all;
    }

    /** The user's calls for {@code hook}, in order; empty if none. */
    public List<HookCall> calls(Hook hook) {
        return hooks.stream().filter(h -> h.hook() == hook).findFirst().map(HookDescriptor::calls).orElse(List.of());
    }
}
