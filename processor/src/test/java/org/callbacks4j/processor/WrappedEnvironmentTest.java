package org.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.callbacks4j.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Build tools hand processors a wrapped {@link ProcessingEnvironment}: Gradle a delegating class (its incremental
 * processing keeps javac's environment in a field), IntelliJ a {@link Proxy}. javac's tree API rejects both, and the
 * processor needs it for hooks in local and anonymous classes and for placing errors on repeated annotations. Each
 * test runs the processor behind such a wrapper, as those tools do, and checks that it unwraps the environment, or,
 * where nothing can be unwrapped, says in a NOTE what it skips and otherwise works.
 */
class WrappedEnvironmentTest {

    private static final JavaFileObject VALID = source("com.example.Training", """
            package com.example;

            import org.callbacks4j.*;

            @EarlyStop(monitor = "loss", patience = 2)
            public class Training {
                @OnEpochEnd void report(int epoch, Logs logs) {}
            }
            """);

    private static final JavaFileObject LOCAL_HOOK = source("com.example.Local", """
            package com.example;

            import org.callbacks4j.*;

            public class Local {
                void train() {
                    class Inner {
                        @OnEpochEnd void report(int epoch) {}
                    }
                }
            }
            """);

    private static Compilation compile(Function<ProcessingEnvironment, ProcessingEnvironment> wrap,
            JavaFileObject... sources) {
        return javac().withProcessors(new WrappingProcessor(wrap)).withOptions("-Xlint:all").compile(sources);
    }

    @Test
    void gradleStyleDelegateFieldIsUnwrapped() {
        Compilation valid = compile(GradleStyleEnvironment::new, VALID);
        assertThat(valid).succeededWithoutWarnings();
        assertThat(valid).generatedSourceFile("com.example.Training_Callbacks");
        assertThat(notes(valid)).isEmpty();

        Compilation local = compile(GradleStyleEnvironment::new, LOCAL_HOOK);
        assertThat(local).hadErrorContaining("[callbacks4j/UnreachableHookClass] @OnEpochEnd method report() is"
                + " declared in a local class").inFile(LOCAL_HOOK).onLineContaining("void report");
        assertThat(local).hadErrorCount(1);
    }

    @Test
    void intellijStyleProxyIsUnwrapped() {
        Function<ProcessingEnvironment, ProcessingEnvironment> proxy = env -> (ProcessingEnvironment)
                Proxy.newProxyInstance(WrappedEnvironmentTest.class.getClassLoader(),
                        new Class<?>[] {ProcessingEnvironment.class}, new Forwarder(env));
        Compilation local = compile(proxy, LOCAL_HOOK);
        assertThat(local).hadErrorContaining("[callbacks4j/UnreachableHookClass]")
                .inFile(LOCAL_HOOK).onLineContaining("void report");
        assertThat(local).hadErrorCount(1);
        assertThat(notes(local)).isEmpty();
    }

    @Test
    void wrapperThatHidesItsDelegateGetsANoteAndEverythingElseWorks() {
        Function<ProcessingEnvironment, ProcessingEnvironment> opaque = env -> new OpaqueEnvironment(() -> env);
        Compilation valid = compile(opaque, VALID);
        assertThat(valid).succeeded();
        assertThat(valid).generatedSourceFile("com.example.Training_Callbacks");
        assertThat(notes(valid)).hasSize(1);
        assertThat(notes(valid).get(0)).contains("[callbacks4j/LocalClassScanSkipped] the processing environment ("
                + OpaqueEnvironment.class.getName() + ") is not javac's");
        assertThat(notes(valid).get(0)).contains("hooks in local and anonymous classes are not reported");

        // The skipped check: the local class's hook goes unreported, and nothing crashes.
        Compilation local = compile(opaque, LOCAL_HOOK);
        assertThat(local).succeeded();
        assertThat(local.errors()).isEmpty();
    }

    @Test
    void localHookIsReportedInASourceWhoseOnlyCallbacksAnnotationIsInALocalClass() {
        // The processor declares only the callbacks4j annotations, so javac does not call it for this round at all;
        // the task listener still scans the source when javac analyzes it.
        Compilation local = javac().withProcessors(new CallbacksProcessor()).compile(LOCAL_HOOK);
        assertThat(local).hadErrorContaining("[callbacks4j/UnreachableHookClass]")
                .inFile(LOCAL_HOOK).onLineContaining("void report");
        assertThat(local).hadErrorCount(1);
    }

    @Test
    void strictLintBuildHasNoWarnings() {
        // A user's -Xlint:all -Werror build: the processor claims its own annotations, so javac's "processing" lint
        // ("No processor claimed any of these annotations") has nothing to say.
        Compilation compilation = javac().withProcessors(new CallbacksProcessor())
                .withOptions("-Xlint:all", "-Werror").compile(VALID);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("com.example.Training_Callbacks");
    }

    private static java.util.List<String> notes(Compilation compilation) {
        return compilation.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.NOTE)
                .map(d -> d.getMessage(Locale.ROOT))
                .toList();
    }

    /** Runs {@link CallbacksProcessor} with the environment {@code wrap} makes of javac's, as a build tool does. */
    private static final class WrappingProcessor extends AbstractProcessor {
        private final CallbacksProcessor inner = new CallbacksProcessor();
        private final Function<ProcessingEnvironment, ProcessingEnvironment> wrap;

        WrappingProcessor(Function<ProcessingEnvironment, ProcessingEnvironment> wrap) {
            this.wrap = wrap;
        }

        @Override
        public synchronized void init(ProcessingEnvironment env) {
            super.init(env);
            inner.init(wrap.apply(env));
        }

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return inner.getSupportedAnnotationTypes();
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return inner.getSupportedSourceVersion();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            return inner.process(annotations, round);
        }
    }

    /** As Gradle's incremental processing environment: every call forwarded to javac's, kept in a field. */
    private static final class GradleStyleEnvironment extends ForwardingEnvironment {
        private final ProcessingEnvironment delegate;

        GradleStyleEnvironment(ProcessingEnvironment delegate) {
            this.delegate = delegate;
        }

        @Override
        ProcessingEnvironment delegate() {
            return delegate;
        }
    }

    /** A wrapper whose delegate no field holds (it sits behind a Supplier). */
    private static final class OpaqueEnvironment extends ForwardingEnvironment {
        private final Supplier<ProcessingEnvironment> source;

        OpaqueEnvironment(Supplier<ProcessingEnvironment> source) {
            this.source = source;
        }

        @Override
        ProcessingEnvironment delegate() {
            return source.get();
        }
    }

    /** As IntelliJ's proxy handler. */
    private static final class Forwarder implements InvocationHandler {
        private final Object target;

        Forwarder(Object target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    private abstract static class ForwardingEnvironment implements ProcessingEnvironment {
        abstract ProcessingEnvironment delegate();

        @Override
        public Map<String, String> getOptions() {
            return delegate().getOptions();
        }

        @Override
        public Messager getMessager() {
            return delegate().getMessager();
        }

        @Override
        public Filer getFiler() {
            return delegate().getFiler();
        }

        @Override
        public Elements getElementUtils() {
            return delegate().getElementUtils();
        }

        @Override
        public Types getTypeUtils() {
            return delegate().getTypeUtils();
        }

        @Override
        public SourceVersion getSourceVersion() {
            return delegate().getSourceVersion();
        }

        @Override
        public Locale getLocale() {
            return delegate().getLocale();
        }
    }
}
