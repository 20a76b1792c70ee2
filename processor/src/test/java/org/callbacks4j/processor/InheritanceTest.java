package org.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.callbacks4j.processor.Compilations.compile;
import static org.callbacks4j.processor.Compilations.compileAgainst;
import static org.callbacks4j.processor.Compilations.generatedSource;
import static org.callbacks4j.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.tools.JavaFileObject;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.Dispatchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hooks and policies declared in superclasses: from another package, and from class files compiled earlier. */
class InheritanceTest {

    private static final JavaFileObject BASE = source("com.example.base.Base", """
            package com.example.base;

            import java.io.IOException;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.function.Supplier;
            import org.callbacks4j.*;

            public class Base implements Supplier<List<String>> {
                protected final List<String> calls = new ArrayList<>();

                @Override
                public List<String> get() {
                    return calls;
                }

                @OnEpochEnd
                public void report(int epoch, Logs logs) throws IOException {
                    calls.add("Base.report " + epoch);
                }
            }
            """);

    private static final JavaFileObject SUB = source("com.example.Sub", """
            package com.example;

            import org.callbacks4j.*;

            public class Sub extends com.example.base.Base {
                @OnEpochEnd
                void mine(int epoch) {
                    calls.add("Sub.mine " + epoch);
                }
            }
            """);

    private static final JavaFileObject POLICY_BASE = source("com.example.base.PolicyBase", """
            package com.example.base;

            import org.callbacks4j.*;

            @EarlyStop(monitor = "gap", patience = 2)
            @TerminateOnNaN
            public abstract class PolicyBase {
                @Metric(value = "gap", direction = Direction.MIN)
                public double gap(Logs logs) {
                    return 0;
                }

                @LearningRateSchedule
                protected double schedule(double lr) {
                    return lr;
                }
            }
            """);

    private static final JavaFileObject POLICY_SUB = source("com.example.PolicySub", """
            package com.example;

            import org.callbacks4j.*;

            @EarlyStop(monitor = "val_gap2", patience = 1)
            public class PolicySub extends com.example.base.PolicyBase {
                @Metric(value = "gap2", direction = Direction.MIN)
                double gap2(org.nd4j.linalg.api.ndarray.INDArray predictions) {
                    return 0;
                }
            }
            """);

    private final StubContext context = new StubContext();

    @Test
    void policiesOfASuperclassFromAClassFileRunInTheSubclassFirst(@TempDir Path classes) throws IOException {
        Compilation base = javac().withProcessors(new CallbacksProcessor()).withOptions("-g").compile(
                source("com.example.base.PolicyBase", POLICY_BASE.getCharContent(false).toString()
                        .replace("protected double schedule", "public double schedule")));
        assertThat(base).succeededWithoutWarnings();
        Compilation sub = compileAgainst(new CompiledClasses(base), classes, POLICY_SUB);
        assertThat(sub).succeededWithoutWarnings();
        String generated = generatedSource(sub, "com.example.PolicySub_Callbacks");
        assertThat(generated).contains("""
                        this.metric1 = new CustomMetric("gap");
                        this.metric2 = new PredictionMetric("gap2", new Metric2Function(target));
                        this.scheduler = new LearningRateScheduler("PolicyBase.schedule(double)", 0);
                        this.earlyStop1 = new EarlyStopping("gap", false, 0.0, 2, Double.NaN, false, 0, 0);
                        this.earlyStop2 = new EarlyStopping("val_gap2", false, 0.0, 1, Double.NaN, false, 0, 0);
                        this.terminateOnNaN = new TerminateOnNaNPolicy();
                """);
    }

    @Test
    void policyMethodOfASuperclassInAnotherPackageMustBePublic() throws IOException {
        Compilation compilation = compile(POLICY_BASE, POLICY_SUB);
        assertThat(compilation).hadErrorContaining("[callbacks4j/InaccessibleInheritedHook] @LearningRateSchedule"
                        + " method PolicyBase.schedule(double) is inherited by PolicySub, but PolicySub_Callbacks"
                        + " (package com.example) cannot call it because it is protected in package"
                        + " com.example.base; make it public")
                .inFile(POLICY_BASE)
                .onLineContaining("@LearningRateSchedule");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void publicHookOfASuperclassInAnotherPackage() {
        Compilation compilation = compile(BASE, SUB);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(generatedSource(compilation, "com.example.Sub_Callbacks")).contains("""
                        // inherited from com.example.base.Base
                        try {
                            target.report(epoch, logs);
                """);
        assertThat(epochEndCalls(new CompiledClasses(compilation).instantiate("com.example.Sub")))
                .containsExactly("Base.report 4", "Sub.mine 4")
                .inOrder();
    }

    @Test
    void superclassFromAClassFile(@TempDir Path classes) throws IOException {
        // Built with its own dispatcher and with parameter names (-g, as Maven and Gradle compile by default).
        Compilation base = javac().withProcessors(new CallbacksProcessor()).withOptions("-g").compile(BASE);
        assertThat(base).succeededWithoutWarnings();
        Compilation sub = compileAgainst(new CompiledClasses(base), classes, SUB);
        assertThat(sub).succeededWithoutWarnings();
        assertThat(epochEndCalls(new CompiledClasses(base, sub).instantiate("com.example.Sub")))
                .containsExactly("Base.report 4", "Sub.mine 4")
                .inOrder();
    }

    @Test
    void superclassFromAClassFileWithoutParameterNames(@TempDir Path classes) throws IOException {
        Compilation base = javac().withOptions("-g:none").compile(BASE);
        assertThat(base).succeeded();
        Compilation sub = compileAgainst(new CompiledClasses(base), classes, SUB);
        // A class file has no source line to point at; the message names the class and the fix.
        assertThat(sub).hadErrorContaining("[callbacks4j/ParameterNamesMissing] parameter 'int arg0' of"
                + " Base.report(int, Logs) has no real name, as when com.example.base.Base was compiled without"
                + " -parameters or -g, but an int parameter is identified by its name; recompile"
                + " com.example.base.Base with -parameters (or -g)");
        assertThat(sub).hadErrorCount(1);
    }

    @Test
    void subclassWithoutHooksIsDispatchedByItsSuperclassDispatcher() {
        JavaFileObject plain = source("com.example.Plain", """
                package com.example;

                public class Plain extends com.example.base.Base {}
                """);
        Compilation compilation = compile(BASE, plain);
        assertThat(compilation).succeededWithoutWarnings();
        Object instance = new CompiledClasses(compilation).instantiate("com.example.Plain");
        CallbackDispatcher dispatcher = Dispatchers.of(instance);
        assertThat(dispatcher.getClass().getName()).isEqualTo("com.example.base.Base_Callbacks");
        dispatcher.onEpochEnd(2, new StubLogs(Map.of()), context);
        assertThat(calls(instance)).containsExactly("Base.report 2");
    }

    /** Runs the trainer's lookup and one epoch end. */
    private List<String> epochEndCalls(Object instance) {
        Dispatchers.of(instance).onEpochEnd(4, new StubLogs(Map.of()), context);
        return calls(instance);
    }

    @SuppressWarnings("unchecked")
    private static List<String> calls(Object instance) {
        return ((Supplier<List<String>>) instance).get();
    }
}
