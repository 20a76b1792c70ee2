package org.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.callbacks4j.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.callbacks4j.processor.writing.CallbacksGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Negative compile tests: each misuse is one error, with its stable id, on the line at fault, and nothing is
 * generated for the class at fault. Test sources put an annotation on the same line as its method, so that a message
 * on either points at that line.
 */
class ErrorsTest {

    /** The dispatchers the processor generated (compile-testing hides generated files when compilation fails). */
    private final List<String> generated = new ArrayList<>();

    private Compilation compile(JavaFileObject... sources) {
        return Compilations.compile(processor(), sources);
    }

    private CallbacksProcessor processor() {
        CallbacksGenerator generator = new CallbacksGenerator();
        return new CallbacksProcessor(descriptor -> {
            generated.add(descriptor.generatedName().canonicalName());
            return generator.generate(descriptor);
        });
    }

    /**
     * Asserts the compilation failed with exactly one error, {@code id}, on the line of {@code file} containing
     * {@code line}, and generated nothing.
     */
    private void assertOnlyError(Compilation compilation, JavaFileObject file, String id, String line) {
        assertThat(compilation).hadErrorContaining("[callbacks4j/" + id + "] ").inFile(file).onLineContaining(line);
        assertThat(compilation).hadErrorCount(1);
        assertThat(generated).isEmpty();
    }

    private static String errorText(Compilation compilation) {
        assertThat(compilation.errors()).hasSize(1);
        return compilation.errors().get(0).getMessage(null);
    }

    private static JavaFileObject training(String body) {
        return source("com.example.Training", """
                package com.example;

                import java.util.Map;
                import org.callbacks4j.*;
                import org.callbacks4j.model.Sequential;

                public class Training {
                %s
                }
                """.formatted(body.indent(4)));
    }

    @Test
    void privateHook() {
        JavaFileObject file = training("@OnEpochEnd private void report(int epoch) {}");
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "PrivateHook", "private void report");
        assertThat(errorText(compilation)).isEqualTo("[callbacks4j/PrivateHook] @OnEpochEnd method Training.report(int)"
                + " is private, so generated code cannot call it; make it package-private, protected or public");
    }

    @Test
    void staticHook() {
        JavaFileObject file = training("@OnEpochEnd static void report(int epoch) {}");
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "StaticHook", "static void report");
        assertThat(errorText(compilation)).contains("remove 'static'");
    }

    @Test
    void abstractHook() {
        JavaFileObject file = source("com.example.Training", """
                package com.example;

                import org.callbacks4j.*;

                public abstract class Training {
                    @OnEpochEnd abstract void report(int epoch);
                }
                """);
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "AbstractHook", "abstract void report");
        assertThat(errorText(compilation)).contains("give it a body");
    }

    @Test
    void concreteHookInAbstractClassIsFine() {
        JavaFileObject file = source("com.example.Training", """
                package com.example;

                import org.callbacks4j.*;

                public abstract class Training {
                    @OnEpochEnd void report(int epoch) {}

                    abstract void train();
                }
                """);
        Compilation compilation = compile(file);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation.generatedSourceFile("com.example.Training_Callbacks")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"void report(int epoch);", "default void report(int epoch) {}", "static void report() {}"})
    void hookInInterface(String method) {
        JavaFileObject file = source("com.example.Training", """
                package com.example;

                import org.callbacks4j.*;

                public interface Training {
                    @OnEpochEnd %s
                }
                """.formatted(method));
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "HookInInterface", "void report");
        assertThat(errorText(compilation)).contains("annotate the method of the class that implements it instead");
    }

    @Test
    void genericHook() {
        JavaFileObject file = training("@OnEpochEnd <T> void report(int epoch) {}");
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "GenericHook", "<T> void report");
        assertThat(errorText(compilation)).contains("declares type parameters <T>");
    }

    @Test
    void hookReturnsValue() {
        JavaFileObject file = training("@OnEpochEnd double report(int epoch) { return 0; }");
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "HookReturnsValue", "double report");
        assertThat(errorText(compilation)).contains("returns double, but the value would be ignored; make it return void");
    }

    @Test
    void privateClass() {
        JavaFileObject file = training("""
                private static class Hidden {
                    @OnEpochEnd void report(int epoch) {}
                }
                """);
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "UnreachableHookClass", "void report");
        assertThat(errorText(compilation)).contains(
                "cannot be called by generated code in package com.example because class Training.Hidden is private;"
                        + " make Training.Hidden package-private or public");
    }

    @Test
    void classNestedInPrivateClass() {
        JavaFileObject file = training("""
                private static class Hidden {
                    static class Inner {
                        @OnEpochEnd void report(int epoch) {}
                    }
                }
                """);
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "UnreachableHookClass", "void report");
        assertThat(errorText(compilation)).contains("because it is nested in private class Training.Hidden");
    }

    @Test
    void hookInLocalClass() {
        JavaFileObject file = training("""
                void train() {
                    class Local {
                        @OnEpochEnd void report(int epoch) {}
                    }
                }
                """);
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "UnreachableHookClass", "void report");
        assertThat(errorText(compilation)).contains("@OnEpochEnd method report() is declared in a local class");
    }

    @Test
    void hookInAnonymousClassOfAFieldWithQualifiedAnnotation() {
        JavaFileObject file = source("com.example.Training", """
                package com.example;

                public class Training {
                    final Object callbacks = new Object() {
                        @org.callbacks4j.OnBatchEnd void onBatch(int batch) {}
                    };
                }
                """);
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "UnreachableHookClass", "void onBatch");
        assertThat(errorText(compilation)).contains("@OnBatchEnd method onBatch() is declared in an anonymous class");
    }

    @Test
    void policyAnnotationInAnonymousClassImportedByName() {
        JavaFileObject file = source("com.example.Training", """
                package com.example;

                import org.callbacks4j.Metric;

                public class Training {
                    Object make() {
                        return new Object() {
                            @Metric("gap") double gap() { return 0; }
                        };
                    }
                }
                """);
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "UnreachableHookClass", "double gap");
    }

    @Test
    void sameSimpleNameFromAnotherPackageInLocalClassIsNotOurs() {
        JavaFileObject annotation = source("com.other.OnEpochEnd", """
                package com.other;

                public @interface OnEpochEnd {}
                """);
        JavaFileObject file = source("com.example.Training", """
                package com.example;

                import com.other.OnEpochEnd;

                public class Training {
                    void train() {
                        class Local {
                            @OnEpochEnd void report() {}
                        }
                    }
                }
                """);
        assertThat(compile(annotation, file)).succeededWithoutWarnings();
    }

    @ParameterizedTest
    @CsvSource({"'', package-private", "protected, protected"})
    void inheritedHookInAnotherPackageNotPublic(String modifier, String described) {
        JavaFileObject base = source("com.example.base.Base", """
                package com.example.base;

                import org.callbacks4j.*;

                public class Base {
                    @OnTrainBegin %s void setUp() {}
                }
                """.formatted(modifier));
        JavaFileObject training = source("com.example.Training", """
                package com.example;

                import org.callbacks4j.*;

                public class Training extends com.example.base.Base {
                    @OnEpochEnd void report(int epoch) {}
                }
                """);
        Compilation compilation = compile(base, training);
        assertThat(compilation).hadErrorContaining("[callbacks4j/InaccessibleInheritedHook] ")
                .inFile(base)
                .onLineContaining("void setUp");
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation.errors().get(0).getMessage(null)).contains(
                "@OnTrainBegin method Base.setUp() is inherited by Training, but Training_Callbacks (package"
                        + " com.example) cannot call it because it is " + described
                        + " in package com.example.base; make it public");
        // Base itself is fine: its own dispatcher lives in its package.
        assertThat(generated).containsExactly("com.example.base.Base_Callbacks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"OnTrainBegin", "OnTrainEnd"})
    void epochOnTrainHook(String hook) {
        JavaFileObject file = training("@%s void run(\n        int epoch) {}".formatted(hook));
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "EpochParameterOnTrainHook", "int epoch");
        assertThat(errorText(compilation)).contains("has no value on @" + hook + ", which runs outside any epoch;"
                + " remove it and read TrainingContext.epoch() instead");
    }

    @ParameterizedTest
    @ValueSource(strings = {"OnTrainBegin", "OnTrainEnd", "OnEpochBegin", "OnEpochEnd", "OnValidationEnd"})
    void batchOnNonBatchHook(String hook) {
        JavaFileObject file = training("@%s void run(\n        int batch) {}".formatted(hook));
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "BatchParameterOnNonBatchHook", "int batch");
        assertThat(errorText(compilation)).contains("has no value on @" + hook);
    }

    @Test
    void batchOnOneOfTwoHooks() {
        JavaFileObject file = training("@OnBatchEnd @OnEpochEnd void run(\n        int batch) {}");
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "BatchParameterOnNonBatchHook", "int batch");
        assertThat(errorText(compilation)).contains("has no value on @OnEpochEnd");
    }

    @Test
    void intParameterWithAnotherName() {
        JavaFileObject file = training("@OnEpochEnd void run(\n        int step) {}");
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "AmbiguousIntParameter", "int step");
        assertThat(errorText(compilation)).contains("name it 'epoch' or 'batch'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"OnTrainBegin", "OnEpochBegin", "OnBatchBegin"})
    void logsOnBeginHook(String hook) {
        JavaFileObject file = training("@%s void run(\n        Logs logs) {}".formatted(hook));
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "LogsOnBeginHook", "Logs logs");
        assertThat(errorText(compilation)).contains("(Keras passes empty logs to begin hooks); remove it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"long epoch", "Integer epoch", "Map<String, Double> values", "Object any", "double[] x"})
    void unknownParameter(String parameter) {
        JavaFileObject file = training("@OnEpochEnd void run(\n        %s) {}".formatted(parameter));
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "UnknownParameter", parameter);
        assertThat(errorText(compilation)).contains(
                "cannot be injected into @OnEpochEnd; declare any subset of: int epoch, Logs, TrainingContext,"
                        + " Sequential");
    }

    @Test
    void unknownParameterListsTheMenuOfItsHook() {
        JavaFileObject file = training("@OnBatchBegin void run(\n        long step) {}");
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "UnknownParameter", "long step");
        assertThat(errorText(compilation))
                .endsWith("declare any subset of: int epoch, int batch, TrainingContext, Sequential");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Logs", "TrainingContext", "Sequential"})
    void duplicateParameter(String type) {
        JavaFileObject file = training("@OnEpochEnd void run(%s first,\n        %s second) {}".formatted(type, type));
        Compilation compilation = compile(file);
        assertOnlyError(compilation, file, "DuplicateParameter", "second");
        assertThat(errorText(compilation)).contains("repeats '" + type + " first'");
    }

    @Test
    void everyErrorInAClassIsReportedAndOtherClassesStillGenerate() {
        JavaFileObject file = training("""
                @OnEpochEnd private void a(int epoch) {}
                @OnEpochEnd static void b(int epoch) {}
                @OnEpochBegin void c(
                        Logs logs,
                        long step) {}
                @OnEpochEnd void fine(int epoch) {}
                """);
        JavaFileObject other = source("com.example.Other", """
                package com.example;

                import org.callbacks4j.*;

                class Other {
                    @OnEpochEnd void report(int epoch) {}
                }
                """);
        Compilation compilation = compile(file, other);
        assertThat(compilation).hadErrorContaining("[callbacks4j/PrivateHook]").inFile(file).onLineContaining("void a");
        assertThat(compilation).hadErrorContaining("[callbacks4j/StaticHook]").inFile(file).onLineContaining("void b");
        assertThat(compilation).hadErrorContaining("[callbacks4j/LogsOnBeginHook]")
                .inFile(file)
                .onLineContaining("Logs logs");
        assertThat(compilation).hadErrorContaining("[callbacks4j/UnknownParameter]")
                .inFile(file)
                .onLineContaining("long step");
        assertThat(compilation).hadErrorCount(4);
        assertThat(generated).containsExactly("com.example.Other_Callbacks");
    }

    @Test
    void oneMethodWithSeveralProblemsReportsEach() {
        JavaFileObject file = training("@OnEpochEnd private static <T> int report(\n        long step) { return 0; }");
        Compilation compilation = compile(file);
        for (String id : new String[] {"PrivateHook", "StaticHook", "GenericHook", "HookReturnsValue"}) {
            assertThat(compilation).hadErrorContaining("[callbacks4j/" + id + "]")
                    .inFile(file)
                    .onLineContaining("int report");
        }
        assertThat(compilation).hadErrorContaining("[callbacks4j/UnknownParameter]")
                .inFile(file)
                .onLineContaining("long step");
        assertThat(compilation).hadErrorCount(5);
    }

    @Test
    void inheritedErrorIsReportedOnce() {
        // Base is validated on its own and again as Training's superclass: the error must not repeat.
        JavaFileObject base = source("com.example.Base", """
                package com.example;

                import org.callbacks4j.*;

                public class Base {
                    @OnEpochEnd void report(long step) {}
                }
                """);
        JavaFileObject training = source("com.example.Training", """
                package com.example;

                import org.callbacks4j.*;

                public class Training extends Base {
                    @OnEpochEnd void more(int epoch) {}
                }
                """);
        Compilation compilation = compile(base, training);
        assertThat(compilation).hadErrorContaining("[callbacks4j/UnknownParameter]")
                .inFile(base)
                .onLineContaining("long step");
        assertThat(compilation).hadErrorCount(1);
        assertThat(generated).isEmpty();
    }

    @Test
    void twoClassesMappingToOneGeneratedName() {
        JavaFileObject nested = source("com.example.A", """
                package com.example;

                import org.callbacks4j.*;

                public class A {
                    public static class B {
                        @OnEpochEnd void report(int epoch) {}
                    }
                }
                """);
        JavaFileObject flat = source("com.example.A_B", """
                package com.example;

                import org.callbacks4j.*;

                public class A_B {
                    @OnEpochEnd void report(int epoch) {}
                }
                """);
        Compilation compilation = compile(nested, flat);
        assertThat(compilation).hadErrorContaining("[callbacks4j/GeneratedNameClash] ");
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation.errors().get(0).getMessage(null))
                .containsMatch("com\\.example\\.(A\\.B|A_B) and com\\.example\\.(A\\.B|A_B) would both be dispatched"
                        + " by com\\.example\\.A_B_Callbacks; rename one of them");
    }

    @Test
    void generatedNameTakenByASourceFile() {
        JavaFileObject file = training("@OnEpochEnd void report(int epoch) {}");
        JavaFileObject handWritten = source("com.example.Training_Callbacks", """
                package com.example;

                class Training_Callbacks {}
                """);
        Compilation compilation = compile(file, handWritten);
        assertThat(compilation).hadErrorContaining("[callbacks4j/WriteFailed] could not write"
                        + " com.example.Training_Callbacks for com.example.Training: ")
                .inFile(file)
                .onLineContaining("public class Training");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void typeThatNeverAppearsIsReportedAfterTheLastRound() {
        JavaFileObject file = training("@OnEpochEnd void report(int epoch,\n        Missing missing) {}");
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/UnresolvedType] hooks of Training refer to Missing,")
                .inFile(file)
                .onLineContaining("Missing missing");
        // javac's own error for the missing type, and nothing else.
        assertThat(compilation).hadErrorContaining("cannot find symbol");
        assertThat(compilation).hadErrorCount(2);
        assertThat(generated).isEmpty();
    }

    @Test
    void classWithAMissingTypeStillReportsItsOtherErrors() {
        JavaFileObject file = training("""
                @OnEpochEnd private void report(int epoch) {}
                @OnEpochEnd void save(
                        Missing missing) {}
                """);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/PrivateHook]")
                .inFile(file)
                .onLineContaining("void report");
        assertThat(compilation).hadErrorContaining("[callbacks4j/UnresolvedType]")
                .inFile(file)
                .onLineContaining("Missing missing");
        assertThat(compilation).hadErrorContaining("cannot find symbol");
        assertThat(compilation).hadErrorCount(3);
    }

    @Test
    void classWaitsForASuperclassGeneratedInALaterRound() {
        JavaFileObject training = source("com.example.Training", """
                package com.example;

                import org.callbacks4j.*;

                public class Training extends GeneratedBase {
                    @OnEpochEnd void report(int epoch) {}
                }
                """);
        // The generator first: callbacks4j claims its annotations, and javac calls a "*" processor placed after it only
        // for rounds with unclaimed annotations, which this one (nothing but @OnEpochEnd) has not.
        Compilation compilation = Compilations.compile(List.of(new BaseGenerator(), processor()), training);
        assertThat(compilation).succeededWithoutWarnings();
        String generated = Compilations.generatedSource(compilation, "com.example.Training_Callbacks");
        assertThat(generated).contains("""
                        // inherited from GeneratedBase
                        target.setUp();
                """);
    }

    @Test
    void crashBecomesAnErrorOnTheClass() {
        JavaFileObject file = training("@OnEpochEnd void report(int epoch) {}");
        CallbacksProcessor failing = new CallbacksProcessor(descriptor -> {
            throw new IllegalStateException("injected failure");
        });
        Compilation compilation = Compilations.compile(failing, file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/ProcessorCrash] callbacks4j crashed while processing"
                        + " com.example.Training. This is a bug in callbacks4j: please report it")
                .inFile(file)
                .onLineContaining("public class Training");
        assertThat(compilation).hadErrorContaining("java.lang.IllegalStateException: injected failure");
        assertThat(compilation).hadErrorContaining("at org.callbacks4j.processor.");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void nothingButHooksIsReported() {
        // Warnings are not ours to give: a valid class compiles without any diagnostic from the processor.
        Compilation compilation = compile(training("@OnEpochEnd void report(int epoch) {}"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation.diagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.NOTE)).isEmpty();
    }

    /** Stands for another processor: generates {@code com.example.GeneratedBase}, with a hook, in its first round. */
    private static final class BaseGenerator extends AbstractProcessor {
        private boolean done;

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("*");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
            if (!done) {
                done = true;
                try (Writer writer =
                        processingEnv.getFiler().createSourceFile("com.example.GeneratedBase").openWriter()) {
                    writer.write("""
                            package com.example;

                            public class GeneratedBase {
                                @org.callbacks4j.OnEpochEnd public void setUp() {}
                            }
                            """);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
            return false;
        }
    }
}
