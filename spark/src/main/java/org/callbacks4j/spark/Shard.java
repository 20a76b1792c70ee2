package org.callbacks4j.spark;

import java.io.Serializable;
import java.util.Iterator;

/**
 * The examples of one partition as two row-major float arrays, built once per fit and cached by Spark, so that every
 * synchronisation round reads its batches from memory instead of re-reading the source.
 */
final class Shard implements Serializable {

    private static final long serialVersionUID = 1L;

    final int rows;
    final int featureWidth;
    final int labelWidth;
    final float[] x;
    final float[] y;
    /** Why the partition cannot be trained on (a row of the wrong width), or null. */
    final String problem;

    private Shard(int rows, int featureWidth, int labelWidth, float[] x, float[] y, String problem) {
        this.rows = rows;
        this.featureWidth = featureWidth;
        this.labelWidth = labelWidth;
        this.x = x;
        this.y = y;
        this.problem = problem;
    }

    /** The examples of partition {@code partition}, which must have the model's widths. */
    static Shard of(int partition, Iterator<Example> examples, int featureWidth, int labelWidth) {
        float[] x = new float[1024 * featureWidth];
        float[] y = new float[1024 * labelWidth];
        int rows = 0;
        while (examples.hasNext()) {
            Example e = examples.next();
            if (e.features().length != featureWidth || e.labels().length != labelWidth) {
                String what = e.features().length != featureWidth
                        ? "has " + e.features().length + " features but the model takes " + featureWidth + " inputs"
                        : "has " + e.labels().length + " label values but the model has " + labelWidth + " outputs";
                return new Shard(0, featureWidth, labelWidth, new float[0], new float[0],
                        "row " + rows + " of partition " + partition + " " + what);
            }
            if ((rows + 1) * featureWidth > x.length) {
                x = java.util.Arrays.copyOf(x, x.length * 2);
            }
            if ((rows + 1) * labelWidth > y.length) {
                y = java.util.Arrays.copyOf(y, y.length * 2);
            }
            System.arraycopy(e.features(), 0, x, rows * featureWidth, featureWidth);
            System.arraycopy(e.labels(), 0, y, rows * labelWidth, labelWidth);
            rows++;
        }
        return new Shard(rows, featureWidth, labelWidth, java.util.Arrays.copyOf(x, rows * featureWidth),
                java.util.Arrays.copyOf(y, rows * labelWidth), null);
    }
}
