package org.callbacks4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * IDX files, the format of MNIST, Fashion-MNIST, EMNIST and KMNIST: a features file (images {@code [n, 28, 28]} become
 * rows of 784 values) and a labels file, each gzipped or not. Immutable.
 *
 * <pre>{@code
 * BatchSource train = IdxSource.classification(
 *         dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"), 10)
 *     .scale(1 / 255f);
 * }</pre>
 *
 * <p>Uncompressed files are memory-mapped and shuffled by a permutation of all rows (random access; the heap holds no
 * rows); gzipped files are read in order each epoch, through a shuffle buffer of {@link #shuffleBuffer()} rows.
 */
public final class IdxSource extends ArrayFileSource {

    private IdxSource(ArrayRows rows, int shuffleBuffer) {
        super(rows, shuffleBuffer);
    }

    /**
     * Features and class labels: {@code labels} is a vector of class indices in {@code [0, classes)}, each becoming a
     * one-hot row of {@code classes} values.
     *
     * @throws IOException if a file cannot be read
     * @throws BadDataException if a file is not IDX, is truncated, or the row counts differ
     */
    public static IdxSource classification(Path features, Path labels, int classes) throws IOException {
        int k = checkClasses(classes, "10 for MNIST");
        return new IdxSource(new ArrayRows(ArrayFile.idx(req(features, "features")), ArrayFile.idx(req(labels,
                "labels")), k, 1f), DEFAULT_SHUFFLE_BUFFER);
    }

    /** Features and label values: each row of {@code labels} is used as it is (regression, multi-label). */
    public static IdxSource of(Path features, Path labels) throws IOException {
        return new IdxSource(new ArrayRows(ArrayFile.idx(req(features, "features")), ArrayFile.idx(req(labels,
                "labels")), 0, 1f), DEFAULT_SHUFFLE_BUFFER);
    }

    /** Multiplies every feature by {@code scale} as it is read, e.g. {@code 1 / 255f} for pixels in [0, 1]. */
    public IdxSource scale(float scale) {
        return new IdxSource(scaledRows(scale), shuffleBuffer());
    }

    /** The shuffle-buffer size for gzipped files (default {@value BatchSource#DEFAULT_SHUFFLE_BUFFER} rows). */
    public IdxSource shuffleBuffer(int rows) {
        return new IdxSource(this.rows, checkBuffer(rows));
    }
}
