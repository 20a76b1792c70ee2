package org.callbacks4j.data;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * An ND4J {@link DataSetIterator} (DL4J's iterators, DataVec record readers, your own) as a source: its data sets are
 * re-batched to the fit's batch size, features flattened per row in C order (DL4J's image iterators hold
 * {@code [n, c, h, w]}: rows fit a one-channel {@code Sequential.input(h, w, 1)}; permute several channels to
 * {@code [n, h, w, c]} in a pre-processor), labels used as they are. The iterator's pre-processor applies. Not
 * thread-safe: train with one iterator per source, and a different one for validation.
 *
 * <p>Read in order each epoch ({@code reset()}, so the iterator must support it) and shuffled through a buffer of
 * {@link #shuffleBuffer()} rows. The iterator is walked once when the source is made, to count its rows.
 */
public final class IteratorSource implements BatchSource {

    private final DataSetIterator iterator;
    private final int shuffleBuffer;
    private final int rows;
    private final int featureWidth;
    private final int labelWidth;

    private IteratorSource(DataSetIterator iterator, int shuffleBuffer, int rows, int featureWidth, int labelWidth) {
        this.iterator = iterator;
        this.shuffleBuffer = shuffleBuffer;
        this.rows = rows;
        this.featureWidth = featureWidth;
        this.labelWidth = labelWidth;
    }

    /**
     * The rows of {@code iterator}, counted now (one pass).
     *
     * @throws IllegalArgumentException if it cannot reset, is empty, or its data sets differ in width
     */
    public static IteratorSource of(DataSetIterator iterator) {
        Objects.requireNonNull(iterator, "iterator is null; pass a DataSetIterator");
        if (!iterator.resetSupported()) {
            throw new IllegalArgumentException(iterator.getClass().getName() + " does not support reset(), which "
                    + "each epoch needs; wrap it or load its data into a Dataset");
        }
        iterator.reset();
        long count = 0;
        int fw = -1;
        int lw = -1;
        int batch = 0;
        while (iterator.hasNext()) {
            DataSet ds = iterator.next();
            int n = (int) ds.getFeatures().size(0);
            int f = (int) (ds.getFeatures().length() / Math.max(1, n));
            int l = (int) (ds.getLabels().length() / Math.max(1, n));
            if (fw < 0) {
                fw = f;
                lw = l;
            } else if (f != fw || l != lw) {
                throw new BadDataException("DataSetIterator " + iterator.getClass().getName() + ": data set " + batch
                        + " has " + f + " features and " + l + " labels per row, the first had " + fw + " and " + lw
                        + "; pass an iterator whose data sets have one shape", count);
            }
            count += n;
            batch++;
        }
        iterator.reset();
        if (count == 0) {
            throw new BadDataException("DataSetIterator " + iterator.getClass().getName() + " returned no rows; pass "
                    + "an iterator with data", -1);
        }
        return new IteratorSource(iterator, DEFAULT_SHUFFLE_BUFFER, (int) count, fw, lw);
    }

    /** The shuffle-buffer size (default {@value BatchSource#DEFAULT_SHUFFLE_BUFFER} rows). */
    public IteratorSource shuffleBuffer(int rows) {
        return new IteratorSource(iterator, ArrayFileSource.checkBuffer(rows), this.rows, featureWidth, labelWidth);
    }

    @Override
    public int size() {
        return rows;
    }

    @Override
    public int featureWidth() {
        return featureWidth;
    }

    @Override
    public int labelWidth() {
        return labelWidth;
    }

    @Override
    public int shuffleBuffer() {
        return shuffleBuffer;
    }

    @Override
    public String describe() {
        return "IteratorSource(" + iterator.getClass().getName() + ", " + rows + " rows, " + featureWidth
                + " features, " + labelWidth + " labels)";
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public RowReader open() {
        return new Reader();
    }

    private final class Reader implements RowReader {
        // The arrays behind x and y: their native memory is freed when they are collected, so they are kept.
        private INDArray xArray;
        private INDArray yArray;
        private FloatBuffer x;
        private FloatBuffer y;
        private int inBatch;
        private int batchRows;
        private int row;

        Reader() {
            rewind();
        }

        @Override
        public boolean randomAccess() {
            return false;
        }

        @Override
        public boolean next(FloatBuffer xOut, FloatBuffer yOut) {
            while (inBatch >= batchRows) {
                if (!iterator.hasNext()) {
                    return false;
                }
                DataSet ds = iterator.next();
                batchRows = (int) ds.getFeatures().size(0);
                xArray = flat(ds.getFeatures(), batchRows, featureWidth, "features");
                yArray = flat(ds.getLabels(), batchRows, labelWidth, "labels");
                x = xArray.data().asNioFloat();
                y = yArray.data().asNioFloat();
                inBatch = 0;
            }
            xOut.put(xOut.position(), x, inBatch * featureWidth, featureWidth);
            xOut.position(xOut.position() + featureWidth);
            yOut.put(yOut.position(), y, inBatch * labelWidth, labelWidth);
            yOut.position(yOut.position() + labelWidth);
            inBatch++;
            row++;
            return true;
        }

        private INDArray flat(INDArray a, int n, int width, String what) {
            if (a.length() != (long) n * width) {
                throw new BadDataException("DataSetIterator " + iterator.getClass().getName() + ": a data set at row "
                        + row + " has " + a.length() / Math.max(1, n) + " " + what + " per row where the first had "
                        + width + "; pass an iterator whose data sets have one shape", row);
            }
            return a.castTo(DataType.FLOAT).dup('c');
        }

        @Override
        public void rewind() {
            iterator.reset();
            inBatch = 0;
            batchRows = 0;
            row = 0;
        }

        @Override
        public void close() throws IOException {}
    }
}
