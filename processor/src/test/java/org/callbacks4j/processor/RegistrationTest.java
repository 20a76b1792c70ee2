package org.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;

import com.google.common.collect.ImmutableSet;
import com.palantir.javapoet.ClassName;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import javax.annotation.processing.Processor;
import javax.lang.model.SourceVersion;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.processor.model.ClassNames;
import org.callbacks4j.processor.model.Hook;
import org.callbacks4j.processor.model.Injectable;
import org.callbacks4j.processor.validation.PolicyAnnotations;
import org.junit.jupiter.api.Test;

/**
 * How builds find the processor (javac's service file, Gradle's incremental metadata), and that the runtime names the
 * processor holds as constants (it does not depend on the runtime) match the real runtime.
 */
class RegistrationTest {

    @Test
    void javacFindsTheProcessorAsAService() {
        assertThat(ServiceLoader.load(Processor.class).stream().map(p -> p.type().getName()).toList())
                .contains(CallbacksProcessor.class.getName());
    }

    @Test
    void gradleTreatsTheProcessorAsIsolating() throws IOException {
        try (InputStream in = CallbacksProcessor.class.getClassLoader()
                .getResourceAsStream("META-INF/gradle/incremental.annotation.processors")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList())
                    .containsExactly(CallbacksProcessor.class.getName() + ",isolating");
        }
    }

    @Test
    void processorSupportsExactlyTheHookAndPolicyAnnotations() {
        CallbacksProcessor processor = new CallbacksProcessor();
        // Not "*": a processor that supports every annotation without claiming them makes -Xlint:processing warn.
        // @Generated too: the dispatchers carry it, and it would be the one unclaimed annotation of their round;
        // and callbacks4j-dl4j's @Dl4jMetrics, read with the policies.
        assertThat(processor.getSupportedAnnotationTypes()).containsExactlyElementsIn(ImmutableSet.builder()
                .addAll(CallbacksProcessor.callbacksAnnotationTypes())
                .add("javax.annotation.processing.Generated")
                .add("org.callbacks4j.dl4j.Dl4jMetrics")
                .build());
        assertThat(CallbacksProcessor.callbacksAnnotationTypes()).containsExactly(
                "org.callbacks4j.OnTrainBegin", "org.callbacks4j.OnTrainEnd",
                "org.callbacks4j.OnEpochBegin", "org.callbacks4j.OnEpochEnd",
                "org.callbacks4j.OnBatchBegin", "org.callbacks4j.OnBatchEnd",
                "org.callbacks4j.OnValidationEnd",
                "org.callbacks4j.EarlyStop", "org.callbacks4j.EarlyStop.List",
                "org.callbacks4j.Checkpoint", "org.callbacks4j.Checkpoint.List",
                "org.callbacks4j.ReduceLrOnPlateau", "org.callbacks4j.LearningRateSchedule",
                "org.callbacks4j.TerminateOnNaN", "org.callbacks4j.Metric",
                "org.callbacks4j.CsvLogger", "org.callbacks4j.TensorBoard",
                "org.callbacks4j.BackupAndRestore");
        assertThat(processor.getSupportedSourceVersion()).isEqualTo(SourceVersion.latestSupported());
        assertThat(ClassNames.PROCESSOR).isEqualTo(CallbacksProcessor.class.getName());
    }

    @Test
    void everyRuntimeNameExists() throws ReflectiveOperationException {
        for (Field field : ClassNames.class.getFields()) {
            if (field.getType() == ClassName.class) {
                String name = ((ClassName) field.get(null)).reflectionName();
                if (name.equals(ClassNames.DL4J_METRICS.reflectionName())) {
                    // Not a runtime type (callbacks4j-dl4j, not on this class path): checked in that module, whose
                    // tests compile classes marked @Dl4jMetrics that monitor val_f1 and val_auc.
                    continue;
                }
                assertThat(Class.forName(name).getName()).isEqualTo(name);
            }
        }
    }

    @Test
    void hookAnnotationsAreReadableFromClassFiles() throws ClassNotFoundException {
        // A subclass compiled later reads its superclass's hooks from the class file: SOURCE retention would lose them.
        for (Hook hook : Hook.values()) {
            Class<?> annotation = Class.forName(hook.annotation().reflectionName());
            assertThat(annotation.getAnnotation(Retention.class).value()).isNotEqualTo(RetentionPolicy.SOURCE);
            assertThat(annotation.getAnnotation(Target.class).value()).asList().containsExactly(ElementType.METHOD);
        }
    }

    @Test
    void policyAnnotationsAreReadableFromClassFilesAndSitWhereTheProcessorLooks() throws ClassNotFoundException {
        // A subclass inherits its superclass's policies, read from the class file.
        for (ClassName name : PolicyAnnotations.ALL) {
            Class<?> annotation = Class.forName(name.reflectionName());
            assertThat(annotation.getAnnotation(Retention.class).value()).isNotEqualTo(RetentionPolicy.SOURCE);
            List<ElementType> targets = Arrays.asList(annotation.getAnnotation(Target.class).value());
            boolean onClasses = PolicyAnnotations.ON_CLASSES.stream()
                    .anyMatch(c -> c.equals(name) || c.nestedClass("List").equals(name));
            boolean onMethods = PolicyAnnotations.ON_METHODS.stream()
                    .anyMatch(c -> c.equals(name) || c.nestedClass("List").equals(name));
            assertThat(targets.contains(ElementType.TYPE)).isEqualTo(onClasses);
            assertThat(targets.contains(ElementType.METHOD)).isEqualTo(onMethods);
        }
        // Repeatable exactly where the processor looks inside containers.
        assertThat(Class.forName(ClassNames.EARLY_STOP.reflectionName()).getAnnotation(Repeatable.class).value())
                .isEqualTo(Class.forName(ClassNames.EARLY_STOP_LIST.reflectionName()));
        assertThat(Class.forName(ClassNames.CHECKPOINT.reflectionName()).getAnnotation(Repeatable.class).value())
                .isEqualTo(Class.forName(ClassNames.CHECKPOINT_LIST.reflectionName()));
    }

    @Test
    void everyHookMatchesItsDispatcherMethodAndBit() throws ReflectiveOperationException {
        for (Hook hook : Hook.values()) {
            Class<?>[] parameters = hook.dispatcherParameters().stream()
                    .map(RegistrationTest::runtimeClass)
                    .toArray(Class<?>[]::new);
            Method method = CallbackDispatcher.class.getMethod(hook.dispatcherMethod(), parameters);
            assertThat(Arrays.stream(method.getParameters()).map(p -> p.getType()).toList())
                    .containsExactlyElementsIn(parameters)
                    .inOrder();
            Field bit = Hooks.class.getField(hook.hooksConstant());
            assertThat(Modifier.isStatic(bit.getModifiers())).isTrue();
        }
        assertThat(Hooks.class.getField(Hook.BATCH_LOGS_CONSTANT).getInt(null)).isEqualTo(Hooks.BATCH_LOGS);
        // Every dispatcher method is one hook's (besides hooks() and prepare(), which are not hooks).
        assertThat(Arrays.stream(CallbackDispatcher.class.getDeclaredMethods())
                        .map(Method::getName)
                        .filter(n -> !n.equals("hooks") && !n.equals("prepare"))
                        .sorted()
                        .toList())
                .containsExactlyElementsIn(Arrays.stream(Hook.values()).map(Hook::dispatcherMethod).sorted().toList());
        // Generated code overrides prepare(FitPlan) to prepare its policies.
        assertThat(CallbackDispatcher.class.getMethod("prepare", FitPlan.class).getReturnType()).isEqualTo(void.class);
    }

    private static Class<?> runtimeClass(Injectable injectable) {
        if (injectable.type().isPrimitive()) {
            return int.class;
        }
        try {
            return Class.forName(((ClassName) injectable.type()).reflectionName());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
