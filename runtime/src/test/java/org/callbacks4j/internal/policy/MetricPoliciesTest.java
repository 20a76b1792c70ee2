package org.callbacks4j.internal.policy;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** CustomMetric and PredictionMetric against a fake plan; the logger policies' argument checks. */
class MetricPoliciesTest {

    @TempDir
    Path dir;

    @Test
    void customMetricDefinesItsSlotAndWritesTheEpochValue() {
        FakeLogs logs = new FakeLogs("loss");
        CustomMetric gap = new CustomMetric("gap");
        gap.prepare(new FakePlan(logs, false));

        gap.set(0.25);

        assertThat(gap.slot()).isEqualTo(1);
        assertThat(logs.get("gap")).isEqualTo(0.25);
    }

    @Test
    void customMetricBeforePrepareOrWithoutANameFails() {
        assertThat(assertThrows(IllegalStateException.class, () -> new CustomMetric("gap").set(1)))
                .hasMessageThat().contains("@Metric \"gap\" was not prepared");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new CustomMetric("")))
                .hasMessageThat().contains("@Metric needs a name");
    }

    @Test
    void predictionMetricComputesTrainAndValidationValuesWhenTheTrainerHandsOverOutputs() {
        FakeLogs logs = new FakeLogs("loss", "val_loss");
        FakePlan plan = new FakePlan(logs, true);
        PredictionMetric sum = new PredictionMetric("sum", (p, y) -> p.sumNumber().doubleValue()
                - y.sumNumber().doubleValue());
        sum.prepare(plan);

        assertThat(plan.listeners).hasSize(1);
        plan.listeners.get(0).onPredictions(0, Nd4j.createFromArray(new float[][] {{3, 4}}),
                Nd4j.createFromArray(new float[][] {{1, 1}}), Nd4j.createFromArray(new float[][] {{2, 2}}),
                Nd4j.createFromArray(new float[][] {{0, 1}}));

        assertThat(logs.get("sum")).isEqualTo(5.0);
        assertThat(logs.get("val_sum")).isEqualTo(3.0);
    }

    @Test
    void predictionMetricWithoutValidationDefinesNoValidationName() {
        FakeLogs logs = new FakeLogs("loss");
        new PredictionMetric("sum", (p, y) -> 0).prepare(new FakePlan(logs, false));

        assertThat(logs.allNames()).containsExactly("loss", "sum");
    }

    @Test
    void loggerArgumentsAreCheckedWhenBuilt() {
        assertThat(assertThrows(IllegalArgumentException.class,
                        () -> new CsvLoggerPolicy(dir.resolve("h.csv").toString(), ";;", false)))
                .hasMessageThat().contains("CSV separator \";;\" must be exactly one character");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new CsvLoggerPolicy("", ",", false)))
                .hasMessageThat().contains("@CsvLogger needs a file path");
        assertThat(assertThrows(IllegalArgumentException.class,
                        () -> new TensorBoardLogger(dir.toString(), -1)))
                .hasMessageThat().contains("@TensorBoard updateFreq -1 is negative");
    }

    @Test
    void loggersOutsideAFitFailLoudly() {
        CsvLoggerPolicy csv = new CsvLoggerPolicy(dir.resolve("h.csv").toString(), ",", false);
        TensorBoardLogger tb = new TensorBoardLogger(dir.resolve("tb").toString(), 0);

        assertThat(assertThrows(IllegalStateException.class,
                        () -> csv.onEpochEnd(0, new FakeLogs("loss"), new FakeContext(0.1))))
                .hasMessageThat().contains("is not open: onTrainBegin(..) opens it");
        assertThat(assertThrows(IllegalStateException.class,
                        () -> tb.onEpochEnd(0, new FakeLogs("loss"), new FakeContext(0.1))))
                .hasMessageThat().contains("is not open: onTrainBegin(..) opens it");
    }
}
