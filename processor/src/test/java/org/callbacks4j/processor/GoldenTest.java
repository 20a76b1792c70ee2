package org.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.callbacks4j.processor.Compilations.compile;
import static org.callbacks4j.processor.Compilations.generatedSource;
import static org.callbacks4j.processor.Compilations.source;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Generated sources compared, character for character, with the files under {@code src/test/resources/goldens/}
 * ({@code goldens/GoldenTest/<test method>/<generated class>.java}). After an intended change to the output, run with
 * {@code -Dcallbacks4j.updateGoldens=true} to rewrite them, read the diff, and commit it with the change.
 */
class GoldenTest {

    private static final JavaFileObject BASE = source("com.example.BaseTraining", """
            package com.example;

            import org.callbacks4j.Logs;
            import org.callbacks4j.OnEpochEnd;
            import org.callbacks4j.OnTrainBegin;
            import org.callbacks4j.TrainingContext;

            abstract class BaseTraining {

                @OnTrainBegin
                void setUp(TrainingContext context) {}

                @OnEpochEnd
                void baseReport(Logs logs) {}
            }
            """);

    private static final JavaFileObject TRAINING = source("com.example.Training", """
            package com.example;

            import java.io.FileNotFoundException;
            import java.io.IOException;
            import java.util.concurrent.TimeoutException;
            import org.callbacks4j.Logs;
            import org.callbacks4j.OnBatchBegin;
            import org.callbacks4j.OnBatchEnd;
            import org.callbacks4j.OnEpochBegin;
            import org.callbacks4j.OnEpochEnd;
            import org.callbacks4j.OnTrainBegin;
            import org.callbacks4j.OnTrainEnd;
            import org.callbacks4j.OnValidationEnd;
            import org.callbacks4j.TrainingContext;
            import org.callbacks4j.model.Sequential;

            public class Training extends BaseTraining {

                @OnTrainBegin
                void start(TrainingContext context, Sequential model) {}

                @OnEpochBegin
                void epochStarts(int epoch) {}

                @OnBatchBegin
                void batchStarts(int batch, int epoch) {}

                @OnBatchEnd
                void batchEnds(int epoch, int batch, Logs logs) {}

                @OnValidationEnd
                void validated(Logs logs, int epoch) throws Exception {}

                @OnEpochEnd
                void report(int epoch, Logs logs) {}

                @OnEpochEnd
                void save(Logs logs, TrainingContext context)
                        throws IOException, FileNotFoundException, TimeoutException, IllegalStateException {}

                @OnEpochEnd
                @OnTrainEnd
                void flush() {}

                @OnTrainEnd
                void finish(Logs logs, Sequential model, TrainingContext context) throws InterruptedException {}

                @Override
                void setUp(TrainingContext context) {}

                static class Nested {

                    @OnEpochEnd
                    public void tick(TrainingContext context) {}
                }
            }
            """);

    private static final JavaFileObject GENERIC = source("com.example.Experiment", """
            package com.example;

            import java.util.List;
            import org.callbacks4j.OnEpochEnd;

            public class Experiment<T extends Number, R> {

                @OnEpochEnd
                void record(int epoch) {}

                class Phase<P> {

                    @OnEpochEnd
                    void end() {}
                }
            }
            """);

    private static final JavaFileObject POLICY_BASE = source("com.example.PolicyBase", """
            package com.example;

            import org.callbacks4j.*;

            abstract class PolicyBase {

                @Metric(value = "drift", direction = Direction.MIN)
                double drift(Logs logs) {
                    return 0;
                }
            }
            """);

    private static final JavaFileObject POLICY_TRAINING = source("com.example.PolicyTraining", """
            package com.example;

            import java.io.IOException;
            import org.callbacks4j.*;
            import org.callbacks4j.model.Sequential;
            import org.nd4j.linalg.api.ndarray.INDArray;

            @EarlyStop(monitor = "val_loss", patience = 3, restoreBestWeights = true, minDelta = 1e-3, baseline = 0.9,
                    startFromEpoch = 2, verbose = true)
            @EarlyStop(monitor = "drift")
            @Checkpoint(path = "runs/ckpt-{epoch:02d}-{val_loss:.4f}.zip", monitor = "val_f1", saveBestOnly = true,
                    initialValueThreshold = 0.5, verbose = true)
            @Checkpoint(path = "runs/last-{epoch}-{batch}.zip", saveFreq = 50, saveWeightsOnly = true)
            @ReduceLrOnPlateau(factor = 0.5, patience = 2, cooldown = 1, minLr = 1e-6, minDelta = 0, mode = Mode.MIN)
            @TerminateOnNaN
            @CsvLogger(value = "runs/history.csv", separator = ";", append = true)
            @TensorBoard(value = "runs/tb", updateFreq = 10)
            @BackupAndRestore(value = "runs/backup", saveFreq = 100)
            public class PolicyTraining extends PolicyBase {

                @LearningRateSchedule(verbose = true)
                double warmup(int epoch, double lr) {
                    return epoch < 5 ? 1e-3 * (epoch + 1) / 5 : lr;
                }

                @Metric(value = "gap", direction = Direction.MIN)
                double gap(Logs logs) {
                    return logs.get("val_loss") - logs.get("loss");
                }

                @Metric(value = "f1", direction = Direction.MAX)
                double f1(INDArray predictions, INDArray labels) throws IOException {
                    return 0;
                }

                @EarlyStop(mode = Mode.MAX, patience = 5)
                double score(int epoch, Logs logs, TrainingContext context, Sequential model) {
                    return 0;
                }

                @Metric(value = "spread", direction = Direction.MIN)
                @EarlyStop(patience = 4)
                double spread(Logs logs) {
                    return 0;
                }

                @OnEpochEnd
                void report(int epoch, Logs logs) {}

                @OnTrainEnd
                void done() {}

                @TerminateOnNaN
                static class OnlyPolicies {}
            }
            """);

    @Test
    void everyPolicy(TestInfo test) throws IOException {
        Compilation compilation = compile(POLICY_BASE, POLICY_TRAINING);
        assertThat(compilation).succeededWithoutWarnings();
        assertMatchesGolden(test, compilation, "com.example.PolicyTraining_Callbacks");
        assertMatchesGolden(test, compilation, "com.example.PolicyTraining_OnlyPolicies_Callbacks");
        assertMatchesGolden(test, compilation, "com.example.PolicyBase_Callbacks");
    }

    @Test
    void representativeClass(TestInfo test) throws IOException {
        Compilation compilation = compile(BASE, TRAINING);
        assertThat(compilation).succeededWithoutWarnings();
        assertMatchesGolden(test, compilation, "com.example.Training_Callbacks");
        assertMatchesGolden(test, compilation, "com.example.Training_Nested_Callbacks");
        assertMatchesGolden(test, compilation, "com.example.BaseTraining_Callbacks");
    }

    @Test
    void genericClasses(TestInfo test) throws IOException {
        Compilation compilation = compile(GENERIC);
        assertThat(compilation).succeededWithoutWarnings();
        assertMatchesGolden(test, compilation, "com.example.Experiment_Callbacks");
        assertMatchesGolden(test, compilation, "com.example.Experiment_Phase_Callbacks");
    }

    @Test
    void generatedCodeOnlyCallsAndAllocatesNothingButPoliciesAndTheExceptionItThrows() throws IOException {
        Compilation compilation = compile(BASE, TRAINING, GENERIC, POLICY_BASE, POLICY_TRAINING);
        assertThat(compilation).succeeded();
        assertThat(compilation.generatedSourceFiles()).hasSize(8);
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            String text = file.getCharContent(false).toString();
            for (String line : text.lines().toList()) {
                if (line.contains("new ")) {
                    // Policies are built once, in the constructor; hooks allocate only the exception they throw.
                    assertThat(line).containsMatch(
                            "^ {8}this\\.\\w+ = new |^ +throw new CallbackException\\(\"[^\"]+\", e\\);$");
                }
            }
            assertThat(text).doesNotContainMatch("->|::|\\.\\.\\.|reflect|MethodHandle|getClass|Object\\[\\]");
        }
    }

    @Test
    void sameTextOnEveryBuild() {
        String first = generatedSource(compile(BASE, TRAINING), "com.example.Training_Callbacks");
        String second = generatedSource(compile(TRAINING, BASE), "com.example.Training_Callbacks");
        assertThat(second).isEqualTo(first);
    }

    /** Goldens rewritten by this test in update mode: the test then fails, so an update never passes silently. */
    private final List<Path> rewritten = new ArrayList<>();

    @AfterEach
    void failIfRewritten() {
        if (!rewritten.isEmpty()) {
            fail("rewrote " + rewritten + "; review the diff and run again without -Dcallbacks4j.updateGoldens");
        }
    }

    private void assertMatchesGolden(TestInfo test, Compilation compilation, String className) throws IOException {
        String actual = generatedSource(compilation, className);
        String path = "goldens/GoldenTest/" + test.getTestMethod().orElseThrow().getName() + "/" + className + ".java";
        if (Boolean.getBoolean("callbacks4j.updateGoldens")) {
            Path file = Path.of("src/test/resources", path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            rewritten.add(file);
            return;
        }
        try (InputStream in = GoldenTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                fail("no golden file " + path + "; create it with -Dcallbacks4j.updateGoldens=true. Generated:\n"
                        + actual);
            }
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
