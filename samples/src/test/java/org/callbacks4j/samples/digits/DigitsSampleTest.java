package org.callbacks4j.samples.digits;

import static com.google.common.truth.Truth.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.dispatch.Dispatchers;
import org.junit.jupiter.api.Test;

/**
 * The digits sample as its users run it: compiled by Maven with the processor on annotationProcessorPaths, so these
 * tests fail if the generated dispatcher is missing or does not call the hooks.
 */
class DigitsSampleTest {

    @Test
    void embeddedDataHasEveryImageAndDigit() {
        Dataset digits = DigitsData.load();

        assertThat(digits.size()).isEqualTo(1797);
        assertThat(digits.featureWidth()).isEqualTo(64);
        assertThat(digits.labelWidth()).isEqualTo(10);
        assertThat(digits.features().maxNumber().doubleValue()).isEqualTo(1.0);
        assertThat(digits.labels().sum(0).minNumber().intValue()).isGreaterThan(170); // every digit ~180 times
    }

    @Test
    void processorGeneratedTheDispatcher() {
        assertThat(Dispatchers.of(new DigitsTraining(System.out, 2)).getClass().getName())
                .isEqualTo("org.callbacks4j.samples.digits.DigitsTraining_Callbacks");
    }

    @Test
    void trainsToAtLeast95PercentValidationAccuracyAndReportsEveryEpoch() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        History history = DigitsSample.trainer().fit(DigitsSample.model(), DigitsSample.splits().head(),
                DigitsSample.fit(), new DigitsTraining(out, DigitsSample.TARGET_VAL_ACCURACY));

        List<Double> valAccuracy = history.get("val_accuracy");
        assertThat(valAccuracy).hasSize(DigitsSample.EPOCHS);
        assertThat(history.last("val_accuracy")).isAtLeast(0.95);
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertThat(printed).startsWith("Training " + DigitsSample.EPOCHS + " epochs of ");
        assertThat(printed.lines().filter(line -> line.startsWith("Epoch ")).count()).isEqualTo(DigitsSample.EPOCHS);
        assertThat(printed).contains("Done: val_accuracy ");
    }

    @Test
    void hookStopsTrainingOnceTheTargetIsReached() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        History history = DigitsSample.trainer().fit(DigitsSample.model(), DigitsSample.splits().head(),
                DigitsSample.fit(), new DigitsTraining(out, 0.9));

        // Stopped at the first epoch whose val_accuracy reached 0.9, and not before.
        List<Double> valAccuracy = history.get("val_accuracy");
        assertThat(valAccuracy.size()).isLessThan(DigitsSample.EPOCHS);
        assertThat(valAccuracy.get(valAccuracy.size() - 1)).isAtLeast(0.9);
        valAccuracy.subList(0, valAccuracy.size() - 1).forEach(v -> assertThat(v).isLessThan(0.9));
        assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("val_accuracy reached 0.90: stopping");
    }
}
