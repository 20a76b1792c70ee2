package org.callbacks4j.data;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Features and labels for training or evaluation: two float32 matrices with one row per example (Keras's {@code x} and
 * {@code y}). Immutable by convention: the trainer never writes into them.
 *
 * <pre>{@code
 * Dataset train = Dataset.classification(pixels, digits, 10);   // one-hot labels
 * Dataset.Split parts = train.split(0.2);                      // last 20% held out, as Keras validation_split
 * }</pre>
 *
 * <p>As a {@link BatchSource} it is the in-memory one: the trainer takes its batches as views of its arrays (no copy)
 * and shuffles it by gathering its rows in a permutation drawn from the seed.
 */
public final class Dataset implements BatchSource {

    private final INDArray features;
    private final INDArray labels;

    private Dataset(INDArray features, INDArray labels) {
        this.features = features;
        this.labels = labels;
    }

    /**
     * A dataset over {@code features [n, featureWidth]} and {@code labels [n, labelWidth]}. Arrays that are not
     * float32 are converted; arrays that are views or not in C order are copied, so batches can be contiguous views.
     *
     * @throws IllegalArgumentException if either is not a matrix, or their row counts differ
     */
    public static Dataset of(INDArray features, INDArray labels) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        requireMatrix("features", features);
        requireMatrix("labels", labels);
        if (features.size(0) != labels.size(0)) {
            throw new IllegalArgumentException(
                    features.size(0) + " feature rows but " + labels.size(0) + " label rows; pass one label row per "
                            + "example");
        }
        return new Dataset(normalise(features), normalise(labels));
    }

    /** A dataset over row-major arrays: {@code x[i]} are the features and {@code y[i]} the labels of example i. */
    public static Dataset of(float[][] x, float[][] y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    x.length + " feature rows but " + y.length + " label rows; pass one label row per example");
        }
        return of(matrix("x", x), matrix("y", y));
    }

    /**
     * A classification dataset: {@code classes[i]} in {@code [0, numClasses)} becomes a one-hot label row (what
     * {@code SOFTMAX_CROSS_ENTROPY} expects, Keras {@code to_categorical}).
     *
     * @throws IllegalArgumentException if a class is out of range or the counts differ
     */
    public static Dataset classification(float[][] x, int[] classes, int numClasses) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(classes, "classes");
        if (numClasses < 1) {
            throw new IllegalArgumentException(
                    "numClasses " + numClasses + " must be at least 1; pass the number of distinct classes");
        }
        if (x.length != classes.length) {
            throw new IllegalArgumentException(
                    x.length + " feature rows but " + classes.length + " classes; pass one class per example");
        }
        float[][] y = new float[classes.length][numClasses];
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0 || classes[i] >= numClasses) {
                throw new IllegalArgumentException(
                        "class " + classes[i] + " of example " + i + " is outside [0, " + numClasses + "); pass "
                                + "class indices from 0 to numClasses - 1, or a larger numClasses");
            }
            y[i][classes[i]] = 1f;
        }
        return of(x, y);
    }

    /** Number of examples (rows). */
    @Override
    public int size() {
        return (int) features.size(0);
    }

    /** The features, {@code [size(), featureWidth()]}, float32. Do not modify. */
    public INDArray features() {
        return features;
    }

    /** The labels, {@code [size(), labelWidth()]}, float32. Do not modify. */
    public INDArray labels() {
        return labels;
    }

    @Override
    public int featureWidth() {
        return (int) features.size(1);
    }

    @Override
    public int labelWidth() {
        return (int) labels.size(1);
    }

    /**
     * Splits off the last {@code fraction} of the rows, as Keras's {@code validation_split}: the head keeps the first
     * {@code floor(size * (1 - fraction))} rows, the tail the rest. No shuffling happens first.
     *
     * @throws IllegalArgumentException if {@code fraction} is outside (0, 1) or either part would be empty
     */
    public Split split(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException(
                    "split fraction " + fraction + " is outside (0, 1); pass e.g. split(0.2) to hold out the last 20%");
        }
        int at = splitPoint(size(), fraction);
        if (at <= 0 || at >= size()) {
            throw new IllegalArgumentException(
                    "splitting " + size() + " rows at fraction " + fraction + " leaves " + at + " rows in the head and "
                            + (size() - at) + " in the tail; pass a fraction that leaves rows on both sides, or more data");
        }
        return new Split(rows(0, at), rows(at, size()));
    }

    /** Where Keras's {@code validation_split} cuts {@code size} rows: {@code int(size * (1 - fraction))}. */
    public static int splitPoint(int size, double fraction) {
        return (int) Math.floor(size * (1.0 - fraction));
    }

    /** The rows {@code [from, to)} as a new dataset (copied). */
    public Dataset rows(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") outside [0, " + size() + ")");
        }
        return new Dataset(
                features.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c'),
                labels.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c'));
    }

    /** A copy with the rows in an order drawn from {@code seed} (the same seed gives the same order). */
    public Dataset shuffled(long seed) {
        int[] order = permutation(size(), new SplittableRandom(seed));
        INDArray x = Nd4j.create(DataType.FLOAT, features.shape(), 'c');
        INDArray y = Nd4j.create(DataType.FLOAT, labels.shape(), 'c');
        Nd4j.pullRows(features, x, 1, order);
        Nd4j.pullRows(labels, y, 1, order);
        return new Dataset(x, y);
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates). */
    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    @Override
    public String describe() {
        return toString();
    }

    /** A random-access reader copying rows out of the arrays (the trainer uses views instead when it can). */
    @Override
    public RowReader open() {
        FloatBuffer xs = features.data().asNioFloat();
        FloatBuffer ys = labels.data().asNioFloat();
        int fw = featureWidth();
        int lw = labelWidth();
        return new RowReader() {
            private int next;

            @Override
            public boolean randomAccess() {
                return true;
            }

            @Override
            public void read(int row, FloatBuffer x, FloatBuffer y) {
                x.put(x.position(), xs, row * fw, fw).position(x.position() + fw);
                y.put(y.position(), ys, row * lw, lw).position(y.position() + lw);
            }

            @Override
            public boolean next(FloatBuffer x, FloatBuffer y) {
                if (next >= size()) {
                    return false;
                }
                read(next++, x, y);
                return true;
            }

            @Override
            public void rewind() {
                next = 0;
            }
        };
    }

    @Override
    public String toString() {
        return "Dataset(" + size() + " rows, " + featureWidth() + " features, " + labelWidth() + " label columns)";
    }

    private static void requireMatrix(String what, INDArray a) {
        if (a.rank() != 2) {
            throw new IllegalArgumentException(
                    what + " have shape " + Arrays.toString(a.shape()) + "; pass a matrix [rows, columns] (reshape a "
                            + "vector with reshape(n, 1))");
        }
    }

    private static INDArray normalise(INDArray a) {
        if (a.dataType() != DataType.FLOAT) {
            return a.castTo(DataType.FLOAT).dup('c');
        }
        return a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    }

    private static INDArray matrix(String what, float[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException(what + " has no rows; pass at least one example");
        }
        int width = rows[0].length;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != width) {
                throw new IllegalArgumentException(
                        what + "[" + i + "] has " + (rows[i] == null ? "no array" : rows[i].length + " values")
                                + " but " + what + "[0] has " + width + "; pass rows of equal width");
            }
        }
        if (width == 0) {
            throw new IllegalArgumentException(what + " rows are empty; pass at least one column");
        }
        return Nd4j.create(rows);
    }

    /** The two parts of {@link #split(double)}: the head (training) and the tail (validation). */
    public record Split(Dataset head, Dataset tail) {}
}
