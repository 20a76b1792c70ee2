package org.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.callbacks4j.processor.Compilations.compile;
import static org.callbacks4j.processor.Compilations.source;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.tools.JavaFileObject;
import org.callbacks4j.Logs;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.CallbackException;
import org.callbacks4j.internal.dispatch.Hooks;
import org.junit.jupiter.api.Test;

/**
 * Generated dispatchers called directly, as the trainer calls them, with stub logs and context: each hook reaches the
 * user's methods in order with the right arguments, and exceptions leave as documented.
 */
class DispatcherTest {

    private static final JavaFileObject BASE = source("com.example.BaseRecorder", """
            package com.example;

            import java.util.ArrayList;
            import java.util.List;
            import java.util.function.Supplier;
            import org.callbacks4j.*;

            class BaseRecorder implements Supplier<List<String>> {
                final List<String> calls = new ArrayList<>();

                @Override
                public List<String> get() {
                    return calls;
                }

                @OnEpochEnd
                void baseEpochEnd(int epoch) {
                    calls.add("BaseRecorder.baseEpochEnd " + epoch);
                }

                @OnEpochEnd
                void overridden(int epoch) {
                    calls.add("BaseRecorder.overridden " + epoch);
                }
            }
            """);

    private static final JavaFileObject RECORDER = source("com.example.Recorder", """
            package com.example;

            import org.callbacks4j.*;
            import org.callbacks4j.model.Sequential;

            public class Recorder extends BaseRecorder {

                @OnTrainBegin
                void trainBegin(TrainingContext context, Sequential model) {
                    calls.add("trainBegin epochs=" + context.epochs() + " model=" + model);
                }

                @OnEpochBegin
                void epochBegin(int epoch, TrainingContext context) {
                    calls.add("epochBegin " + epoch + " lr=" + context.learningRate());
                }

                @OnBatchBegin
                void batchBegin(int batch, int epoch) {
                    calls.add("batchBegin " + epoch + "/" + batch);
                }

                @OnBatchEnd
                void batchEnd(Logs logs, int batch) {
                    calls.add("batchEnd " + batch + " loss=" + logs.get("loss"));
                }

                @OnValidationEnd
                void validationEnd(int epoch, Logs logs) {
                    calls.add("validationEnd " + epoch + " val_loss=" + logs.get("val_loss"));
                }

                @OnEpochEnd
                void epochEnd(int epoch, Logs logs) {
                    calls.add("epochEnd " + epoch + " " + logs.names());
                }

                @OnEpochEnd
                @OnTrainEnd
                void both(Logs logs) {
                    calls.add("both loss=" + logs.get("loss"));
                }

                @Override
                void overridden(int epoch) {
                    calls.add("Recorder.overridden " + epoch);
                }

                @OnTrainEnd
                void trainEnd(Sequential model, TrainingContext context) {
                    calls.add("trainEnd model=" + model + " stop=" + context.isStopRequested());
                }
            }
            """);

    private final StubContext context = new StubContext();
    private final Logs logs = new StubLogs(Map.of("loss", 0.5, "val_loss", 0.75));

    @Test
    void everyHookCallsItsMethodsInOrderWithTheirArguments() {
        Object recorder = load(compile(BASE, RECORDER), "com.example.Recorder");
        CallbackDispatcher dispatcher = dispatcher(recorder);

        dispatcher.onTrainBegin(context);
        dispatcher.onEpochBegin(0, context);
        dispatcher.onBatchBegin(0, 1, context);
        dispatcher.onBatchEnd(0, 1, logs, context);
        dispatcher.onValidationEnd(0, logs, context);
        dispatcher.onEpochEnd(0, logs, context);
        dispatcher.onTrainEnd(logs, context);

        assertThat(calls(recorder)).containsExactly(
                        "trainBegin epochs=3 model=null",
                        "epochBegin 0 lr=0.01",
                        "batchBegin 0/1",
                        "batchEnd 1 loss=0.5",
                        "validationEnd 0 val_loss=0.75",
                        // superclass hooks first; the override runs once, in its superclass's place
                        "BaseRecorder.baseEpochEnd 0",
                        "Recorder.overridden 0",
                        "epochEnd 0 [loss, val_loss]",
                        "both loss=0.5",
                        "both loss=0.5",
                        "trainEnd model=null stop=false")
                .inOrder();
        // Sequential parameters are read from the context, once per call that declares one.
        assertThat(context.modelCalls).isEqualTo(2);
    }

    @Test
    void hooksNamesExactlyTheHooksDeclared() {
        Compilation compilation = compile(BASE, RECORDER);
        assertThat(dispatcher(load(compilation, "com.example.Recorder")).hooks())
                .isEqualTo(Hooks.TRAIN_BEGIN | Hooks.EPOCH_BEGIN | Hooks.BATCH_BEGIN | Hooks.BATCH_END
                        | Hooks.BATCH_LOGS | Hooks.VALIDATION_END | Hooks.EPOCH_END | Hooks.TRAIN_END);
        assertThat(dispatcher(load(compilation, "com.example.BaseRecorder")).hooks()).isEqualTo(Hooks.EPOCH_END);
    }

    @Test
    void batchLogsOnlyWhenABatchEndHookReadsLogs() {
        JavaFileObject quiet = source("com.example.Quiet", """
                package com.example;

                import org.callbacks4j.*;

                public class Quiet {
                    @OnBatchEnd void tick(int batch, TrainingContext context) {}
                    @OnEpochEnd void report(Logs logs) {}
                }
                """);
        assertThat(dispatcher(load(compile(quiet), "com.example.Quiet")).hooks())
                .isEqualTo(Hooks.BATCH_END | Hooks.EPOCH_END);
    }

    @Test
    void onlyDeclaredHooksAreOverridden() throws ReflectiveOperationException {
        JavaFileObject quiet = source("com.example.Quiet", """
                package com.example;

                import org.callbacks4j.*;

                public class Quiet {
                    @OnEpochEnd void report(Logs logs) {}
                }
                """);
        Compilation compilation = compile(quiet);
        Class<?> generated = new CompiledClasses(compilation).loadClass("com.example.Quiet_Callbacks");
        assertThat(Modifier.isFinal(generated.getModifiers())).isTrue();
        assertThat(Arrays.stream(generated.getDeclaredMethods())
                        .filter(m -> !m.isSynthetic())
                        .map(Method::getName)
                        .toList())
                .containsExactly("hooks", "onEpochEnd");
    }

    private static final JavaFileObject THROWER = source("com.example.Thrower", """
            package com.example;

            import java.io.IOException;
            import java.util.function.Consumer;
            import org.callbacks4j.*;

            public class Thrower implements Consumer<Throwable> {
                private Throwable next;

                @Override
                public void accept(Throwable next) {
                    this.next = next;
                }

                @OnEpochEnd
                void save(int epoch, Logs logs) throws IOException {
                    if (next instanceof IOException e) throw e;
                    if (next instanceof RuntimeException e) throw e;
                }

                @OnTrainEnd
                void anything(Logs logs) throws Throwable {
                    if (next != null) throw next;
                }
            }
            """);

    @Test
    void checkedExceptionLeavesAsCallbackExceptionNamingTheHook() {
        Object thrower = load(compile(THROWER), "com.example.Thrower");
        IOException failure = new IOException("disk full");
        accept(thrower, failure);
        CallbackException thrown =
                assertThrows(CallbackException.class, () -> dispatcher(thrower).onEpochEnd(1, logs, context));
        assertThat(thrown).hasCauseThat().isSameInstanceAs(failure);
        assertThat(thrown).hasMessageThat().contains("hook Thrower.save(int, Logs) threw java.io.IOException: disk full");
    }

    @Test
    void uncheckedExceptionsPassThroughUnchanged() {
        Object thrower = load(compile(THROWER), "com.example.Thrower");
        CallbackDispatcher dispatcher = dispatcher(thrower);
        IllegalStateException unchecked = new IllegalStateException("bad state");
        accept(thrower, unchecked);
        assertThat(assertThrows(IllegalStateException.class, () -> dispatcher.onEpochEnd(1, logs, context)))
                .isSameInstanceAs(unchecked);
        // Also from a method that declares Throwable, whose catch would otherwise take them.
        assertThat(assertThrows(IllegalStateException.class, () -> dispatcher.onTrainEnd(logs, context)))
                .isSameInstanceAs(unchecked);
        AssertionError error = new AssertionError("broken");
        accept(thrower, error);
        assertThat(assertThrows(AssertionError.class, () -> dispatcher.onTrainEnd(logs, context)))
                .isSameInstanceAs(error);
        Exception checked = new Exception("checked");
        accept(thrower, checked);
        assertThat(assertThrows(CallbackException.class, () -> dispatcher.onTrainEnd(logs, context)))
                .hasCauseThat()
                .isSameInstanceAs(checked);
    }

    private static Object load(Compilation compilation, String className) {
        assertThat(compilation).succeededWithoutWarnings();
        return new CompiledClasses(compilation).instantiate(className);
    }

    /** The generated dispatcher for {@code target}, built as the trainer builds it: from the target. */
    private static CallbackDispatcher dispatcher(Object target) {
        try {
            Class<?> type = target.getClass();
            Class<?> generated = type.getClassLoader().loadClass(type.getName() + "_Callbacks");
            return (CallbackDispatcher) generated.getConstructor(type).newInstance(target);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> calls(Object recorder) {
        return ((Supplier<List<String>>) recorder).get();
    }

    @SuppressWarnings("unchecked")
    private static void accept(Object thrower, Throwable next) {
        ((Consumer<Throwable>) thrower).accept(next);
    }
}
