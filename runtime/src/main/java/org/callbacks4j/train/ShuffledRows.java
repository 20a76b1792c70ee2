package org.callbacks4j.train;

import java.nio.FloatBuffer;
import org.callbacks4j.data.BatchStream;
import org.callbacks4j.internal.io.NativeFloats;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training rows of an in-memory fit in each epoch's shuffled order: rows {@code [0, rows)} of the source features
 * and labels, batch by batch.
 *
 * <p>Each batch's rows are gathered right before that batch trains ({@link #gather}), a row at a time, straight from
 * the source's native memory into one batch-sized buffer that every batch of its size reuses: the shuffled set is
 * never copied whole. A copy of the whole set in its new order (ND4J's {@code pullRows} at each epoch's start, or a
 * whole-set array filled batch by batch) doubled the training set's memory (188 MB for Fashion-MNIST) and took 0.6 s
 * to allocate and touch at the start of every fit (BENCHMARKS.md, "2026-12-05"); the buffer stays in cache, so the
 * first layer's product reads the batch from there. A source that Java cannot address as one float buffer (not dense
 * float32 in C order, or over 2^31 values) is gathered by ND4J's {@code pullRows} instead, batch by batch. Either way
 * the rows and their order are the same.
 */
final class ShuffledRows {

    private final int rows;
    private final int batchSize;
    private final int width;
    private final int labelWidth;
    private final int[] order;
    private final INDArray sourceX;
    private final INDArray sourceY;
    // The sources' memory, or null: then ND4J's pullRows gathers each batch (Buffer.indexes).
    private final FloatBuffer sourceXFloats;
    private final FloatBuffer sourceYFloats;
    // The buffer of the full batches and the shorter last batch's (null if the rows divide into full batches).
    private final Buffer full;
    private final Buffer last;
    // The sum of the values gather reads ahead: kept so that the JIT cannot drop those reads.
    @SuppressWarnings("unused")
    private float touched;

    /** One batch size's features and labels, their memory as float buffers, and the source rows of its batch. */
    private static final class Buffer {
        final INDArray x;
        final INDArray y;
        final FloatBuffer xFloats;
        final FloatBuffer yFloats;
        final int[] indexes;

        Buffer(int rows, int width, int labelWidth) {
            x = Nd4j.create(DataType.FLOAT, rows, width);
            y = Nd4j.create(DataType.FLOAT, rows, labelWidth);
            xFloats = NativeFloats.view(x);
            yFloats = NativeFloats.view(y);
            indexes = new int[rows];
        }
    }

    ShuffledRows(INDArray sourceX, INDArray sourceY, int rows, int batchSize) {
        this.rows = rows;
        this.batchSize = batchSize;
        this.width = (int) sourceX.size(1);
        this.labelWidth = (int) sourceY.size(1);
        this.order = new int[rows];
        this.sourceX = sourceX;
        this.sourceY = sourceY;
        FloatBuffer sx = NativeFloats.view(sourceX);
        FloatBuffer sy = NativeFloats.view(sourceY);
        boolean direct = sx != null && sy != null;
        this.sourceXFloats = direct ? sx : null;
        this.sourceYFloats = direct ? sy : null;
        this.full = new Buffer(Math.min(rows, batchSize), width, labelWidth);
        this.last = rows > batchSize && rows % batchSize > 0 ? new Buffer(rows % batchSize, width, labelWidth) : null;
    }

    /** Batch {@code b}'s features, {@code [batch rows, width]}: its rows once {@link #gather}ed, until the next one. */
    INDArray features(int b) {
        return buffer(b).x;
    }

    /** Batch {@code b}'s labels, as {@link #features}. */
    INDArray labels(int b) {
        return buffer(b).y;
    }

    private Buffer buffer(int b) {
        return last != null && (long) (b + 1) * batchSize > rows ? last : full;
    }

    /** Draws epoch {@code epoch}'s order, which depends only on {@code seed} and the epoch. */
    void shuffle(long seed, int epoch) {
        BatchStream.permutation(order, true, seed, epoch);
    }

    /** Gathers the rows of batch {@code b} of this epoch's order into its {@link #features} and {@link #labels}. */
    void gather(int b) {
        Buffer buffer = buffer(b);
        int from = b * batchSize;
        int count = buffer.indexes.length;
        if (sourceXFloats == null) {
            System.arraycopy(order, from, buffer.indexes, 0, count);
            Nd4j.pullRows(sourceX, buffer.x, 1, buffer.indexes);
            Nd4j.pullRows(sourceY, buffer.y, 1, buffer.indexes);
            return;
        }
        // Read each row's first and last value before copying any: these reads do not depend on one another, so the
        // CPU takes the rows' cache and TLB misses side by side rather than one row at a time inside the copies
        // (BENCHMARKS.md, "2026-12-06": 42 against 71 us for a batch of 128 random rows of 784).
        float touched = 0;
        for (int i = 0; i < count; i++) {
            int row = order[from + i];
            touched += sourceXFloats.get(row * width) + sourceXFloats.get(row * width + width - 1)
                    + sourceYFloats.get(row * labelWidth);
        }
        this.touched = touched;
        for (int i = 0; i < count; i++) {
            int row = order[from + i];
            buffer.xFloats.put(i * width, sourceXFloats, row * width, width);
            buffer.yFloats.put(i * labelWidth, sourceYFloats, row * labelWidth, labelWidth);
        }
    }
}
