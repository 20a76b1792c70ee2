package org.callbacks4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * NumPy {@code .npy} files (written by {@code numpy.save}, C order; gzipped or not): a features array
 * {@code [n, ...]} (trailing dimensions flattened: {@code [n, 28, 28]} gives rows of 784) of float32, float64, uint8,
 * int8/16/32/64, and a labels array: class indices {@code [n]} with {@link #classification}, or label rows
 * {@code [n, k]} with {@link #of}. Immutable.
 *
 * <pre>{@code
 * BatchSource train = NpySource.classification(Path.of("x_train.npy"), Path.of("y_train.npy"), 10).scale(1 / 255f);
 * }</pre>
 *
 * <p>Uncompressed files are memory-mapped and shuffled by a permutation of all rows (random access; the heap holds no
 * rows); gzipped files are read in order each epoch, through a shuffle buffer of {@link #shuffleBuffer()} rows.
 */
public final class NpySource extends ArrayFileSource {

    private NpySource(ArrayRows rows, int shuffleBuffer) {
        super(rows, shuffleBuffer);
    }

    /**
     * Features and class labels: {@code labels} is a vector of class indices in {@code [0, classes)}, each becoming a
     * one-hot row of {@code classes} values.
     *
     * @throws IOException if a file cannot be read
     * @throws BadDataException if a file is not a .npy file, is truncated, or the row counts differ
     */
    public static NpySource classification(Path features, Path labels, int classes) throws IOException {
        int k = checkClasses(classes, "10 for digits");
        return new NpySource(new ArrayRows(ArrayFile.npy(req(features, "features")), ArrayFile.npy(req(labels,
                "labels")), k, 1f), DEFAULT_SHUFFLE_BUFFER);
    }

    /** Features and label values: each row of {@code labels} is used as it is (regression, multi-label). */
    public static NpySource of(Path features, Path labels) throws IOException {
        return new NpySource(new ArrayRows(ArrayFile.npy(req(features, "features")), ArrayFile.npy(req(labels,
                "labels")), 0, 1f), DEFAULT_SHUFFLE_BUFFER);
    }

    /** Multiplies every feature by {@code scale} as it is read, e.g. {@code 1 / 255f} for pixels in [0, 1]. */
    public NpySource scale(float scale) {
        return new NpySource(scaledRows(scale), shuffleBuffer());
    }

    /** The shuffle-buffer size for gzipped files (default {@value BatchSource#DEFAULT_SHUFFLE_BUFFER} rows). */
    public NpySource shuffleBuffer(int rows) {
        return new NpySource(this.rows, checkBuffer(rows));
    }
}
