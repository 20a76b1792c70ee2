package org.callbacks4j.train;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The built-in metrics, by Keras name. */
enum BuiltInMetric {
    /**
     * Keras {@code "accuracy"}: categorical accuracy (argmax of the output equals argmax of the label row), or binary
     * accuracy (output {@code > 0.5} equals the label, averaged over columns) for a single output column or
     * {@link Loss#BINARY_CROSS_ENTROPY}, as Keras picks between them.
     */
    ACCURACY("accuracy"),
    /** Keras {@code "mse"}: mean over columns of {@code (y - p)^2}, on the activated output. */
    MSE("mse"),
    /** Keras {@code "mae"}: mean over columns of {@code |y - p|}, on the activated output. */
    MAE("mae");

    private final String kerasName;

    BuiltInMetric(String kerasName) {
        this.kerasName = kerasName;
    }

    String kerasName() {
        return kerasName;
    }

    static BuiltInMetric byName(String name) {
        for (BuiltInMetric m : values()) {
            if (m.kerasName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown metric \"" + name + "\"; the known metrics are " + knownNames());
    }

    static String knownNames() {
        return Arrays.stream(values()).map(m -> "\"" + m.kerasName + "\"").collect(Collectors.joining(", "));
    }
}
