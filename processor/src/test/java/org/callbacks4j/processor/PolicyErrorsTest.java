package org.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.callbacks4j.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.callbacks4j.processor.writing.CallbacksGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Negative compile tests for the policy annotations: each misuse is one error, with its stable id, on the line at
 * fault and, when one attribute is at fault, starting at that attribute's value in the source; nothing is generated
 * for the class at fault. Test sources put each class annotation on a line of its own.
 */
class PolicyErrorsTest {

    /** The dispatchers the processor generated (compile-testing hides generated files when compilation fails). */
    private final List<String> generated = new ArrayList<>();

    private Compilation compile(JavaFileObject... sources) {
        CallbacksGenerator generator = new CallbacksGenerator();
        return Compilations.compile(
                new CallbacksProcessor(descriptor -> {
                    generated.add(descriptor.generatedName().canonicalName());
                    return generator.generate(descriptor);
                }),
                sources);
    }

    /** {@code com.example.Training} with {@code annotations} on the class and {@code body} inside it. */
    private static JavaFileObject training(String annotations, String body) {
        return source("com.example.Training", """
                package com.example;

                import java.io.IOException;
                import org.callbacks4j.*;
                import org.callbacks4j.model.Sequential;
                import org.nd4j.linalg.api.ndarray.INDArray;

                %s
                public class Training {
                %s
                }
                """.formatted(annotations, body.indent(4)));
    }

    private static JavaFileObject training(String annotations) {
        return training(annotations, "");
    }

    /**
     * Asserts the compilation failed with exactly one error, {@code id}, on the line of {@code file} containing
     * {@code line}, starting where {@code at} starts in the source (the first occurrence on that line), and that
     * nothing was generated. Returns the message.
     */
    private String assertOnlyErrorAt(Compilation compilation, JavaFileObject file, String id, String line, String at) {
        assertThat(compilation).hadErrorContaining("[callbacks4j/" + id + "] ").inFile(file).onLineContaining(line);
        assertThat(compilation).hadErrorCount(1);
        assertThat(generated).isEmpty();
        Diagnostic<? extends JavaFileObject> error = compilation.errors().get(0);
        String text = content(file);
        int lineStart = text.indexOf(line);
        int expected = text.indexOf(at, text.lastIndexOf('\n', lineStart) + 1);
        assertThat(error.getStartPosition()).isEqualTo((long) expected);
        return error.getMessage(null);
    }

    private static String content(JavaFileObject file) {
        try {
            return file.getCharContent(false).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- monitors

    @ParameterizedTest
    @CsvSource({
        "val_los, val_loss",
        "acc, accuracy",
        "val_acc, val_accuracy",
        "Val_Loss, val_loss",
        "los, loss",
        "mean_squared_error, mse",
        "val_accurcy, val_accuracy",
        "gapp, gap"
    })
    void unknownMonitorSuggestsTheNearestName(String monitor, String suggestion) {
        JavaFileObject file = training(
                "@EarlyStop(monitor = \"%s\")".formatted(monitor),
                "@Metric(value = \"gap\", direction = Direction.MIN) double gap(Logs logs) { return 0; }");
        String message = assertOnlyErrorAt(compile(file), file, "UnknownMetric", "@EarlyStop", '"' + monitor);
        assertThat(message).isEqualTo("[callbacks4j/UnknownMetric] @EarlyStop on Training: monitor \"" + monitor
                + "\" is not a metric this training produces (did you mean \"" + suggestion + "\"?); use one of:"
                + " loss, val_loss, accuracy, val_accuracy, mse, val_mse, mae, val_mae, gap");
    }

    /** callbacks4j-dl4j's marker, as its jar would put it on the class path. */
    private static final JavaFileObject DL4J_METRICS = source("org.callbacks4j.dl4j.Dl4jMetrics", """
            package org.callbacks4j.dl4j;

            public @interface Dl4jMetrics {}
            """);

    @ParameterizedTest
    @ValueSource(strings = {"val_f1", "precision", "val_recall", "val_auc"})
    void dl4jEvaluatorMetricsAreMonitorableOnAClassMarkedDl4jMetrics(String monitor) {
        JavaFileObject file = training("""
                @org.callbacks4j.dl4j.Dl4jMetrics
                @EarlyStop(monitor = "%s")""".formatted(monitor));
        assertThat(compile(file, DL4J_METRICS)).succeededWithoutWarnings();
        assertThat(generated).containsExactly("com.example.Training_Callbacks");
    }

    @Test
    void dl4jEvaluatorMetricsAreUnknownWithoutTheMarker() {
        JavaFileObject file = training("@EarlyStop(monitor = \"val_f1\")");
        String message = assertOnlyErrorAt(compile(file, DL4J_METRICS), file, "UnknownMetric", "@EarlyStop",
                "\"val_f1\"");
        assertThat(message).doesNotContain("precision");
    }

    @Test
    void misspelledDl4jMetricSuggestsTheEvaluatorName() {
        JavaFileObject file = training("""
                @org.callbacks4j.dl4j.Dl4jMetrics
                @EarlyStop(monitor = "val_f2")""");
        String message = assertOnlyErrorAt(compile(file, DL4J_METRICS), file, "UnknownMetric", "@EarlyStop",
                "\"val_f2\"");
        assertThat(message).contains("(did you mean \"val_f1\"?)");
        assertThat(message).contains("precision, val_precision, recall, val_recall, f1, val_f1, auc, val_auc");
    }

    @Test
    void unknownMonitorWithNothingClose() {
        JavaFileObject file = training("@ReduceLrOnPlateau(factor = 0.5, monitor = \"perplexity\")");
        String message = assertOnlyErrorAt(compile(file), file, "UnknownMetric", "@ReduceLr", "\"perplexity\"");
        assertThat(message).contains("monitor \"perplexity\" is not a metric this training produces; use one of:"
                + " loss, val_loss, accuracy, val_accuracy, mse, val_mse, mae, val_mae, learning_rate");
    }

    @Test
    void unknownMonitorOfTheSecondOfTwoRepeatedAnnotations() {
        JavaFileObject file = training("""
                @EarlyStop(monitor = "val_loss", patience = 3)
                @EarlyStop(patience = 5, monitor = "val_acc")""");
        String message = assertOnlyErrorAt(compile(file), file, "UnknownMetric", "patience = 5", "\"val_acc\"");
        assertThat(message).contains("(did you mean \"val_accuracy\"?)");
    }

    @Test
    void unknownMonitorOfACheckpointThatSavesTheBest() {
        JavaFileObject file = training(
                "@Checkpoint(path = \"c.zip\", saveBestOnly = true, monitor = \"val_lose\")");
        assertOnlyErrorAt(compile(file), file, "UnknownMetric", "@Checkpoint", "\"val_lose\"");
    }

    @Test
    void misspelledMonitorOfACheckpointThatSavesEveryEpochIsStillAnError() {
        JavaFileObject file = training("@Checkpoint(path = \"c.zip\", monitor = \"acuracy\")");
        String message = assertOnlyErrorAt(compile(file), file, "UnknownMetric", "@Checkpoint", "\"acuracy\"");
        assertThat(message).contains("(did you mean \"accuracy\"?)");
    }

    @Test
    void validationValueOfAMetricComputedFromLogs() {
        JavaFileObject file = training(
                "@EarlyStop(monitor = \"val_gap\")",
                "@Metric(value = \"gap\", direction = Direction.MIN) double gap(Logs logs) { return 0; }");
        String message = assertOnlyErrorAt(compile(file), file, "NoValidationValue", "@EarlyStop", "\"val_gap\"");
        assertThat(message).isEqualTo("[callbacks4j/NoValidationValue] @EarlyStop on Training: monitor \"val_gap\""
                + " does not exist, because @Metric(\"gap\") Training.gap(Logs) is computed from the epoch's values,"
                + " not from predictions, so it has no validation value; use \"gap\", or compute the metric from"
                + " predictions, double gap(INDArray predictions, INDArray labels), which the trainer also computes on"
                + " the validation data");
    }

    @Test
    void validationValueOfTheLearningRate() {
        JavaFileObject file = training(
                "@EarlyStop(monitor = \"val_learning_rate\", mode = Mode.MIN)",
                "@LearningRateSchedule double schedule(double lr) { return lr; }");
        String message =
                assertOnlyErrorAt(compile(file), file, "NoValidationValue", "@EarlyStop", "\"val_learning_rate\"");
        assertThat(message).contains("because the learning rate has no validation value; use \"learning_rate\"");
    }

    @Test
    void learningRateWithoutALearningRatePolicy() {
        JavaFileObject file = training("@EarlyStop(monitor = \"learning_rate\", mode = Mode.MIN)");
        String message =
                assertOnlyErrorAt(compile(file), file, "LearningRateNotLogged", "@EarlyStop", "\"learning_rate\"");
        assertThat(message).contains("is in the logs only when the training class has @ReduceLrOnPlateau or"
                + " @LearningRateSchedule, and this one has neither");
    }

    @Test
    void metricWithoutDirectionMonitoredInAutoMode() {
        JavaFileObject file = training(
                "@EarlyStop(monitor = \"gap\")",
                "@Metric(\"gap\") double gap(Logs logs) { return 0; }");
        String message = assertOnlyErrorAt(compile(file), file, "UnknownDirection", "@EarlyStop", "\"gap\"");
        assertThat(message).isEqualTo("[callbacks4j/UnknownDirection] @EarlyStop on Training: mode = AUTO cannot"
                + " tell whether monitor \"gap\" should go down or up, because @Metric(\"gap\") Training.gap(Logs)"
                + " declares no direction; set mode = Mode.MIN or Mode.MAX, or give the metric one: @Metric(value ="
                + " \"gap\", direction = Direction.MIN or Direction.MAX)");
    }

    @Test
    void explicitAutoModeIsWhereTheDirectionErrorPoints() {
        JavaFileObject file = training(
                "@ReduceLrOnPlateau(monitor = \"learning_rate\", mode = Mode.AUTO)");
        String message = assertOnlyErrorAt(compile(file), file, "UnknownDirection", "@ReduceLr", "Mode.AUTO");
        assertThat(message).contains("because the learning rate has no direction; set mode = Mode.MIN or Mode.MAX");
    }

    @Test
    void checkpointThatSavesTheBestNeedsADirection() {
        JavaFileObject file = training(
                "@Checkpoint(path = \"c.zip\", saveBestOnly = true, monitor = \"gap\")",
                "@Metric(\"gap\") double gap(Logs logs) { return 0; }");
        assertOnlyErrorAt(compile(file), file, "UnknownDirection", "@Checkpoint", "\"gap\"");
    }

    @Test
    void earlyStopOnAMethodWithoutDirection() {
        JavaFileObject file = training("", "@EarlyStop double score(Logs logs) { return 0; }");
        String message = assertOnlyErrorAt(compile(file), file, "UnknownDirection", "double score", "@EarlyStop");
        assertThat(message).isEqualTo("[callbacks4j/UnknownDirection] @EarlyStop on Training.score(Logs): mode ="
                + " AUTO cannot tell whether the value of Training.score(Logs) should go down or up, because the"
                + " method declares no direction; set mode = Mode.MIN or Mode.MAX, or add @Metric(value = \"...\","
                + " direction = Direction.MIN or Direction.MAX) to the method");
    }

    @Test
    void earlyStopOnAMetricMethodWithoutDirection() {
        JavaFileObject file = training("", "@Metric(\"score\") @EarlyStop double score(Logs logs) { return 0; }");
        String message = assertOnlyErrorAt(compile(file), file, "UnknownDirection", "double score", "@EarlyStop");
        assertThat(message).contains("because its @Metric(\"score\") declares no direction; set mode = Mode.MIN or"
                + " Mode.MAX, or give the metric one");
    }

    @Test
    void earlyStopOnAMethodWithAMonitor() {
        JavaFileObject file = training(
                "", "@EarlyStop(monitor = \"val_loss\", mode = Mode.MIN) double score(Logs logs) { return 0; }");
        String message =
                assertOnlyErrorAt(compile(file), file, "MonitorOnEarlyStopMethod", "double score", "\"val_loss\"");
        assertThat(message).isEqualTo("[callbacks4j/MonitorOnEarlyStopMethod] @EarlyStop on method"
                + " Training.score(Logs): monitor = \"val_loss\" cannot be set, because the method's value is what is"
                + " monitored; remove monitor, or move the annotation to the class");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "@Checkpoint(path = \"c-{val_loss}.zip\", saveFreq = 10) | path placeholder {val_loss}",
                "@Checkpoint(path = \"c-{gap}.zip\", saveFreq = 10) | path placeholder {gap}",
                "@Checkpoint(path = \"c.zip\", saveFreq = 10, saveBestOnly = true) | monitor",
                "@Checkpoint(path = \"c.zip\", saveFreq = 10, saveBestOnly = true, monitor = \"f1\") | monitor"
            })
    void batchLevelCheckpointReadsOnlyBatchLogs(String annotation, String what) {
        JavaFileObject file = training(annotation, """
                @Metric(value = "gap", direction = Direction.MIN) double gap(Logs logs) { return 0; }
                @Metric(value = "f1", direction = Direction.MAX)
                double f1(INDArray predictions, INDArray labels) { return 0; }
                """);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/NotInBatchLogs] @Checkpoint on Training: " + what)
                .inFile(file)
                .onLineContaining("@Checkpoint");
        assertThat(compilation).hadErrorContaining("is not in the batch logs, which hold only loss and the compiled"
                + " metrics (accuracy, mse, mae), but saveFreq = 10 saves every 10 batches; use one of those, or save"
                + " at epoch ends with saveFreq = Checkpoint.EPOCH");
        assertThat(compilation).hadErrorCount(1);
    }

    // ---- path templates

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"', // the problems quote with '
            value = {
                "ckpt-{epoch.zip | at index 5: '{' without a closing '}'; write '{{' for a literal brace",
                "ckpt-}.zip | at index 5: single '}'; write '}}' for a literal brace",
                "ckpt-{}.zip | at index 5: {} is a positional field",
                "ckpt-{0}.zip | at index 5: {0} is a positional field",
                "ckpt-{epoch!r}.zip | conversion '!r' in {epoch!r} is not supported",
                "ckpt-{loss:.2d}.zip | format type 'd' at index 13 needs an integer",
                "ckpt-{epoch:.2}.zip | a precision is not allowed with an integer format",
                "ckpt-{loss:,}.zip | grouping option ',' at index 11 is not supported",
                "ckpt-{loss:.f}.zip | '.' at index 11 needs a precision after it",
                "ckpt-{loss:x}.zip | unknown format type 'x' at index 11",
                "ckpt-{loss:{w}}.zip | nested fields are not supported",
                "ckpt-{epoch:999d}.zip | width 999 at index 12 is larger than 100",
                "ckpt-{val-loss}.zip | '-' in {val-loss} cannot be part of a metric name"
            })
    void malformedPathTemplate(String path, String problem) {
        JavaFileObject file = training("@Checkpoint(path = \"%s\")".formatted(path));
        String message =
                assertOnlyErrorAt(compile(file), file, "MalformedPathTemplate", "@Checkpoint", '"' + path + '"');
        assertThat(message).startsWith("[callbacks4j/MalformedPathTemplate] @Checkpoint on Training: path \"" + path
                + "\"");
        assertThat(message).contains(problem);
    }

    @Test
    void unknownPlaceholder() {
        JavaFileObject file = training("@Checkpoint(path = \"ckpt-{epoch:02d}-{val_los:.4f}.zip\")");
        String message = assertOnlyErrorAt(compile(file), file, "UnknownMetric", "@Checkpoint", "\"ckpt");
        assertThat(message).contains("@Checkpoint on Training: path placeholder {val_los:.4f} \"val_los\" is not a"
                + " metric this training produces (did you mean \"val_loss\"?)");
    }

    @Test
    void batchPlaceholderAtEpochLevel() {
        JavaFileObject file = training("@Checkpoint(path = \"ckpt-{epoch}-{batch}.zip\")");
        String message =
                assertOnlyErrorAt(compile(file), file, "BatchPlaceholderAtEpochLevel", "@Checkpoint", "\"ckpt");
        assertThat(message).contains("{batch} in path \"ckpt-{epoch}-{batch}.zip\" has no value when saving at epoch"
                + " ends; remove it, or set saveFreq = N to save every N batches");
    }

    // ---- attribute ranges

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "@EarlyStop(patience = -1) | patience = -1 | -1",
                "@EarlyStop(startFromEpoch = -2) | startFromEpoch = -2 | -2",
                "@EarlyStop(minDelta = -0.1) | minDelta = -0.1 | -0.1",
                "@ReduceLrOnPlateau(patience = -1) | patience = -1 | -1",
                "@ReduceLrOnPlateau(cooldown = -3) | cooldown = -3 | -3",
                "@ReduceLrOnPlateau(minDelta = -1e-4) | minDelta = -1.0E-4 | -1e-4",
                "@ReduceLrOnPlateau(minLr = -1) | minLr = -1.0 | -1",
                "@Checkpoint(path = \"c.zip\", saveFreq = -5) | saveFreq = -5 | -5",
                "@TensorBoard(value = \"tb\", updateFreq = -1) | updateFreq = -1 | -1",
                "@BackupAndRestore(value = \"bak\", saveFreq = -2) | saveFreq = -2 | -2"
            })
    void negativeAttribute(String annotation, String described, String value) {
        JavaFileObject file = training(annotation);
        String message = assertOnlyErrorAt(
                compile(file), file, "NegativeAttribute", annotation.substring(0, 8), value);
        assertThat(message).contains(described + " is negative; ");
    }

    @Test
    void negativeAttributeOfAnEarlyStopOnAMethod() {
        JavaFileObject file =
                training("", "@EarlyStop(mode = Mode.MIN, patience = -4) double score(Logs logs) { return 0; }");
        String message = assertOnlyErrorAt(compile(file), file, "NegativeAttribute", "double score", "-4");
        assertThat(message).startsWith("[callbacks4j/NegativeAttribute] @EarlyStop on Training.score(Logs): patience"
                + " = -4 is negative");
    }

    @Test
    void negativeSaveFreqSaysWhatTheValuesMean() {
        JavaFileObject file = training("@Checkpoint(path = \"c.zip\", saveFreq = -1)");
        String message = assertOnlyErrorAt(compile(file), file, "NegativeAttribute", "@Checkpoint", "-1");
        assertThat(message).endsWith("use Checkpoint.EPOCH to save at every epoch end, or N >= 1 to save every N"
                + " batches");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "@EarlyStop(minDelta = Double.NaN) | minDelta = NaN | Double.NaN",
                "@EarlyStop(baseline = Double.POSITIVE_INFINITY) | baseline = Infinity | Double.POSITIVE_INFINITY",
                "@ReduceLrOnPlateau(minLr = 1.0 / 0) | minLr = Infinity | 1.0 / 0",
                "@ReduceLrOnPlateau(minDelta = Double.NaN) | minDelta = NaN | Double.NaN",
                "@Checkpoint(path = \"c.zip\", saveBestOnly = true, initialValueThreshold = -1 / 0.0)"
                        + " | initialValueThreshold = -Infinity | -1 / 0.0"
            })
    void nonFiniteAttribute(String annotation, String described, String value) {
        JavaFileObject file = training(annotation);
        String message = assertOnlyErrorAt(
                compile(file), file, "NonFiniteAttribute", annotation.substring(0, 8), value);
        assertThat(message).contains(described + " is not a finite number; ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "1.5", "0", "-0.5", "Double.NaN"})
    void factorOutOfRange(String factor) {
        JavaFileObject file = training("@ReduceLrOnPlateau(factor = %s)".formatted(factor));
        String message = assertOnlyErrorAt(compile(file), file, "FactorOutOfRange", "@ReduceLr", factor);
        assertThat(message).contains("is not between 0 and 1 (both excluded)");
    }

    @Test
    void thresholdWithoutSaveBestOnly() {
        JavaFileObject file = training("@Checkpoint(path = \"c.zip\", initialValueThreshold = 0.5)");
        String message = assertOnlyErrorAt(compile(file), file, "InertThreshold", "@Checkpoint", "0.5");
        assertThat(message).isEqualTo("[callbacks4j/InertThreshold] @Checkpoint on Training: initialValueThreshold"
                + " = 0.5 has no effect without saveBestOnly = true; set saveBestOnly = true, or remove"
                + " initialValueThreshold");
    }

    @Test
    void negativeBackupSaveFreqSaysWhatTheValuesMean() {
        JavaFileObject file = training("@BackupAndRestore(value = \"bak\", saveFreq = -1)");
        String message = assertOnlyErrorAt(compile(file), file, "NegativeAttribute", "@BackupAndRestore", "-1");
        assertThat(message).isEqualTo("[callbacks4j/NegativeAttribute] @BackupAndRestore on Training: saveFreq = -1"
                + " is negative; use BackupAndRestore.EPOCH to back up at epoch ends, or N >= 1 to back up every N"
                + " batches");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "@Checkpoint(path = \"\") | the path is empty",
                "@CsvLogger(\"\") | the file path is empty",
                "@TensorBoard(\"\") | the log directory is empty",
                "@BackupAndRestore(\"\") | the backup folder is empty"
            })
    void emptyPath(String annotation, String described) {
        JavaFileObject file = training(annotation);
        String message = assertOnlyErrorAt(compile(file), file, "EmptyPath", annotation.substring(0, 8), "\"\"");
        assertThat(message).contains(described + "; give one, such as ");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "'' | \"\" is empty",
                "';;' | \";;\" is 2 characters long",
                "'\\\"' | \"\\\"\" is the quote character",
                "'\\n' | \"\\n\" is a line break",
                "'\\r' | \"\\r\" is a line break"
            })
    void badSeparator(String separator, String described) {
        JavaFileObject file = training("@CsvLogger(value = \"h.csv\", separator = \"%s\")".formatted(separator));
        String message =
                assertOnlyErrorAt(compile(file), file, "BadSeparator", "@CsvLogger", '"' + separator + '"');
        assertThat(message).contains("separator " + described);
        assertThat(message).endsWith("use one character other than a double quote, CR or LF, such as \",\" or"
                + " \";\" or \"\\t\"");
    }

    // ---- classes

    @Test
    void policyOnBothAClassAndItsSuperclass() {
        JavaFileObject base = source("com.example.Base", """
                package com.example;

                import org.callbacks4j.*;

                @ReduceLrOnPlateau(factor = 0.5)
                public class Base {}
                """);
        JavaFileObject sub = source("com.example.Training", """
                package com.example;

                import org.callbacks4j.*;

                @ReduceLrOnPlateau(factor = 0.2)
                public class Training extends Base {}
                """);
        Compilation compilation = compile(base, sub);
        assertThat(compilation).hadErrorContaining("[callbacks4j/DuplicatePolicy] @ReduceLrOnPlateau on Training:"
                        + " superclass Base declares one too, and a training class has at most one (superclasses"
                        + " included); remove one of them")
                .inFile(sub)
                .onLineContaining("@ReduceLrOnPlateau");
        assertThat(compilation).hadErrorCount(1);
        assertThat(generated).doesNotContain("com.example.Training_Callbacks");
    }

    @Test
    void backupAndRestoreOnBothAClassAndItsSuperclass() {
        JavaFileObject base = source("com.example.Base", """
                package com.example;

                import org.callbacks4j.*;

                @BackupAndRestore("runs/a")
                public class Base {}
                """);
        JavaFileObject sub = source("com.example.Training", """
                package com.example;

                import org.callbacks4j.*;

                @BackupAndRestore("runs/b")
                public class Training extends Base {}
                """);
        Compilation compilation = compile(base, sub);
        assertThat(compilation).hadErrorContaining("[callbacks4j/DuplicatePolicy] @BackupAndRestore on Training:"
                        + " superclass Base declares one too")
                .inFile(sub)
                .onLineContaining("@BackupAndRestore");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void policyOnAnInterface() {
        JavaFileObject file = source("com.example.Training", """
                package com.example;

                import org.callbacks4j.*;

                @TerminateOnNaN
                public interface Training {}
                """);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/PolicyInInterface] @TerminateOnNaN on interface"
                        + " Training: callbacks4j reads policies from classes only; annotate the class that"
                        + " implements it instead")
                .inFile(file)
                .onLineContaining("@TerminateOnNaN");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void policyOnAPrivateClass() {
        JavaFileObject file = training("", """
                @TerminateOnNaN
                private static class Hidden {}
                """);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/UnreachablePolicyClass] @TerminateOnNaN on"
                        + " Training.Hidden cannot be run by generated code in package com.example because class"
                        + " Training.Hidden is private; make Training.Hidden package-private or public")
                .inFile(file)
                .onLineContaining("@TerminateOnNaN");
        assertThat(compilation).hadErrorCount(1);
    }

    // ---- methods

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "@Metric(\"m\") void m() {} | @Metric | void | its value is the metric",
                "@Metric(\"m\") float m() { return 0; } | @Metric | float | its value is the metric",
                "@LearningRateSchedule Double m() { return 0.0; } | @LearningRateSchedule | Double"
                        + " | its value is the learning rate for the epoch",
                "@EarlyStop(mode = Mode.MIN) int m() { return 0; } | @EarlyStop | int"
                        + " | its value is the monitored quantity"
            })
    void policyMethodMustReturnDouble(String method, String annotation, String returned, String why) {
        JavaFileObject file = training("", method);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/PolicyMethodReturnType] " + annotation
                        + " method Training.m() returns " + returned + ", but " + why + "; make it return double")
                .inFile(file)
                .onLineContaining(" m()");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void twoSchedules() {
        JavaFileObject file = training("", """
                @LearningRateSchedule double first(int epoch) { return 0.1; }
                @LearningRateSchedule double second(double lr) { return lr; }
                """);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/DuplicateSchedule] @LearningRateSchedule method"
                        + " Training.second(double): Training.first(int) is one already, and a training class has"
                        + " one schedule (superclasses included); merge them into one method")
                .inFile(file)
                .onLineContaining("double second");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void scheduleInASuperclassAndASubclass() {
        JavaFileObject base = source("com.example.Base", """
                package com.example;

                import org.callbacks4j.*;

                public class Base {
                    @LearningRateSchedule double decay(int epoch, double lr) { return lr * 0.9; }
                }
                """);
        JavaFileObject sub = source("com.example.Training", """
                package com.example;

                import org.callbacks4j.*;

                public class Training extends Base {
                    @LearningRateSchedule double warmup(int epoch) { return 0.1; }
                }
                """);
        Compilation compilation = compile(base, sub);
        assertThat(compilation).hadErrorContaining("[callbacks4j/DuplicateSchedule]")
                .inFile(sub)
                .onLineContaining("double warmup");
        assertThat(compilation).hadErrorCount(1);
    }

    @ParameterizedTest
    @CsvSource({"my metric, my_metric", "1st, m_1st", "'', m_", "f1-score, f1_score"})
    void invalidMetricName(String name, String fixed) {
        JavaFileObject file = training("", "@Metric(\"%s\") double m(Logs logs) { return 0; }".formatted(name));
        String message = assertOnlyErrorAt(compile(file), file, "InvalidMetricName", "double m", '"' + name + '"');
        assertThat(message).isEqualTo("[callbacks4j/InvalidMetricName] @Metric(\"" + name + "\") on Training.m(Logs):"
                + " a metric name is letters, digits and _, not starting with a digit, so that checkpoint paths can"
                + " name it; rename it, for example \"" + fixed + "\"");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "loss | loss is the training loss",
                "accuracy | accuracy is a compiled metric of the trainer",
                "mae | mae is a compiled metric of the trainer",
                "val_gap | names starting with val_ are the validation values of other metrics",
                "learning_rate | the learning-rate policies write learning_rate",
                "epoch | {epoch} in a checkpoint path is the epoch number",
                "batch | {batch} in a checkpoint path is the batch number"
            })
    void reservedMetricName(String name, String why) {
        JavaFileObject file = training("", "@Metric(\"%s\") double m(Logs logs) { return 0; }".formatted(name));
        String message = assertOnlyErrorAt(compile(file), file, "ReservedMetricName", "double m", '"' + name + '"');
        assertThat(message).isEqualTo("[callbacks4j/ReservedMetricName] @Metric(\"" + name + "\") on"
                + " Training.m(Logs): " + why + "; choose another name");
    }

    @Test
    void twoMetricsWithOneName() {
        JavaFileObject file = training("", """
                @Metric("gap") double gap(Logs logs) { return 0; }
                @Metric("gap") double other(
                        INDArray predictions, INDArray labels) { return 0; }
                """);
        String message = assertOnlyErrorAt(compile(file), file, "DuplicateMetricName", "double other", "\"gap\"");
        assertThat(message).isEqualTo("[callbacks4j/DuplicateMetricName] @Metric(\"gap\") on"
                + " Training.other(INDArray, INDArray): Training.gap(Logs) already computes a metric of that name,"
                + " and log names are unique; rename one of them");
    }

    @Test
    void metricNamedLikeOneOfItsSuperclass() {
        JavaFileObject base = source("com.example.Base", """
                package com.example;

                import org.callbacks4j.*;

                public class Base {
                    @Metric("gap") double gap(Logs logs) { return 0; }
                }
                """);
        JavaFileObject sub = source("com.example.Training", """
                package com.example;

                import org.callbacks4j.*;

                public class Training extends Base {
                    @Metric("gap") double gap2(Logs logs) { return 1; }
                }
                """);
        Compilation compilation = compile(base, sub);
        assertThat(compilation).hadErrorContaining("[callbacks4j/DuplicateMetricName] @Metric(\"gap\") on"
                        + " Training.gap2(Logs): Base.gap(Logs) already computes")
                .inFile(sub)
                .onLineContaining("double gap2");
        assertThat(compilation).hadErrorCount(1);
    }

    // ---- parameters of policy methods (and lr, predictions, labels anywhere)

    @ParameterizedTest
    @ValueSource(strings = {"@OnEpochBegin void", "@OnEpochEnd void", "@Metric(\"m\") double", "@EarlyStop double"})
    void learningRateOutsideASchedule(String method) {
        JavaFileObject file = training("", "%s m(\n        double lr) { %s }"
                .formatted(method, method.endsWith("double") ? "return 0;" : ""));
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/LearningRateParameter] parameter 'double lr' of"
                        + " Training.m(double) has no value on @")
                .inFile(file)
                .onLineContaining("double lr");
        assertThat(compilation).hadErrorContaining(
                "only a @LearningRateSchedule method receives the current rate; remove it and read"
                        + " TrainingContext.learningRate() instead");
        assertThat(compilation).hadErrorCount(1);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "@LearningRateSchedule double m(int epoch, double rate) | double rate | a double | 'lr'",
                "@Metric(\"m\") double m(INDArray preds, INDArray labels) | INDArray preds | an INDArray"
                        + " | 'predictions' or 'labels'"
            })
    void misnamedParameter(String method, String parameter, String type, String names) {
        JavaFileObject file = training("", method.replace(parameter, "\n        " + parameter) + " { return 0; }");
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/MisnamedParameter] parameter '" + parameter + "' of"
                        + " Training.m(")
                .inFile(file)
                .onLineContaining(parameter);
        assertThat(compilation).hadErrorContaining(type + " parameter is identified by its name; name it " + names);
        assertThat(compilation).hadErrorCount(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"@OnEpochEnd void", "@OnBatchEnd void", "@LearningRateSchedule double"})
    void predictionsOutsideAMetric(String method) {
        JavaFileObject file = training("", "%s m(\n        INDArray predictions) { %s }"
                .formatted(method, method.endsWith("double") ? "return 0;" : ""));
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/PredictionsParameter] parameter 'INDArray"
                        + " predictions' of Training.m(INDArray) has no value on @")
                .inFile(file)
                .onLineContaining("INDArray predictions");
        assertThat(compilation).hadErrorCount(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Logs logs", "int epoch", "TrainingContext context", "Sequential model"})
    void predictionMetricTakesNothingElse(String other) {
        JavaFileObject file = training(
                "", "@Metric(\"m\") double m(INDArray predictions,\n        %s) { return 0; }".formatted(other));
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/MixedMetricParameters] parameter '" + other + "' of"
                        + " Training.m(")
                .inFile(file)
                .onLineContaining(other);
        assertThat(compilation).hadErrorContaining("compute the metric either from INDArray predictions and INDArray"
                + " labels only, or from the epoch's values (int epoch, Logs, TrainingContext, Sequential)");
        assertThat(compilation).hadErrorCount(1);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "@Metric(\"m\") private double m() { return 0; } | PrivateHook"
                        + " | @Metric method Training.m() is private",
                "@LearningRateSchedule static double m() { return 0; } | StaticHook"
                        + " | @LearningRateSchedule method Training.m() is static",
                "@Metric(\"m\") <T> double m() { return 0; } | GenericHook | @Metric method Training.m() declares"
                        + " type parameters <T>"
            })
    void policyMethodsGetTheHookModifierChecks(String method, String id, String text) {
        JavaFileObject file = training("", method);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/" + id + "] " + text)
                .inFile(file)
                .onLineContaining("m()");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void abstractPolicyMethod() {
        JavaFileObject file = source("com.example.Training", """
                package com.example;

                import org.callbacks4j.*;

                public abstract class Training {
                    @Metric("m") abstract double m();
                }
                """);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/AbstractHook] @Metric method Training.m() is"
                        + " abstract")
                .inFile(file)
                .onLineContaining("abstract double m");
        assertThat(compilation).hadErrorCount(1);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "@LearningRateSchedule double m(Logs logs) | Logs logs | LogsOnBeginHook"
                        + " | has no values on @LearningRateSchedule",
                "@Metric(\"m\") double m(int batch) | int batch | BatchParameterOnNonBatchHook"
                        + " | has no value on @Metric",
                "@EarlyStop(mode = Mode.MAX) double m(long step) | long step | UnknownParameter"
                        + " | cannot be injected into @EarlyStop; declare any subset of: int epoch, Logs,"
                        + " TrainingContext, Sequential",
                "@LearningRateSchedule double m(int step) | int step | AmbiguousIntParameter | name it 'epoch' or"
                        + " 'batch'"
            })
    void policyMethodParametersGetTheHookParameterChecks(String method, String parameter, String id, String text) {
        JavaFileObject file = training("", method.replace(parameter, "\n        " + parameter) + " { return 0; }");
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/" + id + "] ")
                .inFile(file)
                .onLineContaining(parameter);
        assertThat(compilation).hadErrorContaining(text);
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void everyPolicyErrorInAClassIsReported() {
        JavaFileObject file = training("""
                @EarlyStop(monitor = "val_los", patience = -1)
                @ReduceLrOnPlateau(factor = 2)""", """
                @Metric("loss") double m(Logs logs) { return 0; }
                """);
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorContaining("[callbacks4j/UnknownMetric]").inFile(file).onLineContaining(
                "@EarlyStop");
        assertThat(compilation).hadErrorContaining("[callbacks4j/NegativeAttribute]").inFile(file).onLineContaining(
                "@EarlyStop");
        assertThat(compilation).hadErrorContaining("[callbacks4j/FactorOutOfRange]").inFile(file).onLineContaining(
                "@ReduceLr");
        assertThat(compilation).hadErrorContaining("[callbacks4j/ReservedMetricName]").inFile(file).onLineContaining(
                "double m");
        assertThat(compilation).hadErrorCount(4);
        assertThat(generated).isEmpty();
    }
}
