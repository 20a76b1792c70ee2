package org.callbacks4j.data;

import java.io.IOException;

/**
 * Training or validation data the trainer pulls batches from: rows of float32 features and labels, read through a
 * {@link RowReader}. The adapters: {@link Dataset} (in memory, zero-copy), {@link IdxSource} (MNIST-family IDX files,
 * gzipped or not), {@link NpySource} (NumPy {@code .npy}), {@link CsvSource} and {@link IteratorSource} (an ND4J
 * {@code DataSetIterator}). Files are read while training, one batch ahead on a background thread, so a file larger
 * than the heap trains with a bounded heap.
 *
 * <p>Every row has {@link #featureWidth()} features (flat, C order; a model built with
 * {@code Sequential.input(height, width, channels)} reads a row as a channels-last image) and
 * {@link #labelWidth()} label values (one-hot rows for class labels). Before training, the trainer reads every row
 * once to check it (widths, labels in range, no NaN or infinity) and to fingerprint the data for backups.
 *
 * <p>How a source is shuffled each epoch depends on {@link RowReader#randomAccess()}: a random-access reader (a
 * memory-mapped uncompressed file, or memory) is read in a permutation of all rows drawn from the fit's seed and the
 * epoch, exactly as an in-memory {@code Dataset}; a sequential one (gzip, CSV, an iterator) passes through a shuffle
 * buffer of {@link #shuffleBuffer()} rows, as {@code tf.data.Dataset.shuffle}.
 */
public interface BatchSource {

    /** The default shuffle-buffer size of sequential sources, in rows. */
    int DEFAULT_SHUFFLE_BUFFER = 4096;

    /** The number of rows. */
    int size();

    /** Features per row. */
    int featureWidth();

    /** Label values per row (the number of classes for one-hot labels). */
    int labelWidth();

    /**
     * One line naming the source for messages and backups: the kind, the file(s), rows and widths, and any setting
     * that changes the values (scale, classes). Two sources with the same description and the same values train the
     * same.
     */
    String describe();

    /** A new reader over the rows. Each reader is used by one thread; close it after use. */
    RowReader open() throws IOException;

    /** Rows a sequential source holds in its shuffle buffer (ignored by random-access sources). */
    default int shuffleBuffer() {
        return DEFAULT_SHUFFLE_BUFFER;
    }
}
