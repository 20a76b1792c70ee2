package org.callbacks4j.internal.policy;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ReduceLROnPlateau against the rules of Keras 3.15 (reference sections 4.3-4.5, 13.1-13.2); expectations worked out
 * by hand from those rules.
 */
class ReduceLROnPlateauTest {

    private static final String MONITOR = "val_loss";

    private record Run(List<Integer> reductionEpochs, double finalLearningRate, int waitAtEnd, int cooldownAtEnd,
            List<Double> loggedLearningRates, RecordingLog log) {}

    /**
     * Feeds {@code values} (space-separated; {@code -} = no value this epoch, {@code nan}) as the monitor of epochs
     * 0, 1, ...; records the epochs where the learning rate went down and the learning_rate written each epoch.
     */
    private static Run fit(ReduceLROnPlateau policy, RecordingLog log, double learningRate, String values) {
        FakeLogs logs = new FakeLogs("loss", MONITOR);
        FakeContext context = new FakeContext(learningRate);
        policy.prepare(new FakePlan(logs, context, true));
        policy.onTrainBegin(context);
        List<Integer> reductions = new ArrayList<>();
        List<Double> logged = new ArrayList<>();
        String[] tokens = values.trim().split("\\s+");
        for (int epoch = 0; epoch < tokens.length; epoch++) {
            logs.clear().put("loss", 1.0);
            if (!tokens[epoch].equals("-")) {
                logs.put(MONITOR, tokens[epoch].equals("nan") ? Double.NaN : Double.parseDouble(tokens[epoch]));
            }
            double before = context.learningRate();
            policy.onEpochEnd(epoch, logs, context);
            logged.add(logs.get(ReduceLROnPlateau.LEARNING_RATE));
            if (context.learningRate() < before) {
                reductions.add(epoch);
            }
        }
        return new Run(reductions, context.learningRate(), policy.waitCount(), policy.cooldownCounter(), logged,
                log);
    }

    private static Run fit(boolean maximize, double factor, int patience, double minDelta, int cooldown,
            double minLr, double learningRate, String values) {
        RecordingLog log = new RecordingLog();
        ReduceLROnPlateau policy =
                new ReduceLROnPlateau(MONITOR, maximize, factor, patience, minDelta, cooldown, minLr, 1, log);
        return fit(policy, log, learningRate, values);
    }

    private static List<Integer> epochs(String list) {
        return list.isBlank()
                ? List.of()
                : Arrays.stream(list.trim().split("\\s+")).map(Integer::valueOf).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // case                                 |max  |pat|minDelta|cool| values                 | reduced at | final LR             | wait
        "patience 1 reduces every flat epoch    |false| 1 | 0      | 0  | 1 1 1 1                | 1 2 3      | 0.125                | 0",
        "patience 0 behaves as patience 1       |false| 0 | 0      | 0  | 1 1 1 1                | 1 2 3      | 0.125                | 0",
        "patience 2                             |false| 2 | 0      | 0  | 1 1 1 1 1              | 2 4        | 0.25                 | 0",
        "cooldown 1 behaves as cooldown 0       |false| 1 | 0      | 1  | 1 1 1 1                | 1 2 3      | 0.125                | 0",
        "cooldown 2: every 2nd epoch            |false| 1 | 0      | 2  | 1 1 1 1 1 1            | 1 3 5      | 0.125                | 0",
        "cooldown 2, patience 2                 |false| 2 | 0      | 2  | 1 1 1 1 1 1 1          | 2 5        | 0.25                 | 0",
        "epoch cooldown ends in already counts   |false| 2 | 0      | 2  | 1 1 1 1 1 1 1 1        | 2 5        | 0.25                 | 1",
        "cooldown 3, then counting resumes      |false| 1 | 0      | 3  | 1 1 1 1 1 1            | 1 4        | 0.25                 | 0",
        "improvement in cooldown updates best   |false| 1 | 0      | 2  | 1.0 1.0 0.5 0.6 0.7    | 1 3        | 0.25                 | 0",
        "improvement resets wait                |false| 2 | 0      | 0  | 1.0 1.1 0.9 1.0 0.95   | 4          | 0.5                  | 0",
        "NaN first: nothing beats it            |false| 1 | 0      | 0  | nan 1 1                | 1 2        | 0.25                 | 0",
        "NaN later never improves               |false| 2 | 0      | 0  | 1 nan 0.5 nan nan      | 4          | 0.5                  | 0",
        "absent epochs count nothing            |false| 2 | 0      | 0  | - 1 - 1 - 1            | 5          | 0.5                  | 0",
        "absent epochs do not end a cooldown    |false| 1 | 0      | 2  | 1 1 - - 1 1            | 1 5        | 0.25                 | 0",
        "minDelta 1e-4 (Keras default)          |false| 1 | 1e-4   | 0  | 1.0 0.99995 0.9998     | 1          | 0.5                  | 0",
        "ties in max mode                       |true | 1 | 0      | 0  | 0.5 0.6 0.6            | 2          | 0.5                  | 0",
    })
    void followsKerasCounting(String name, boolean maximize, int patience, double minDelta, int cooldown,
            String values, String reducedAt, double finalLearningRate, int wait) {
        Run run = fit(maximize, 0.5, patience, minDelta, cooldown, 0.0, 1.0, values);

        assertThat(run.reductionEpochs()).isEqualTo(epochs(reducedAt));
        assertThat(run.finalLearningRate()).isEqualTo(finalLearningRate);
        assertThat(run.waitAtEnd()).isEqualTo(wait);
    }

    @Test
    void clampsToMinLrThenStopsReducingAndResetsNothing() {
        Run run = fit(false, 0.1, 1, 0, 0, 0.05, 1.0, "1 1 1 1 1 1");

        // 1.0 -> 0.1f -> max(0.1f * 0.1, 0.05) = 0.05 -> stored as 0.05f; then 0.05f > 0.05f is false.
        assertThat(run.reductionEpochs()).containsExactly(1, 2).inOrder();
        assertThat(run.finalLearningRate()).isEqualTo((double) 0.05f);
        assertThat(run.finalLearningRate()).isEqualTo(0.05000000074505806);
        // epochs 3, 4, 5 find no room to reduce, so nothing resets wait
        assertThat(run.waitAtEnd()).isEqualTo(3);
        assertThat(run.cooldownAtEnd()).isEqualTo(0);
    }

    @Test
    void atMinLrWaitKeepsGrowingWithoutCooldown() {
        Run run = fit(false, 0.5, 1, 0, 3, 0.01, 0.01, "1 1 1 1");

        assertThat(run.reductionEpochs()).isEmpty();
        assertThat(run.waitAtEnd()).isEqualTo(3);
        assertThat(run.cooldownAtEnd()).isEqualTo(0);
        assertThat(run.finalLearningRate()).isEqualTo(0.01);
        assertThat(run.log().lines).isEmpty();
    }

    @Test
    void float32ChainAsKeras() {
        Run run = fit(false, 0.1, 1, 0, 0, 0.0, 0.01, "1 1 1 1");

        assertThat(run.log().at("INFO")).containsExactly(
                "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.0009999999776482583.",
                "Epoch 3: ReduceLROnPlateau reducing learning rate to 9.999999310821295e-05.",
                "Epoch 4: ReduceLROnPlateau reducing learning rate to 9.999999019782991e-06.").inOrder();
        assertThat(run.finalLearningRate()).isEqualTo(9.99999883788405e-06);
        // learning_rate is logged before the epoch's reduction, as a float32 widened to double
        assertThat(run.loggedLearningRates()).containsExactly(0.009999999776482582, 0.009999999776482582,
                0.0009999999310821295, 9.99999901978299e-05).inOrder();
    }

    @Test
    void verboseZeroLogsReductionsAtDebug() {
        RecordingLog log = new RecordingLog();
        ReduceLROnPlateau policy = new ReduceLROnPlateau(MONITOR, false, 0.5, 1, 0, 0, 0, 0, log);
        Run run = fit(policy, log, 1.0, "1 1");

        assertThat(run.log().at("INFO")).isEmpty();
        assertThat(run.log().at("DEBUG")).containsExactly("Epoch 2: ReduceLROnPlateau reducing learning rate to 0.5.");
    }

    @Test
    void learningRateIsLoggedEvenWhenTheMonitorIsAbsent() {
        Run run = fit(false, 0.5, 1, 0, 0, 0.0, 0.25, "- -");

        assertThat(run.loggedLearningRates()).containsExactly(0.25, 0.25);
        assertThat(run.log().at("DEBUG")).contains("Learning rate reduction is conditioned on metric `val_loss` which "
                + "is not available. Available metrics are: learning_rate,loss.");
    }

    @Test
    void oneInstanceServesSeveralFits() {
        RecordingLog log = new RecordingLog();
        ReduceLROnPlateau policy = new ReduceLROnPlateau(MONITOR, false, 0.5, 2, 0, 5, 0, 0, log);
        fit(policy, log, 1.0, "0.1 1 1");
        // A kept best (0.1) would make 0.5 non-improving; a kept cooldown (5) would block the reduction.
        Run second = fit(policy, log, 1.0, "0.5 0.6 0.6");

        assertThat(second.reductionEpochs()).containsExactly(2);
    }

    @Test
    void factorOutOfRangeIsRejectedWithKerasText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReduceLROnPlateau("loss", false, 1.0, 1, 0, 0, 0, 0));
        assertThat(e).hasMessageThat().startsWith("ReduceLROnPlateau does not support a factor >= 1.0. Received "
                + "factor=1.0; use a factor between 0 and 1");

        assertThat(assertThrows(IllegalArgumentException.class,
                        () -> new ReduceLROnPlateau("loss", false, 0.0, 1, 0, 0, 0, 0)))
                .hasMessageThat().contains("factor must be > 0, got 0.0");
        assertThat(assertThrows(IllegalArgumentException.class,
                        () -> new ReduceLROnPlateau("loss", false, Double.NaN, 1, 0, 0, 0, 0)))
                .hasMessageThat().contains("factor must be > 0, got nan");
    }

    @Test
    void otherBadArgumentsAreRejected() {
        assertThat(assertThrows(IllegalArgumentException.class,
                        () -> new ReduceLROnPlateau("loss", false, 0.5, -1, 0, 0, 0, 0)))
                .hasMessageThat().contains("patience must be >= 0, got -1");
        assertThat(assertThrows(IllegalArgumentException.class,
                        () -> new ReduceLROnPlateau("loss", false, 0.5, 1, 0, -1, 0, 0)))
                .hasMessageThat().contains("cooldown must be >= 0, got -1");
        assertThat(assertThrows(IllegalArgumentException.class,
                        () -> new ReduceLROnPlateau("loss", false, 0.5, 1, 0, 0, -1e-3, 0)))
                .hasMessageThat().contains("minLr must be a finite number >= 0, got -0.001");
    }

    @Test
    void validationMonitorWithoutValidationIsRejectedBeforeTraining() {
        ReduceLROnPlateau policy = new ReduceLROnPlateau("val_loss", false, 0.5, 1, 0, 0, 0, 0);
        FakeLogs logs = new FakeLogs("loss", "val_loss");

        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> policy.prepare(new FakePlan(logs, false)));
        assertThat(e).hasMessageThat().isEqualTo("@ReduceLrOnPlateau monitor \"val_loss\" needs validation data; "
                + "pass Fit.validationSplit(..) or Fit.validationData(..)");
    }

    @Test
    void prepareDefinesLearningRateInTheLogs() {
        ReduceLROnPlateau policy = new ReduceLROnPlateau("loss", false, 0.5, 1, 0, 0, 0, 0);
        FakeLogs logs = new FakeLogs("loss");

        policy.prepare(new FakePlan(logs, false));

        assertThat(logs.slot(ReduceLROnPlateau.LEARNING_RATE)).isEqualTo(1);
    }
}
