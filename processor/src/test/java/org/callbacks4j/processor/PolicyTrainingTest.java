package org.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.callbacks4j.processor.Compilations.compile;
import static org.callbacks4j.processor.Compilations.source;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Policy annotations end to end: classes compiled with the processor, trained with the real trainer through their
 * generated dispatchers. The Keras rules themselves are tested table by table in the runtime; here the question is
 * whether each attribute reaches its policy and whether the generated code calls the policies in the right order, so
 * the expectations come from small models of the Keras rules (keras-callbacks.md §3.3, §4.3, §6.2) applied to the
 * values the fit logged, and a monitored metric with a scripted series ({@code Scored.SCORES}) makes each attribute
 * change the outcome.
 */
class PolicyTrainingTest {

    private static final int EPOCHS = 12;
    private static final double INITIAL_RATE = 1e-2;

    /** A scripted monitor: improves, plateaus, improves late at epoch 7. */
    private static final double[] SCORES = {1.0, 0.8, 0.79, 0.9, 0.78, 0.85, 0.95, 0.6, 0.99, 0.99, 0.99, 0.99};

    private static final String SCORED = """
            package com.example;

            import java.util.ArrayList;
import java.util.Arrays;
            import java.util.List;
            import java.util.function.Supplier;
            import org.callbacks4j.*;
            import org.callbacks4j.model.Sequential;
            import org.nd4j.linalg.api.ndarray.INDArray;

            /** Logs a scripted "score" and keeps the parameters of every epoch. */
            public abstract class Scored implements Supplier<List<INDArray>> {
                static final double[] SCORES = {%s};
                final List<INDArray> params = new ArrayList<>();

                @Override
                public List<INDArray> get() {
                    return params;
                }

                @Metric(value = "score", direction = Direction.MIN)
                double score(int epoch) {
                    return SCORES[epoch];
                }

                @OnEpochEnd
                void keep(Sequential model) {
                    params.add(model.params().dup());
                }
            }
            """.formatted(String.join(", ", Arrays.stream(SCORES).mapToObj(Double::toString).toList()));

    /** Class-level @EarlyStop variants on "score", by the attributes they set. */
    private static final List<String> EARLY_STOPS = List.of(
            "patience = 0",
            "patience = 2",
            "patience = 5",
            "patience = 2, minDelta = 0.05",
            "patience = 5, baseline = 0.7",
            "patience = 1, startFromEpoch = 5",
            "patience = 1, mode = Mode.MAX",
            "patience = 3, restoreBestWeights = true");

    /** @ReduceLrOnPlateau variants on "score". */
    private static final List<String> REDUCE_LRS = List.of(
            "factor = 0.5, patience = 1",
            "factor = 0.5, patience = 2, cooldown = 2",
            "factor = 0.1, patience = 1, minLr = 1e-4",
            "factor = 0.5, patience = 1, minDelta = 0.05",
            "factor = 0.5, patience = 1, cooldown = 3");

    private static CompiledClasses classes;

    @BeforeAll
    static void compileAll() {
        List<JavaFileObject> sources = new ArrayList<>();
        sources.add(source("com.example.Scored", SCORED));
        for (int i = 0; i < EARLY_STOPS.size(); i++) {
            sources.add(scoredSubclass("EarlyStop" + i, "@EarlyStop(monitor = \"score\", " + EARLY_STOPS.get(i) + ")"));
        }
        for (int i = 0; i < REDUCE_LRS.size(); i++) {
            sources.add(scoredSubclass(
                    "ReduceLr" + i, "@ReduceLrOnPlateau(monitor = \"score\", " + REDUCE_LRS.get(i) + ")"));
        }
        sources.add(source("com.example.MethodStop", """
                package com.example;

                import org.callbacks4j.*;

                public class MethodStop extends Scored {
                    @EarlyStop(mode = Mode.MIN, patience = 2)
                    double watched(int epoch) {
                        return SCORES[epoch];
                    }
                }
                """));
        sources.add(source("com.example.Scheduled", """
                package com.example;

                import java.util.ArrayList;
import java.util.Arrays;
                import java.util.List;
                import java.util.function.Supplier;
                import org.callbacks4j.*;

                public class Scheduled implements Supplier<List<String>> {
                    final List<String> calls = new ArrayList<>();

                    @Override
                    public List<String> get() {
                        return calls;
                    }

                    @LearningRateSchedule
                    double schedule(int epoch, double lr) {
                        calls.add("schedule " + epoch + " lr=" + lr);
                        return epoch == 0 ? 0.1 : lr * 0.5;
                    }

                    @OnEpochBegin
                    void begin(int epoch, TrainingContext context) {
                        calls.add("begin " + epoch + " lr=" + context.learningRate());
                    }
                }
                """));
        sources.add(source("com.example.NanGuard", """
                package com.example;

                import org.callbacks4j.*;

                @TerminateOnNaN
                public class NanGuard {}
                """));
        sources.add(source("com.example.NoGuard", """
                package com.example;

                import org.callbacks4j.*;

                public class NoGuard {
                    @OnEpochEnd
                    void nothing() {}
                }
                """));
        sources.add(source("com.example.NeedsValidation", """
                package com.example;

                import java.util.ArrayList;
import java.util.Arrays;
                import java.util.List;
                import java.util.function.Supplier;
                import org.callbacks4j.*;

                @EarlyStop(patience = 2)
                public class NeedsValidation implements Supplier<List<String>> {
                    final List<String> calls = new ArrayList<>();

                    @Override
                    public List<String> get() {
                        return calls;
                    }

                    @OnTrainBegin
                    void begin() {
                        calls.add("trainBegin");
                    }
                }
                """));
        sources.add(source("com.example.MeanPrediction", """
                package com.example;

                import org.callbacks4j.*;
                import org.nd4j.linalg.api.ndarray.INDArray;

                @EarlyStop(monitor = "val_mean_prediction", patience = 100)
                public class MeanPrediction {
                    // Labels first: the processor passes them by name, not by position.
                    @Metric(value = "mean_prediction", direction = Direction.MAX)
                    double mean(INDArray labels, INDArray predictions) {
                        return predictions.getColumn(0).meanNumber().doubleValue();
                    }
                }
                """));
        Compilation compilation = compile(sources.toArray(new JavaFileObject[0]));
        assertThat(compilation).succeededWithoutWarnings();
        classes = new CompiledClasses(compilation);
    }

    private static JavaFileObject scoredSubclass(String name, String annotation) {
        return source("com.example." + name, """
                package com.example;

                import org.callbacks4j.*;

                %s
                public class %s extends Scored {}
                """.formatted(annotation, name));
    }

    // ---- @EarlyStop

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
    void earlyStopAttributesChangeTheStopAsTheKerasRulesSay(int variant) {
        String attributes = EARLY_STOPS.get(variant);
        Stop expected = Stop.keras(SCORES, attributes);
        Object training = classes.instantiate("com.example.EarlyStop" + variant);

        History history = train(training, Fit.epochs(EPOCHS).batchSize(4).verbose(0));

        History.EarlyStoppingOutcome outcome = history.earlyStopping().get(0);
        assertThat(outcome.monitor()).isEqualTo("score");
        assertThat(outcome.bestEpoch()).isEqualTo(expected.bestEpoch());
        assertThat(outcome.bestValue()).isEqualTo(SCORES[expected.bestEpoch()]);
        assertThat(outcome.stopped()).isEqualTo(expected.stoppedEpoch() >= 0);
        assertThat(outcome.stoppedEpoch()).isEqualTo(expected.stoppedEpoch());
        int last = expected.stoppedEpoch() >= 0 ? expected.stoppedEpoch() : EPOCHS - 1;
        assertThat(history.epochs()).hasSize(last + 1);
        assertThat(history.get("score")).containsExactlyElementsIn(
                Arrays.stream(SCORES).limit(last + 1).boxed().toList()).inOrder();
    }

    @Test
    void everyVariantStopsDifferently() {
        // Otherwise an attribute that does not reach its policy could go unnoticed.
        List<Stop> stops = EARLY_STOPS.stream().map(a -> Stop.keras(SCORES, a)).toList();
        assertThat(stops).containsNoDuplicates();
    }

    @Test
    void restoreBestWeightsLeavesTheModelAsItWasAtTheBestEpoch() {
        int variant = EARLY_STOPS.indexOf("patience = 3, restoreBestWeights = true");
        Object training = classes.instantiate("com.example.EarlyStop" + variant);
        Sequential model = model();

        History history = train(training, model, Fit.epochs(EPOCHS).batchSize(4).verbose(0));

        History.EarlyStoppingOutcome outcome = history.earlyStopping().get(0);
        assertThat(outcome.weightsRestored()).isTrue();
        List<INDArray> params = params(training);
        assertThat(outcome.bestEpoch()).isLessThan(params.size() - 1);
        assertThat(model.params().toFloatVector()).isEqualTo(params.get(outcome.bestEpoch()).toFloatVector());
        assertThat(model.params().toFloatVector()).isNotEqualTo(params.get(params.size() - 1).toFloatVector());
    }

    @Test
    void earlyStopOnAMethodMonitorsItsValue() {
        Object training = classes.instantiate("com.example.MethodStop");
        Stop expected = Stop.keras(SCORES, "patience = 2");

        History history = train(training, Fit.epochs(EPOCHS).batchSize(4).verbose(0));

        History.EarlyStoppingOutcome outcome = history.earlyStopping().get(0);
        assertThat(outcome.monitor()).contains("MethodStop.watched(int)");
        assertThat(outcome.stoppedEpoch()).isEqualTo(expected.stoppedEpoch());
        assertThat(outcome.bestEpoch()).isEqualTo(expected.bestEpoch());
        assertThat(history.stoppedBy().orElseThrow()).contains("MethodStop.watched(int)");
    }

    @Test
    void validationMonitorWithoutValidationDataRejectsTheFitBeforeTheFirstEpoch() {
        Object training = classes.instantiate("com.example.NeedsValidation");
        Sequential model = model();
        INDArray before = model.params().dup();

        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> train(training, model, Fit.epochs(3).verbose(0)));

        assertThat(e).hasMessageThat().contains("monitor \"val_loss\" needs validation data");
        assertThat(calls(training)).isEmpty();
        assertThat(model.params().toFloatVector()).isEqualTo(before.toFloatVector());
    }

    // ---- learning rate

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void reduceLrOnPlateauAttributesShapeTheLoggedRates(int variant) {
        Object training = classes.instantiate("com.example.ReduceLr" + variant);

        History history = train(training, Fit.epochs(EPOCHS).batchSize(4).verbose(0));

        assertThat(history.get("learning_rate"))
                .containsExactlyElementsIn(Rates.keras(SCORES, REDUCE_LRS.get(variant)))
                .inOrder();
    }

    @Test
    void everyReduceLrVariantGivesOtherRates() {
        assertThat(REDUCE_LRS.stream().map(a -> Rates.keras(SCORES, a)).toList()).containsNoDuplicates();
    }

    @Test
    void scheduleSetsTheRateBeforeTheEpochsFirstBatchAndHooks() {
        Object training = classes.instantiate("com.example.Scheduled");

        History history = train(training, Fit.epochs(4).batchSize(4).verbose(0));

        List<String> expected = new ArrayList<>();
        List<Double> logged = new ArrayList<>();
        double lr = (float) INITIAL_RATE; // the optimizer's rate is float32, as Keras's
        for (int epoch = 0; epoch < 4; epoch++) {
            expected.add("schedule " + epoch + " lr=" + lr);
            lr = (float) (epoch == 0 ? 0.1 : lr * 0.5);
            expected.add("begin " + epoch + " lr=" + lr);
            logged.add(lr);
        }
        assertThat(calls(training)).containsExactlyElementsIn(expected).inOrder();
        assertThat(history.get("learning_rate")).containsExactlyElementsIn(logged).inOrder();
    }

    // ---- TerminateOnNaN

    @Test
    void terminateOnNaNStopsInTheEpochWhoseLossIsNaN() {
        Dataset poisoned = data(true);

        History guarded =
                train(classes.instantiate("com.example.NanGuard"), model(), poisoned, Fit.epochs(3).verbose(0));
        History unguarded =
                train(classes.instantiate("com.example.NoGuard"), model(), poisoned, Fit.epochs(3).verbose(0));

        assertThat(guarded.epochs()).containsExactly(0);
        assertThat(guarded.stoppedBy()).hasValue("TerminateOnNaN");
        assertThat(guarded.get("loss").get(0)).isNaN();
        assertThat(unguarded.epochs()).containsExactly(0, 1, 2).inOrder();
    }

    // ---- @Metric from predictions

    @Test
    void predictionMetricIsComputedOnTrainingAndValidationDataAndMonitorable() {
        Dataset train = data(false);
        Dataset validation = data(false).rows(0, 8);
        Sequential model = model();

        History history = train(
                classes.instantiate("com.example.MeanPrediction"),
                model,
                train,
                Fit.epochs(3).batchSize(4).validationData(validation).verbose(0));

        assertThat(history.get("mean_prediction")).hasSize(3);
        assertThat(history.last("val_mean_prediction"))
                .isWithin(1e-6)
                .of(model.predict(validation.features()).getColumn(0).meanNumber().doubleValue());
        assertThat(history.last("mean_prediction"))
                .isWithin(1e-6)
                .of(model.predict(train.features()).getColumn(0).meanNumber().doubleValue());
        // Not the labels' mean, which the arguments swapped by position would give.
        assertThat(history.last("mean_prediction")).isNotWithin(1e-3).of(0.5);
        assertThat(history.earlyStopping().get(0).monitor()).isEqualTo("val_mean_prediction");
        // AUTO took the metric's direction (MAX): the best epoch holds the largest value.
        List<Double> values = history.get("val_mean_prediction");
        assertThat(history.earlyStopping().get(0).bestValue()).isEqualTo(values.stream()
                .reduce(Double.NEGATIVE_INFINITY, (a, b) -> (float) b.doubleValue() > (float) a.doubleValue() ? b : a));
    }

    // ---- @Checkpoint, @CsvLogger, @TensorBoard

    @Test
    void checkpointNamesComeFromTheTemplateAndLoggersWriteAfterTheHooks(@TempDir Path dir) throws IOException {
        String every = dir.resolve("every").resolve("ckpt-{epoch:02d}-{val_loss:.4f}.zip").toString();
        String best = dir.resolve("best").resolve("ckpt-{epoch:02d}-{val_loss:.4f}.zip").toString();
        JavaFileObject file = source("com.example.Saved", """
                package com.example;

                import org.callbacks4j.*;

                @Checkpoint(path = "%s")
                @Checkpoint(path = "%s", saveBestOnly = true, saveWeightsOnly = true)
                @CsvLogger("%s")
                @TensorBoard(value = "%s", updateFreq = 2)
                public class Saved {
                    @Metric(value = "epoch_squared", direction = Direction.MIN)
                    double square(int epoch) {
                        return epoch * epoch;
                    }
                }
                """.formatted(
                        java(every),
                        java(best),
                        java(dir.resolve("history.csv").toString()),
                        java(dir.resolve("tb").toString())));
        Compilation compilation = compile(file);
        assertThat(compilation).succeededWithoutWarnings();

        History history = train(
                new CompiledClasses(compilation).instantiate("com.example.Saved"),
                model(),
                data(false),
                Fit.epochs(4).batchSize(4).validationSplit(0.25).verbose(0));

        List<Double> valLoss = history.get("val_loss");
        List<String> everyName = new ArrayList<>();
        List<String> bestName = new ArrayList<>();
        Double bestSoFar = null;
        for (int epoch = 0; epoch < valLoss.size(); epoch++) {
            double v = valLoss.get(epoch);
            String name = String.format("ckpt-%02d-%s.zip", epoch + 1, fourDecimals(v));
            everyName.add(name);
            if (bestSoFar == null || (float) v < (float) (double) bestSoFar) {
                bestSoFar = v;
                bestName.add(name);
            }
        }
        assertThat(fileNames(dir.resolve("every"))).containsExactlyElementsIn(everyName);
        assertThat(fileNames(dir.resolve("best"))).containsExactlyElementsIn(bestName);
        List<String> csv = Files.readAllLines(dir.resolve("history.csv"));
        assertThat(csv.get(0)).isEqualTo("epoch,accuracy,epoch_squared,loss,val_accuracy,val_loss");
        assertThat(csv).hasSize(1 + history.epochs().size());
        assertThat(csv.get(4)).startsWith("3,");
        assertThat(csv.get(4)).contains(",9.0,");
        assertThat(fileNames(dir.resolve("tb/train"))).isNotEmpty();
        assertThat(fileNames(dir.resolve("tb/validation"))).isNotEmpty();
    }

    // ---- models of the Keras rules the policies implement

    /** Keras's improvement test (§2.3, §13.1), in float32. */
    private static boolean improves(double current, Double reference, double minDelta, boolean maximize) {
        if (reference == null) {
            return true;
        }
        return maximize
                ? (float) (current - minDelta) > (float) (double) reference
                : (float) (current + minDelta) < (float) (double) reference;
    }

    /** Where EarlyStopping (§3.3) stops on a series, and its best epoch; -1 when it does not stop. */
    private record Stop(int stoppedEpoch, int bestEpoch) {

        static Stop keras(double[] series, String attributes) {
            int patience = (int) attribute(attributes, "patience", 0);
            double minDelta = attribute(attributes, "minDelta", 0);
            double baseline = attribute(attributes, "baseline", Double.NaN);
            int startFromEpoch = (int) attribute(attributes, "startFromEpoch", 0);
            boolean maximize = attributes.contains("Mode.MAX");
            Double best = null;
            int bestEpoch = -1;
            int wait = 0;
            for (int epoch = 0; epoch < series.length; epoch++) {
                if (epoch < startFromEpoch) {
                    continue;
                }
                wait++;
                if (improves(series[epoch], best, minDelta, maximize)) {
                    best = series[epoch];
                    bestEpoch = epoch;
                    if (Double.isNaN(baseline) || improves(series[epoch], baseline, minDelta, maximize)) {
                        wait = 0;
                    }
                    continue;
                }
                if (wait >= patience && epoch > 0) {
                    return new Stop(epoch, bestEpoch);
                }
            }
            return new Stop(-1, bestEpoch);
        }
    }

    /** The learning rates ReduceLROnPlateau (§4.3) logs on a series, starting from {@link #INITIAL_RATE}. */
    private static final class Rates {

        static List<Double> keras(double[] series, String attributes) {
            double factor = attribute(attributes, "factor", 0.1);
            int patience = (int) attribute(attributes, "patience", 10);
            int cooldown = (int) attribute(attributes, "cooldown", 0);
            double minDelta = attribute(attributes, "minDelta", 1e-4);
            double minLr = attribute(attributes, "minLr", 0);
            float rate = (float) INITIAL_RATE;
            Double best = null;
            int wait = 0;
            int cooldownCounter = 0;
            List<Double> logged = new ArrayList<>();
            for (double current : series) {
                logged.add((double) rate);
                if (cooldownCounter > 0) {
                    cooldownCounter--;
                    wait = 0;
                }
                if (improves(current, best, minDelta, false)) {
                    best = current;
                    wait = 0;
                } else if (cooldownCounter <= 0) {
                    wait++;
                    if (wait >= patience && rate > (float) minLr) {
                        rate = (float) Math.max((double) rate * factor, minLr);
                        cooldownCounter = cooldown;
                        wait = 0;
                    }
                }
            }
            return logged;
        }
    }

    /** The value of {@code name = value} in an attribute list, or {@code otherwise}. */
    private static double attribute(String attributes, String name, double otherwise) {
        for (String part : attributes.split(",")) {
            String[] pair = part.trim().split(" = ");
            if (pair[0].equals(name)) {
                return Double.parseDouble(pair[1]);
            }
        }
        return otherwise;
    }

    // ---- plumbing

    private static Sequential model() {
        return Sequential.input(4).dense(8, Activation.RELU).dense(2, Activation.SOFTMAX).seed(1).build();
    }

    /**
     * 16 rows, two classes; with {@code poisoned}, two rows hold the largest floats: finite (fit refuses NaN data), but
     * they overflow the forward pass and make the loss NaN.
     */
    private static Dataset data(boolean poisoned) {
        Random random = new Random(1);
        float[][] x = new float[16][4];
        int[] classes = new int[16];
        for (int i = 0; i < x.length; i++) {
            classes[i] = i % 2;
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) random.nextGaussian() + classes[i];
            }
        }
        if (poisoned) {
            java.util.Arrays.fill(x[5], Float.MAX_VALUE);
            java.util.Arrays.fill(x[6], -Float.MAX_VALUE);
        }
        return Dataset.classification(x, classes, 2);
    }

    private static History train(Object callbacks, Fit fit) {
        return train(callbacks, model(), data(false), fit);
    }

    private static History train(Object callbacks, Sequential model, Fit fit) {
        return train(callbacks, model, data(false), fit);
    }

    private static History train(Object callbacks, Sequential model, Dataset data, Fit fit) {
        return Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY)
                .optimizer(Adam.lr(INITIAL_RATE))
                .metrics("accuracy")
                .build()
                .fit(model, data, fit, callbacks);
    }

    @SuppressWarnings("unchecked")
    private static List<INDArray> params(Object training) {
        return ((Supplier<List<INDArray>>) training).get();
    }

    @SuppressWarnings("unchecked")
    private static List<String> calls(Object training) {
        return ((Supplier<List<String>>) training).get();
    }

    /** Python's {@code format(v, '.4f')}: the exact binary value rounded half-even. */
    private static String fourDecimals(double v) {
        return new BigDecimal(v).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** {@code text} as the inside of a Java string literal. */
    private static String java(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
