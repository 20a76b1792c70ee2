package org.callbacks4j.internal.policy;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.callbacks4j.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * EarlyStopping against the rules of Keras 3.15 (reference sections 2.3, 3.3, 3.4). Each row's expectation is worked
 * out by hand from those rules; the comment says which rule the row pins down.
 */
class EarlyStoppingTest {

    private static final String MONITOR = "val_loss";

    /** The result of one simulated fit. */
    private record Run(int stopEpoch, int bestEpoch, int waitAtEnd, History.EarlyStoppingOutcome outcome,
            FakeWeights weights, RecordingLog log, FakeContext context, FakePlan plan) {}

    /**
     * Feeds {@code values} (space-separated; {@code -} = no value this epoch, {@code nan}) as the monitor of epochs
     * {@code firstEpoch, firstEpoch + 1, ...}; stops feeding when a stop is requested, like the trainer. Before each
     * epoch end, every weight is set to the epoch number, so a restored model tells which epoch it came from.
     */
    private static Run fit(EarlyStopping policy, FakeWeights weights, RecordingLog log, int firstEpoch,
            String values) {
        FakeLogs logs = new FakeLogs("loss", MONITOR);
        FakeContext context = new FakeContext(0.01);
        FakePlan plan = new FakePlan(logs, context, true);
        policy.prepare(plan);
        policy.onTrainBegin(context);
        int stopEpoch = -1;
        String[] tokens = values.trim().split("\\s+");
        for (int i = 0; i < tokens.length; i++) {
            int epoch = firstEpoch + i;
            weights.fill(epoch);
            logs.clear().put("loss", 1.0);
            if (!tokens[i].equals("-")) {
                logs.put(MONITOR, tokens[i].equals("nan") ? Double.NaN : Double.parseDouble(tokens[i]));
            }
            policy.onEpochEnd(epoch, logs, context);
            if (context.isStopRequested()) {
                stopEpoch = epoch;
                break;
            }
        }
        int waitAtEnd = policy.waitCount();
        policy.onTrainEnd(logs, context);
        History.EarlyStoppingOutcome outcome = policy.outcome();
        return new Run(stopEpoch, outcome.bestEpoch(), waitAtEnd, outcome, weights, log, context, plan);
    }

    private static Run fit(boolean maximize, double minDelta, int patience, double baseline, boolean restore,
            int startFromEpoch, int verbose, int firstEpoch, String values) {
        FakeWeights weights = new FakeWeights();
        RecordingLog log = new RecordingLog();
        EarlyStopping policy = new EarlyStopping(MONITOR, maximize, minDelta, patience, baseline, restore,
                startFromEpoch, verbose, context -> weights, log);
        return fit(policy, weights, log, firstEpoch, values);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        // case                                  |max  |minDelta|pat|baseline|start|first| values                      |stop|best|wait
        "Keras's verified example, patience 1    |false| 0      | 1 | NaN    | 0   | 0   | 1.0 0.5 0.7 0.8             | 2  | 1  | 1",
        "patience 0 behaves as patience 1        |false| 0      | 0 | NaN    | 0   | 0   | 1.0 0.5 0.7 0.8             | 2  | 1  | 1",
        "patience 2 stops at the 2nd bad epoch   |false| 0      | 2 | NaN    | 0   | 0   | 1.0 0.5 0.7 0.8 0.4         | 3  | 1  | 2",
        "steady improvement never stops          |false| 0      | 3 | NaN    | 0   | 0   | 1.0 0.9 0.8 0.7 0.6         | -1 | 4  | 0",
        "ties are not improvements (min)         |false| 0      | 2 | NaN    | 0   | 0   | 1.0 1.0 1.0                 | 2  | 0  | 2",
        "ties are not improvements (max)         |true | 0      | 1 | NaN    | 0   | 0   | 0.5 0.5                     | 1  | 0  | 1",
        "max mode                                |true | 0      | 2 | NaN    | 0   | 0   | 0.1 0.2 0.15 0.3 0.25 0.2   | 5  | 3  | 2",
        "minDelta: gains under it do not count   |false| 0.1    | 2 | NaN    | 0   | 0   | 1.0 0.95 0.85 0.8           | -1 | 2  | 1",
        "minDelta sign is ignored                |false| -0.1   | 2 | NaN    | 0   | 0   | 1.0 0.95 0.85 0.8           | -1 | 2  | 1",
        "minDelta in max mode                    |true | -0.05  | 2 | NaN    | 0   | 0   | 0.5 0.54 0.56 0.6           | -1 | 2  | 1",
        "a gain of exactly minDelta is a tie     |false| 0.5    | 1 | NaN    | 0   | 0   | 1.0 0.5                     | 1  | 0  | 1",
        "float32: 1e-9 below is a tie            |false| 0      | 1 | NaN    | 0   | 0   | 1.0 0.999999999             | 1  | 0  | 1",
        "float32: 1e-7 below improves            |false| 0      | 1 | NaN    | 0   | 0   | 1.0 0.9999999               | -1 | 1  | 0",
        "NaN first becomes best, nothing beats it|false| 0      | 2 | NaN    | 0   | 0   | nan 0.5 0.4                 | 2  | 0  | 2",
        "NaN later never improves                |false| 0      | 2 | NaN    | 0   | 0   | 1.0 nan 0.9 nan nan         | 4  | 2  | 2",
        "absent epochs are not counted           |false| 0      | 2 | NaN    | 0   | 0   | - 1.0 - 1.1 - 1.2           | 5  | 1  | 2",
        "never present: never stops              |false| 0      | 0 | NaN    | 0   | 0   | - - -                       | -1 | -1 | 0",
        "startFromEpoch skips warm-up epochs     |false| 0      | 1 | NaN    | 2   | 0   | 1.0 2.0 3.0 2.5 2.6         | 4  | 3  | 1",
        "startFromEpoch is absolute              |false| 0      | 1 | NaN    | 4   | 3   | 1.0 2.0 2.5                 | 5  | 4  | 1",
        "baseline beaten late resets wait        |false| 0      | 2 | 0.5    | 0   | 0   | 1.0 0.9 0.8 0.4 0.45 0.42   | 5  | 3  | 2",
        "baseline never beaten, improving: runs  |false| 0      | 1 | 0.5    | 0   | 0   | 1.0 0.9 0.8 0.7             | -1 | 3  | 4",
        "baseline missed by the first value      |false| 0      | 2 | 0.5    | 0   | 0   | 1.0 1.1                     | 1  | 0  | 2",
        "baseline comparison uses minDelta       |false| 0.1    | 2 | 0.5    | 0   | 0   | 0.45 0.5 0.6                | 1  | 0  | 2",
        "baseline in max mode                    |true | 0      | 1 | 0.9    | 0   | 0   | 0.5 0.6 0.95 0.9            | 3  | 2  | 1",
    })
    void followsKerasCounting(String name, boolean maximize, double minDelta, int patience, double baseline,
            int startFromEpoch, int firstEpoch, String values, int stopEpoch, int bestEpoch, int wait) {
        Run run = fit(maximize, minDelta, patience, baseline, false, startFromEpoch, 0, firstEpoch, values);

        assertThat(run.stopEpoch()).isEqualTo(stopEpoch);
        assertThat(run.bestEpoch()).isEqualTo(bestEpoch);
        assertThat(run.waitAtEnd()).isEqualTo(wait);
        assertThat(run.outcome().stopped()).isEqualTo(stopEpoch >= 0);
        assertThat(run.outcome().stoppedEpoch()).isEqualTo(stopEpoch);
        assertThat(run.context().stopCalls).isEqualTo(stopEpoch >= 0 ? 1 : 0);
        assertThat(run.plan().stops).hasSize(stopEpoch >= 0 ? 1 : 0);
    }

    @Test
    void outcomeReportsBestValueAndEpochs() {
        Run run = fit(false, 0, 1, Double.NaN, true, 0, 0, 0, "1.0 0.5 0.7 0.8");

        assertThat(run.outcome()).isEqualTo(new History.EarlyStoppingOutcome(MONITOR, true, 2, 1, 0.5, true, true));
    }

    @Test
    void stopIsAttributedAndTheOutcomeReportedToTheHistory() {
        Run run = fit(false, 0, 1, Double.NaN, true, 0, 0, 0, "1.0 0.5 0.7 0.8");

        assertThat(run.plan().stops).containsExactly("EarlyStopping(monitor=val_loss)");
        assertThat(run.plan().outcomes).hasSize(1);
        // Read when the fit returns: after onTrainEnd, so it includes the restore.
        assertThat(run.plan().outcomes.get(0).get()).isEqualTo(run.outcome());
        assertThat(run.plan().outcomes.get(0).get().weightsRestored()).isTrue();
    }

    @Test
    void monitoringAMethodCountsItsValuesNaNIncluded() {
        FakeWeights weights = new FakeWeights();
        RecordingLog log = new RecordingLog();
        EarlyStopping policy = EarlyStopping.monitoringMethod("Training.gap()", false, 0, 1, Double.NaN, true, 0, 0,
                c -> weights, log);
        FakeLogs logs = new FakeLogs("loss");
        FakeContext context = new FakeContext(0.01);
        FakePlan plan = new FakePlan(logs, context, false);
        policy.prepare(plan); // no slot to resolve: any fit can serve it
        policy.onTrainBegin(context);
        double[] values = {1.0, 0.5, Double.NaN};
        for (int epoch = 0; epoch < values.length; epoch++) {
            weights.fill(epoch);
            policy.onEpochEnd(epoch, values[epoch], context);
        }
        policy.onTrainEnd(logs, context);

        // The NaN of epoch 2 is a value (not "absent"): it does not improve, and patience 1 runs out.
        assertThat(policy.outcome()).isEqualTo(
                new History.EarlyStoppingOutcome("Training.gap()", true, 2, 1, 0.5, true, true));
        assertThat(plan.stops).containsExactly("EarlyStopping(monitor=Training.gap())");
        assertThat(weights.live.getDouble(0)).isEqualTo(1.0);
        assertThat(assertThrows(IllegalStateException.class, () -> policy.onEpochEnd(3, logs, context)))
                .hasMessageThat().contains("monitors a method: pass its value to onEpochEnd(epoch, value, context)");
    }

    @Test
    void aMetricMonitorRejectsTheMethodVariantOfEpochEnd() {
        EarlyStopping policy = new EarlyStopping("loss", false, 0, 1, Double.NaN, false, 0, 0);
        FakeContext context = new FakeContext(0.01);
        policy.prepare(new FakePlan(new FakeLogs("loss"), context, false));

        assertThat(assertThrows(IllegalStateException.class, () -> policy.onEpochEnd(0, 1.0, context)))
                .hasMessageThat().contains("monitors the metric \"loss\": pass the logs");
    }

    @Test
    void outcomeWhenTheMonitorNeverHadAValue() {
        Run run = fit(false, 0, 0, Double.NaN, true, 0, 0, 0, "- - -");

        History.EarlyStoppingOutcome outcome = run.outcome();
        assertThat(outcome.monitored()).isFalse();
        assertThat(outcome.bestEpoch()).isEqualTo(-1);
        assertThat(outcome.bestValue()).isNaN();
        assertThat(outcome.weightsRestored()).isFalse();
        assertThat(run.weights().setArguments).isEmpty();
    }

    @Test
    void restoresBestWeightsWhenItStopsTraining() {
        Run run = fit(false, 0, 2, Double.NaN, true, 0, 0, 0, "1.0 0.5 0.7 0.8 0.4");

        assertThat(run.stopEpoch()).isEqualTo(3);
        assertThat(run.weights().live.getDouble(0)).isEqualTo(1.0); // the weights of epoch 1, the best
        assertThat(run.outcome().weightsRestored()).isTrue();
    }

    @Test
    void restoresBestWeightsWhenTrainingRanAllEpochs() {
        Run run = fit(false, 0, 5, Double.NaN, true, 0, 0, 0, "1.0 0.5 0.7 0.8");

        assertThat(run.stopEpoch()).isEqualTo(-1);
        assertThat(run.weights().live.getDouble(3)).isEqualTo(1.0);
        assertThat(run.outcome().weightsRestored()).isTrue();
    }

    @Test
    void restoresBestWeightsWhenAnotherPolicyStoppedTraining() {
        FakeWeights weights = new FakeWeights();
        RecordingLog log = new RecordingLog();
        EarlyStopping policy = new EarlyStopping(MONITOR, false, 0, 10, Double.NaN, true, 0, 1, c -> weights, log);
        FakeLogs logs = new FakeLogs(MONITOR);
        FakeContext context = new FakeContext(0.01);
        policy.prepare(new FakePlan(logs, context, true));
        policy.onTrainBegin(context);
        double[] values = {0.9, 0.3, 0.6};
        for (int epoch = 0; epoch < values.length; epoch++) {
            weights.fill(epoch);
            policy.onEpochEnd(epoch, logs.put(MONITOR, values[epoch]), context);
        }
        context.stopTraining(); // e.g. TerminateOnNaNPolicy
        policy.onTrainEnd(logs, context);

        assertThat(weights.live.getDouble(0)).isEqualTo(1.0);
        assertThat(policy.outcome().stopped()).isFalse();
        assertThat(log.at("INFO")).containsExactly("Restoring model weights from the end of the best epoch: 2.");
    }

    @Test
    void restoresTheBestEpochEvenIfTheBaselineWasNeverBeaten() {
        Run run = fit(false, 0, 1, 0.1, true, 0, 0, 0, "1.0 0.5 0.9");

        assertThat(run.stopEpoch()).isEqualTo(2);
        assertThat(run.weights().live.getDouble(0)).isEqualTo(1.0);
    }

    @Test
    void withoutRestoreBestWeightsTheModelIsLeftAlone() {
        Run run = fit(false, 0, 1, Double.NaN, false, 0, 0, 0, "1.0 0.5 0.7 0.8");

        assertThat(run.weights().setArguments).isEmpty();
        assertThat(run.weights().live.getDouble(0)).isEqualTo(2.0);
        assertThat(run.outcome().weightsRestored()).isFalse();
    }

    @Test
    void snapshotIsACopyInOneReusedBuffer() {
        FakeWeights weights = new FakeWeights();
        RecordingLog log = new RecordingLog();
        EarlyStopping policy = new EarlyStopping(MONITOR, false, 0, 1, Double.NaN, true, 0, 0, c -> weights, log);

        // The model's live vector changes in place after every snapshot: a snapshot that aliased it would restore
        // the last epoch (3), not the best (2).
        fit(policy, weights, log, 0, "1.0 0.9 0.8 0.85");
        assertThat(weights.live.getDouble(0)).isEqualTo(2.0);
        fit(policy, weights, log, 0, "1.0 0.5 0.7");
        assertThat(weights.live.getDouble(0)).isEqualTo(1.0);

        assertThat(weights.setArguments).hasSize(2);
        assertThat(weights.setArguments.get(1)).isSameInstanceAs(weights.setArguments.get(0));
        assertThat(weights.setArguments.get(0)).isNotSameInstanceAs(weights.live);
    }

    @Test
    void oneInstanceServesSeveralFits() {
        FakeWeights weights = new FakeWeights();
        RecordingLog log = new RecordingLog();
        EarlyStopping policy = new EarlyStopping(MONITOR, false, 0, 1, Double.NaN, false, 0, 0, c -> weights, log);

        Run first = fit(policy, weights, log, 0, "0.1 0.5");
        // Kept from the first fit, best 0.1 and wait 1 would make both values non-improving and stop at epoch 1;
        // reset, 0.3 and 0.2 both improve and it never stops.
        Run second = fit(policy, weights, log, 0, "0.3 0.2");

        assertThat(first.stopEpoch()).isEqualTo(1);
        assertThat(second.stopEpoch()).isEqualTo(-1);
        assertThat(second.outcome().bestValue()).isEqualTo(0.2);
        assertThat(second.outcome().stopped()).isFalse();
    }

    @Test
    void verboseMessagesAsKerasAtInfo() {
        Run run = fit(false, 0, 1, Double.NaN, true, 0, 1, 0, "1.0 0.5 0.7 0.8");

        assertThat(run.log().at("INFO")).containsExactly("Epoch 3: early stopping",
                "Restoring model weights from the end of the best epoch: 2.").inOrder();
    }

    @Test
    void verboseZeroLogsTheSameAtDebug() {
        Run run = fit(false, 0, 1, Double.NaN, true, 0, 0, 0, "1.0 0.5 0.7 0.8");

        assertThat(run.log().at("INFO")).isEmpty();
        assertThat(run.log().at("DEBUG")).containsAtLeast("Epoch 3: early stopping",
                "Restoring model weights from the end of the best epoch: 2.").inOrder();
    }

    @Test
    void noStopMessageWhenItDidNotStop() {
        Run run = fit(false, 0, 5, Double.NaN, false, 0, 1, 0, "1.0 0.5 0.7");

        assertThat(run.log().at("INFO")).isEmpty();
    }

    @Test
    void absentMonitorIsNotedAtDebugWithKerasText() {
        Run run = fit(false, 0, 5, Double.NaN, false, 0, 1, 0, "- 1.0");

        assertThat(run.log().at("DEBUG")).containsExactly(
                "Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss");
    }

    @Test
    void presenceComesFromTheSlotNotFromNameLookups() {
        FakeWeights weights = new FakeWeights();
        EarlyStopping policy = new EarlyStopping(MONITOR, false, 0, 1, Double.NaN, true, 0, 0, c -> weights,
                new RecordingLog());
        FakeLogs logs = new FakeLogs(MONITOR);
        FakeContext context = new FakeContext(0.01);
        policy.prepare(new FakePlan(logs, context, true));
        policy.onTrainBegin(context);
        policy.onEpochEnd(0, logs.put(MONITOR, Double.NaN), context);
        policy.onEpochEnd(1, logs.put(MONITOR, 0.5), context);

        assertThat(logs.byNameLookups).isEqualTo(0);
        assertThat(context.isStopRequested()).isTrue(); // the NaN of epoch 0 counted, and 0.5 did not beat it
    }

    @Test
    void absentIsSkippedButNaNIsCounted() {
        EarlyStopping policy = new EarlyStopping(MONITOR, false, 0, 1, Double.NaN, false, 0, 0, c -> null,
                new RecordingLog());
        FakeLogs logs = new FakeLogs(MONITOR);
        FakeContext context = new FakeContext(0.01);
        policy.prepare(new FakePlan(logs, context, true));
        policy.onTrainBegin(context);
        policy.onEpochEnd(0, logs, context); // absent: not counted
        policy.onEpochEnd(1, logs.put(MONITOR, Double.NaN), context); // NaN: counted, becomes best
        policy.onEpochEnd(2, logs.put(MONITOR, 0.5), context); // cannot beat NaN

        assertThat(context.isStopRequested()).isTrue();
        assertThat(policy.outcome().stoppedEpoch()).isEqualTo(2);
        assertThat(policy.outcome().bestEpoch()).isEqualTo(1);
    }

    @Test
    void validationMonitorWithoutValidationIsRejectedBeforeTraining() {
        EarlyStopping policy = new EarlyStopping("val_loss", false, 0, 1, Double.NaN, false, 0, 0);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> policy.prepare(new FakePlan(new FakeLogs("loss", "val_loss"), false)));
        assertThat(e).hasMessageThat().isEqualTo("@EarlyStop monitor \"val_loss\" needs validation data; pass "
                + "Fit.validationSplit(..) or Fit.validationData(..)");
    }

    @Test
    void monitorTheFitDoesNotProduceIsRejectedBeforeTraining() {
        EarlyStopping policy = new EarlyStopping("accuracy", true, 0, 1, Double.NaN, false, 0, 0);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> policy.prepare(new FakePlan(new FakeLogs("loss", "val_loss"), true)));
        assertThat(e).hasMessageThat().startsWith("@EarlyStop monitor \"accuracy\" names a metric this fit does "
                + "not produce; it produces loss, val_loss. Use one of those: loss, a metric given to "
                + "Trainer.builder().metrics(..)");
    }

    @Test
    void epochEndBeforePrepareFailsLoudly() {
        EarlyStopping policy = new EarlyStopping("loss", false, 0, 1, Double.NaN, false, 0, 0);
        FakeContext context = new FakeContext(0.01);
        policy.onTrainBegin(context);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> policy.onEpochEnd(0, new FakeLogs("loss").put("loss", 1.0), context));
        assertThat(e).hasMessageThat().contains("call prepare(..) before training");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThat(assertThrows(IllegalArgumentException.class,
                        () -> new EarlyStopping("loss", false, 0, -1, Double.NaN, false, 0, 0)))
                .hasMessageThat().contains("patience must be >= 0, got -1");
        assertThat(assertThrows(IllegalArgumentException.class,
                        () -> new EarlyStopping("loss", false, 0, 1, Double.NaN, false, -2, 0)))
                .hasMessageThat().contains("startFromEpoch must be >= 0 (a 0-based epoch), got -2");
        assertThat(assertThrows(IllegalArgumentException.class,
                        () -> new EarlyStopping("loss", false, Double.NaN, 1, Double.NaN, false, 0, 0)))
                .hasMessageThat().contains("minDelta must be a finite number, got NaN");
        assertThat(assertThrows(IllegalArgumentException.class,
                        () -> new EarlyStopping("", false, 0, 1, Double.NaN, false, 0, 0)))
                .hasMessageThat().contains("@EarlyStop monitor must name a metric");
    }
}
