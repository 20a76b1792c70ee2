package org.callbacks4j.processor.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to generate one dispatcher, free of {@code javax.lang.model} so that generation is a pure
 * function of it.
 *
 * @param target the user's class
 * @param targetType how the generated code declares its target: {@code target}, or {@code Target<?>} for a generic
 *     class
 * @param generatedName the dispatcher's name, from {@link GeneratedNames}
 * @param hooks the hooks the target listens to, in {@link Hook} order, each once
 */
public record CallbacksDescriptor(
        ClassName target, TypeName targetType, ClassName generatedName, List<HookDescriptor> hooks) {

    public CallbacksDescriptor {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(targetType, "targetType");
        Objects.requireNonNull(generatedName, "generatedName");
        hooks = List.copyOf(hooks);
        for (int i = 1; i < hooks.size(); i++) {
            if (hooks.get(i - 1).hook().compareTo(hooks.get(i).hook()) >= 0) {
                throw new IllegalArgumentException("hooks out of order or repeated: " + hooks);
            }
        }
    }

    /** Whether a batch-end hook reads {@code Logs}, so the trainer must keep per-batch logs. */
    public boolean readsBatchLogs() {
        return hooks.stream().anyMatch(h -> h.hook() == Hook.BATCH_END && h.reads(Injectable.LOGS));
    }
}
