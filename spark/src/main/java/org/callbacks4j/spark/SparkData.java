package org.callbacks4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.callbacks4j.data.Dataset;

/** Spark data sets of {@link Example}s: from a local {@link Dataset}, or from a DataFrame's columns. */
public final class SparkData {

    private SparkData() {}

    /**
     * The rows of {@code data} as an RDD of {@code partitions} partitions of consecutive rows (partition 0 holds the
     * first rows), in row order.
     */
    public static JavaRDD<Example> parallelize(JavaSparkContext sc, Dataset data, int partitions) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(data, "data is null; pass a Dataset");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions " + partitions + " must be at least 1");
        }
        float[][] x = data.features().toFloatMatrix();
        float[][] y = data.labels().toFloatMatrix();
        List<Example> rows = new ArrayList<>(x.length);
        for (int i = 0; i < x.length; i++) {
            rows.add(new Example(x[i], y[i]));
        }
        return sc.parallelize(rows, partitions);
    }

    /**
     * The rows of {@code df} as examples: features from the array column {@code featuresColumn} (numbers of any type),
     * labels from {@code labelColumn}: an array column as it is, or, with {@code numClasses > 0}, an integer class
     * index turned into a one-hot row of {@code numClasses}.
     *
     * @throws IllegalArgumentException if a column is missing (when the RDD is built)
     */
    public static JavaRDD<Example> fromDataFrame(org.apache.spark.sql.Dataset<Row> df, String featuresColumn,
            String labelColumn, int numClasses) {
        Objects.requireNonNull(df, "df");
        List<String> columns = List.of(df.columns());
        for (String c : new String[] {featuresColumn, labelColumn}) {
            if (!columns.contains(c)) {
                throw new IllegalArgumentException("the DataFrame has no column \"" + c + "\"; its columns are "
                        + columns);
            }
        }
        int fi = columns.indexOf(featuresColumn);
        int li = columns.indexOf(labelColumn);
        return df.javaRDD().map(row -> {
            float[] features = floats(row.getList(fi));
            float[] labels;
            if (numClasses > 0) {
                int k = ((Number) row.get(li)).intValue();
                if (k < 0 || k >= numClasses) {
                    throw new IllegalArgumentException("class " + k + " in column \"" + labelColumn + "\" is outside "
                            + "[0, " + numClasses + "); pass the number of classes");
                }
                labels = new float[numClasses];
                labels[k] = 1f;
            } else {
                labels = floats(row.getList(li));
            }
            return new Example(features, labels);
        });
    }

    private static float[] floats(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }
}
