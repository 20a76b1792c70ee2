package org.callbacks4j.train;

import org.callbacks4j.model.Activation;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossL1;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The loss a {@link Trainer} minimises, computed by ND4J's own loss functions ({@code computeScoreArray},
 * {@code computeGradient}). The reported {@code loss} is the mean over examples of the per-example loss, as Keras.
 */
public enum Loss {
    /**
     * Keras {@code categorical_crossentropy} on one-hot (or probability) label rows: {@code -sum(y * log(p))} per
     * example. Needs a {@link Activation#SOFTMAX} output layer. Training computes it from the logits,
     * {@code sum_j y_j (logsumexp(z) - z_j)} in double in Java (libnd4j's {@code softmax_cross_entropy_loss} op where
     * the arrays do not allow that), and the gradient as {@code p - y}, as ND4J's {@code LossMCXENT} computes it
     * (where {@code LossMCXENT} runs about eight ops and allocates); they agree to float rounding, except that
     * {@code LossMCXENT} clips {@code p} at 1e-10 and the logits' form needs no clip.
     */
    SOFTMAX_CROSS_ENTROPY("categorical_crossentropy", Activation.SOFTMAX),
    /**
     * Keras {@code binary_crossentropy}: the mean over output columns of {@code -(y log p + (1 - y) log(1 - p))},
     * labels in [0, 1]. Needs a {@link Activation#SIGMOID} output layer. ND4J {@code LossBinaryXENT}, which sums over
     * the columns, divided by the number of columns.
     */
    BINARY_CROSS_ENTROPY("binary_crossentropy", Activation.SIGMOID),
    /** Keras {@code mean_squared_error}: the mean over output columns of {@code (y - p)^2}. ND4J {@code LossMSE}. */
    MSE("mean_squared_error", null),
    /**
     * Keras {@code mean_absolute_error}: the mean over output columns of {@code |y - p|}. ND4J {@code LossL1} (the sum
     * over columns) divided by the number of columns: ND4J 1.0.0-M2.1's {@code LossMAE} reports the sum as its score
     * but the mean's gradient, so its score and gradient disagree.
     */
    MAE("mean_absolute_error", null);

    private final String kerasName;
    private final Activation requiredOutput;

    Loss(String kerasName, Activation requiredOutput) {
        this.kerasName = kerasName;
        this.requiredOutput = requiredOutput;
    }

    /** The Keras name of this loss. */
    public String kerasName() {
        return kerasName;
    }

    /** The output activation this loss needs, or {@code null} if any will do. */
    public Activation requiredOutput() {
        return requiredOutput;
    }

    /** A new ND4J loss function for this loss. */
    ILossFunction toNd4j() {
        return switch (this) {
            case SOFTMAX_CROSS_ENTROPY -> new LossMCXENT();
            case BINARY_CROSS_ENTROPY -> new LossBinaryXENT();
            case MSE -> new LossMSE();
            case MAE -> new LossL1();
        };
    }

    /**
     * Factor that turns ND4J's per-example score (and gradient) into Keras's: ND4J's binary cross-entropy and L1
     * sum over the output columns where Keras averages.
     */
    double perExampleScale(int outputWidth) {
        return this == BINARY_CROSS_ENTROPY || this == MAE ? 1.0 / outputWidth : 1.0;
    }
}
