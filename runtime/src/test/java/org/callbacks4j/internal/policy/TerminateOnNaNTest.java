package org.callbacks4j.internal.policy;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TerminateOnNaNPolicy against reference section 7.3. */
class TerminateOnNaNTest {

    private final RecordingLog log = new RecordingLog();
    private FakePlan lastPlan;

    /**
     * Feeds batch losses ({@code /} between epochs, {@code -} = no loss in the logs, {@code nan}, {@code inf},
     * {@code -inf}) until a stop is requested; returns "epoch/batch" of the stop or "none".
     */
    private String run(TerminateOnNaNPolicy policy, String losses) {
        FakeLogs logs = new FakeLogs("loss");
        FakeContext context = new FakeContext(0.01);
        lastPlan = new FakePlan(logs, context, false);
        policy.prepare(lastPlan);
        policy.onTrainBegin(context);
        String[] epochs = losses.split("/");
        for (int epoch = 0; epoch < epochs.length; epoch++) {
            String[] batches = epochs[epoch].trim().split("\\s+");
            for (int batch = 0; batch < batches.length; batch++) {
                logs.clear();
                switch (batches[batch]) {
                    case "-" -> { }
                    case "nan" -> logs.put("loss", Double.NaN);
                    case "inf" -> logs.put("loss", Double.POSITIVE_INFINITY);
                    case "-inf" -> logs.put("loss", Double.NEGATIVE_INFINITY);
                    default -> logs.put("loss", Double.parseDouble(batches[batch]));
                }
                policy.onBatchEnd(epoch, batch, logs, context);
                if (context.isStopRequested()) {
                    return epoch + "/" + batch;
                }
            }
        }
        return "none";
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "NaN in the first epoch            | 1.0 0.5 nan 0.4      | 0/2",
        "NaN at the very first batch       | nan                  | 0/0",
        "NaN in a later epoch              | 1.0 0.9 / 0.8 nan    | 1/1",
        "+infinity                         | 1.0 inf              | 0/1",
        "-infinity                         | -inf                 | 0/0",
        "huge but finite                   | 1e308 1.7e308        | none",
        "no loss in the logs               | - - -                | none",
        "no loss, then NaN                 | - nan                | 0/1",
    })
    void stopsAtTheFirstInvalidLoss(String name, String losses, String stop) {
        assertThat(run(new TerminateOnNaNPolicy(log), losses)).isEqualTo(stop);
        assertThat(lastPlan.stops).containsExactlyElementsIn(stop.equals("none") ? List.of() : List.of("TerminateOnNaN"));
    }

    @Test
    void warnsWithKerasTextAndReportsTheOutcome() {
        TerminateOnNaNPolicy policy = new TerminateOnNaNPolicy(log);

        run(policy, "1.0 / 0.5 0.4 nan");

        assertThat(log.at("WARN")).containsExactly("Batch 2: Invalid loss, terminating training");
        TerminateOnNaNPolicy.Outcome outcome = policy.outcome();
        assertThat(outcome.stoppedTraining()).isTrue();
        assertThat(outcome.stoppedEpoch()).isEqualTo(1);
        assertThat(outcome.batch()).isEqualTo(2);
        assertThat(outcome.loss()).isNaN();
        assertThat(lastPlan.stops).containsExactly(TerminateOnNaNPolicy.STOPPED_BY);
    }

    @Test
    void aNewFitForgetsThePreviousOutcome() {
        TerminateOnNaNPolicy policy = new TerminateOnNaNPolicy(log);
        run(policy, "nan");

        run(policy, "1.0 0.5");

        assertThat(policy.outcome()).isEqualTo(new TerminateOnNaNPolicy.Outcome(false, -1, -1, Double.NaN));
    }

    @Test
    void finiteLossesNeedNoNameLookups() {
        TerminateOnNaNPolicy policy = new TerminateOnNaNPolicy(log);
        FakeLogs logs = new FakeLogs("loss");
        FakeContext context = new FakeContext(0.01);
        policy.prepare(new FakePlan(logs, context, false));
        policy.onTrainBegin(context);
        for (int batch = 0; batch < 100; batch++) {
            policy.onBatchEnd(0, batch, logs.put("loss", 1.0 / (batch + 1)), context);
        }

        assertThat(logs.byNameLookups).isEqualTo(0);
        assertThat(context.isStopRequested()).isFalse();
    }

    @Test
    void batchEndBeforePrepareFailsLoudly() {
        TerminateOnNaNPolicy policy = new TerminateOnNaNPolicy(log);

        assertThrows(IllegalStateException.class,
                () -> policy.onBatchEnd(0, 0, new FakeLogs("loss").put("loss", Double.NaN), new FakeContext(0.1)));
    }
}
