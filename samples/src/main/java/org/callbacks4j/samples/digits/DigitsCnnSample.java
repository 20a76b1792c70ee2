package org.callbacks4j.samples.digits;

import java.io.IOException;
import java.util.Map;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;

/**
 * The digits sample with a small CNN: each row of 64 pixels seen as an 8x8x1 image, with the same data split,
 * trainer and callbacks as {@link DigitsSample}. Run it with
 * {@code mvn -q -DskipTests package exec:exec -Dexec.mainClass=org.callbacks4j.samples.digits.DigitsCnnSample}.
 */
public final class DigitsCnnSample {

    private DigitsCnnSample() {}

    public static void main(String[] args) throws IOException {
        Dataset.Split parts = DigitsSample.splits();
        Sequential model = model();
        System.out.println(model.summary());
        History history = DigitsSample.trainer().fit(model, parts.head(), DigitsSample.fit(),
                new DigitsTraining(System.out, DigitsSample.TARGET_VAL_ACCURACY));
        Map<String, Double> scores = DigitsSample.trainer().evaluate(model, parts.tail());
        System.out.printf("Test (%d held-out images): loss %.4f  accuracy %.4f%n",
                parts.tail().size(), scores.get("loss"), scores.get("accuracy"));
        history.stoppedBy().ifPresent(by -> System.out.printf("Stopped by %s in epoch %d%n",
                by, history.stoppedEpoch().getAsInt() + 1));
    }

    /** 3x3 convolutions with batch norm and pooling, then dropout and the softmax: 5,194 parameters. */
    public static Sequential model() {
        return Sequential.input(8, 8, 1)
                .conv2d(16, 3, 1, "same", Activation.RELU).batchNorm().maxPool(2)
                .conv2d(32, 3, 1, "same", Activation.RELU).globalAvgPool()
                .dropout(0.2)
                .dense(DigitsData.CLASSES, Activation.SOFTMAX)
                .seed(42)
                .build();
    }
}
