package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.train.FiniteDataCheck;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * NaN or an infinity in features or labels is refused before training (in fit, for training and validation data,
 * and in evaluate), naming the row and column; the model is left untouched (issue 11).
 */
@Tag("reliability")
class NonFiniteDataTest {

    private final Trainer softmax = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).metrics("accuracy").build();
    private final Trainer mse = Trainer.builder().loss(Loss.MSE).build();

    private static Sequential classifier() {
        return Sequential.input(4).dense(5, Activation.RELU).dense(3, Activation.SOFTMAX).build();
    }

    private static Dataset withFeature(int row, int column, float value) {
        Dataset blobs = Blobs.classification(20, 4, 3, 1);
        float[][] x = blobs.features().toFloatMatrix();
        x[row][column] = value;
        return Dataset.of(x, blobs.labels().toFloatMatrix());
    }

    private static String refusal(Runnable fit) {
        return assertThrows(IllegalArgumentException.class, fit::run).getMessage();
    }

    @Test
    void nanFeatureIsRefusedNamingRowAndColumn() {
        Sequential model = classifier();
        float[] before = model.params().toFloatVector();
        String message = refusal(() -> softmax.fit(model, withFeature(13, 2, Float.NaN), Fit.epochs(1).verbose(0)));
        assertThat(message).isEqualTo("training features hold 1 value that is NaN or infinite, the first at row 13, "
                + "column 2 (NaN); a NaN or infinity in the data makes the loss and then every parameter NaN. Replace "
                + "or drop it before fit (e.g. impute missing values, clip overflowing ones)");
        assertThat(model.params().toFloatVector()).isEqualTo(before);
    }

    @Test
    void infiniteFeaturesAreRefusedAndCounted() {
        Dataset data = withFeature(4, 0, Float.POSITIVE_INFINITY);
        data.features().putScalar(17, 3, Float.NEGATIVE_INFINITY);
        String message = refusal(() -> softmax.fit(classifier(), data, Fit.epochs(1).verbose(0)));
        assertThat(message).startsWith("training features hold 2 values that are NaN or infinite, the first at row 4, "
                + "column 0 (Infinity)");
    }

    @Test
    void nanLabelIsRefusedWithEveryLoss() {
        Dataset blobs = Blobs.classification(20, 4, 3, 1);
        float[][] y = blobs.labels().toFloatMatrix();
        y[19][1] = Float.NaN;
        Dataset data = Dataset.of(blobs.features().toFloatMatrix(), y);
        assertThat(refusal(() -> softmax.fit(classifier(), data, Fit.epochs(1).verbose(0))))
                .startsWith("training labels hold 1 value that is NaN or infinite, the first at row 19, column 1");
        Sequential regression = Sequential.input(4).dense(5, Activation.RELU).dense(3, Activation.IDENTITY).build();
        assertThat(refusal(() -> mse.fit(regression, data, Fit.epochs(1).verbose(0))))
                .startsWith("training labels hold 1 value that is NaN or infinite, the first at row 19, column 1");
    }

    @Test
    void validationDataAndEvaluationAreCheckedToo() {
        Dataset good = Blobs.classification(20, 4, 3, 1);
        Dataset bad = withFeature(7, 1, Float.NaN);
        assertThat(refusal(() -> softmax.fit(classifier(), good, Fit.epochs(1).validationData(bad).verbose(0))))
                .startsWith("validation features hold 1 value that is NaN or infinite, the first at row 7, column 1");
        assertThat(refusal(() -> softmax.evaluate(classifier(), bad)))
                .startsWith("evaluation features hold 1 value that is NaN or infinite, the first at row 7, column 1");
        // A split checks the whole dataset: the row is the dataset's.
        Dataset badTail = withFeature(18, 3, Float.NaN);
        assertThat(refusal(() -> softmax.fit(classifier(), badTail, Fit.epochs(1).validationSplit(0.2).verbose(0))))
                .contains("row 18, column 3");
    }

    @Test
    void finiteValuesWhoseSumOverflowsAreAccepted() {
        // The check sums first; a sum that overflows to infinity falls back to counting, which finds nothing here.
        Dataset huge = withFeature(0, 0, Float.MAX_VALUE);
        huge.features().putScalar(1, 0, Float.MAX_VALUE);
        assertThat(Double.isFinite(huge.features().sumNumber().doubleValue())).isFalse();
        FiniteDataCheck.check("training", "features", huge.features());
        huge.features().putScalar(2, 1, Float.NaN);
        assertThat(refusal(() -> FiniteDataCheck.check("training", "features", huge.features())))
                .contains("the first at row 2, column 1 (NaN)");
    }
}
