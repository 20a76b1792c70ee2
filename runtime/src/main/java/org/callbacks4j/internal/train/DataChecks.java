package org.callbacks4j.internal.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The value checks {@code fit} and {@code evaluate} run on in-memory data before any training work (the trainer checks
 * the shapes against the model first): NaN and infinities ({@link FiniteDataCheck}), then what the loss needs of the
 * labels. It takes arrays and flags, not the trainer's types, so that {@code internal} does not import {@code train}.
 */
public final class DataChecks {

    private DataChecks() {}

    /**
     * Checks the values of {@code features} and {@code labels}; {@code what} names the data in messages.
     *
     * @param unitRangeLabels the loss needs labels in [0, 1] (the cross-entropies)
     * @param oneHotLabels the loss needs rows that sum to 1 (softmax cross-entropy)
     * @param lossName the loss's name, for messages
     */
    public static void checkValues(String what, INDArray features, INDArray labels, boolean unitRangeLabels,
            boolean oneHotLabels, String lossName) {
        FiniteDataCheck.check(what, "features", features);
        FiniteDataCheck.check(what, "labels", labels);
        if (unitRangeLabels) {
            double min = labels.minNumber().doubleValue();
            double max = labels.maxNumber().doubleValue();
            if (!(min >= 0 && max <= 1)) {
                throw new IllegalArgumentException(
                        "loss " + lossName + " needs labels in [0, 1] but the " + what + " labels range from " + min
                                + " to " + max + (oneHotLabels
                                        ? "; build one-hot labels with Dataset.classification(x, classes, numClasses)"
                                        : "; rescale them to [0, 1], or use Loss.MSE for regression"));
            }
        }
        if (oneHotLabels) {
            INDArray sums = labels.sum(1);
            INDArray error = Transforms.abs(sums.sub(1.0), false);
            if (error.maxNumber().doubleValue() > 1e-3) {
                int row = 0;
                while (Math.abs(sums.getDouble(row) - 1.0) <= 1e-3) {
                    row++;
                }
                throw new IllegalArgumentException(
                        "loss SOFTMAX_CROSS_ENTROPY needs one-hot label rows (each summing to 1) but " + what
                                + " label row " + row + " sums to " + sums.getDouble(row) + "; build labels with "
                                + "Dataset.classification(x, classes, numClasses), or use Loss.BINARY_CROSS_ENTROPY "
                                + "for multi-label rows");
            }
        }
    }
}
