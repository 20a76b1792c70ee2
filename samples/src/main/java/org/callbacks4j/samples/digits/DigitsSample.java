package org.callbacks4j.samples.digits;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.plot.HistoryPlot;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;

/**
 * Trains a dense network on scikit-learn's digits with {@link DigitsTraining}'s callbacks. Run it with
 * {@code mvn -q -DskipTests package exec:exec}.
 */
public final class DigitsSample {

    /** The sample's settings, shared with its test so both train the same network. */
    static final int EPOCHS = 60;
    /** The hook's own stop (above 1: off); here @EarlyStop decides when to stop. */
    static final double TARGET_VAL_ACCURACY = 2.0;

    private DigitsSample() {}

    public static void main(String[] args) throws IOException {
        Dataset.Split parts = splits();
        Dataset train = parts.head();
        Dataset test = parts.tail();

        Sequential model = model();
        System.out.println(model.summary());
        History history = trainer().fit(model, train, fit(), new DigitsTraining(System.out, TARGET_VAL_ACCURACY));

        Map<String, Double> scores = trainer().evaluate(model, test);
        System.out.printf("Test (%d held-out images): loss %.4f  accuracy %.4f%n",
                test.size(), scores.get("loss"), scores.get("accuracy"));
        history.stoppedBy().ifPresent(by -> System.out.printf("Stopped by %s in epoch %d%n",
                by, history.stoppedEpoch().getAsInt() + 1));
        OptionalInt restored = restoredEpoch(history);
        restored.ifPresent(epoch -> System.out.printf("Weights restored from epoch %d%n", epoch + 1));

        Path curves = Path.of(DigitsTraining.RUN_DIR, "curves.png");
        HistoryPlot.write(history, curves, restored);
        System.out.println("Run folder " + DigitsTraining.RUN_DIR + ": history.csv, tensorboard/, best.zip, "
                + curves.getFileName() + " (tensorboard --logdir " + DigitsTraining.RUN_DIR + "/tensorboard)");
    }

    /** The 0-based epoch whose weights the early stop restored, if it restored any. */
    static OptionalInt restoredEpoch(History history) {
        return history.earlyStopping().stream()
                .filter(History.EarlyStoppingOutcome::weightsRestored)
                .mapToInt(History.EarlyStoppingOutcome::bestEpoch)
                .findFirst();
    }

    /**
     * The training rows (head) and the test rows held out from training (tail, 15%). The file lists the digits in
     * writer order, so it is shuffled once (seeded) first, making the held-out tail a fair sample.
     */
    public static Dataset.Split splits() {
        return DigitsData.load().shuffled(7).split(0.15);
    }

    public static Sequential model() {
        return Sequential.input(DigitsData.PIXELS)
                .dense(128, Activation.RELU)
                .dense(DigitsData.CLASSES, Activation.SOFTMAX)
                .seed(42)
                .build();
    }

    public static Trainer trainer() {
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
