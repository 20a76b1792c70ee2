package org.callbacks4j.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * One training example of a Spark data set: its features and its label row (one-hot for classification), float32 as
 * the trainer computes. Build an RDD of them directly, from a {@code Dataset} ({@link SparkData#parallelize}) or from a
 * DataFrame ({@link SparkData#fromDataFrame}).
 *
 * @param features the model's inputs, {@code Sequential.inputWidth()} values
 * @param labels the expected outputs, {@code Sequential.outputWidth()} values
 */
public record Example(float[] features, float[] labels) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks that both arrays are present. */
    public Example {
        Objects.requireNonNull(features, "features is null; pass the example's input values");
        Objects.requireNonNull(labels, "labels is null; pass the example's label row (one-hot for classes)");
    }
}
