package org.callbacks4j.internal.train;

import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Loss;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The checks {@code fit} and {@code evaluate} run on in-memory data before any training work: shapes against the
 * model, NaN and infinities ({@link FiniteDataCheck}), label ranges and one-hot rows for the loss.
 */
public final class DataChecks {

    private DataChecks() {}

    /** Checks that {@code data} fits {@code model} and the loss; {@code what} names it in messages. */
    public static void check(String what, Dataset data, Sequential model, Loss loss) {
        if (data.size() < 1) {
            throw new IllegalArgumentException(what + " data has no rows; pass at least one example");
        }
        if (data.featureWidth() != model.inputWidth()) {
            throw new IllegalArgumentException(
                    what + " features have " + data.featureWidth() + " columns but the model takes "
                            + model.inputWidth() + " inputs; pass " + model.inputWidth()
                            + "-column features or build the model with Sequential.input(" + data.featureWidth()
                            + ")");
        }
        if (data.labelWidth() != model.outputWidth()) {
            throw new IllegalArgumentException(
                    what + " labels have " + data.labelWidth() + " columns but the model has " + model.outputWidth()
                            + " outputs; pass " + model.outputWidth() + "-column labels (Dataset.classification(x, "
                            + "classes, " + model.outputWidth() + ") makes one-hot rows) or end the model with "
                            + ".dense(" + data.labelWidth() + ", ...)");
        }
        INDArray labels = data.labels();
        FiniteDataCheck.check(what, "features", data.features());
        FiniteDataCheck.check(what, "labels", labels);
        if (loss == Loss.BINARY_CROSS_ENTROPY || loss == Loss.SOFTMAX_CROSS_ENTROPY) {
            double min = labels.minNumber().doubleValue();
            double max = labels.maxNumber().doubleValue();
            if (!(min >= 0 && max <= 1)) {
                throw new IllegalArgumentException(
                        "loss " + loss + " needs labels in [0, 1] but the " + what + " labels range from " + min
                                + " to " + max + (loss == Loss.SOFTMAX_CROSS_ENTROPY
                                        ? "; build one-hot labels with Dataset.classification(x, classes, numClasses)"
                                        : "; rescale them to [0, 1], or use Loss.MSE for regression"));
            }
        }
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY) {
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
