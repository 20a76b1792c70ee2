package org.callbacks4j.samples.digits;

import static com.google.common.truth.Truth.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Test;

/** The 8x8 CNN variant of the digits sample trains through the generated callbacks to a held-out accuracy of 95%. */
class DigitsCnnSampleTest {

    @Test
    void theCnnLearnsTheDigits() {
        Dataset.Split parts = DigitsSample.splits();
        Sequential model = DigitsCnnSample.model();
        assertThat(model.paramCount() + model.stateCount()).isEqualTo(5_194);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        DigitsSample.trainer().fit(model, parts.head(), DigitsSample.fit(),
                new DigitsTraining(out, DigitsSample.TARGET_VAL_ACCURACY));
        Map<String, Double> scores = DigitsSample.trainer().evaluate(model, parts.tail());
        assertThat(scores.get("accuracy")).isAtLeast(0.95);
        assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("Epoch   1  loss");
    }
}
