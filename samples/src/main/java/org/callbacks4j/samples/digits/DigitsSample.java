package org.callbacks4j.samples.digits;

import java.util.Map;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;

/**
 * Trains a dense network on scikit-learn's digits with {@link DigitsTraining}'s callbacks. Run it with
 * {@code mvn -B -pl samples -am -DskipTests package exec:java}.
 */
public final class DigitsSample {

    /** The sample's settings, shared with its test so both train the same network. */
    static final int EPOCHS = 40;
    static final double TARGET_VAL_ACCURACY = 2.0; // never stop early: show the whole curve

    private DigitsSample() {}

    public static void main(String[] args) {
        Dataset.Split parts = splits();
        Dataset train = parts.head();
        Dataset test = parts.tail();

        Sequential model = model();
        System.out.println(model.summary());
        History history = trainer().fit(model, train, fit(), new DigitsTraining(System.out, TARGET_VAL_ACCURACY));

        Map<String, Double> scores = trainer().evaluate(model, test);
        System.out.printf("Test (%d held-out images): loss %.4f  accuracy %.4f%n",
                test.size(), scores.get("loss"), scores.get("accuracy"));
        System.out.printf("Epochs run: %d, best val_accuracy %.4f%n",
                history.epochs().size(),
                history.get("val_accuracy").stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    }

    /**
     * The training rows (head) and the test rows held out from training (tail, 15%). The file lists the digits in
     * writer order, so it is shuffled once (seeded) first, making the held-out tail a fair sample.
     */
    static Dataset.Split splits() {
        return DigitsData.load().shuffled(7).split(0.15);
    }

    static Sequential model() {
        return Sequential.input(DigitsData.PIXELS)
                .dense(128, Activation.RELU)
                .dense(DigitsData.CLASSES, Activation.SOFTMAX)
                .seed(42)
                .build();
    }

    static Trainer trainer() {
        return Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY)
                .optimizer(Adam.lr(1e-3))
                .metrics("accuracy")
                .build();
    }

    static Fit fit() {
        return Fit.epochs(EPOCHS).batchSize(32).validationSplit(0.2).seed(42).verbose(0);
    }
}
