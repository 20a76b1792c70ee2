package org.callbacks4j.train;

import java.nio.FloatBuffer;
import org.callbacks4j.data.BatchStream;
import org.callbacks4j.internal.io.NativeFloats;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training rows of an in-memory fit in each epoch's shuffled order: rows {@code [0, rows)} of the source features
 * and labels, gathered into arrays of their own whose consecutive batch views the trainer runs.
 *
 * <p>Each batch's rows are gathered right before that batch trains ({@link #gather}), a row at a time, straight from
 * the source's native memory: the batch is then in cache when the first layer's product reads it, where one copy of
 * the whole set at the epoch's start (ND4J's {@code pullRows}, 22 ms per Fashion-MNIST epoch) left every batch to be
 * read from memory again (BENCHMARKS.md, "2026-12-05"). Arrays whose memory is not dense float32 in C order take that
 * whole copy instead. Either way the rows and their order are the same.
 */
final class ShuffledRows {

    private final INDArray sourceX;
    private final INDArray sourceY;
    private final INDArray x;
    private final INDArray y;
    private final int[] order;
    private final int width;
    private final int labelWidth;
    private final FloatBuffer sourceXFloats;
    private final FloatBuffer sourceYFloats;
    private final FloatBuffer xFloats;
    private final FloatBuffer yFloats;

    ShuffledRows(INDArray sourceX, INDArray sourceY, int rows) {
        this.sourceX = sourceX;
        this.sourceY = sourceY;
        this.width = (int) sourceX.size(1);
        this.labelWidth = (int) sourceY.size(1);
        this.x = Nd4j.create(DataType.FLOAT, rows, width);
        this.y = Nd4j.create(DataType.FLOAT, rows, labelWidth);
        this.order = new int[rows];
        FloatBuffer sx = NativeFloats.view(sourceX);
        FloatBuffer sy = NativeFloats.view(sourceY);
        boolean direct = sx != null && sy != null;
        this.sourceXFloats = direct ? sx : null;
        this.sourceYFloats = direct ? sy : null;
        this.xFloats = direct ? NativeFloats.view(x) : null;
        this.yFloats = direct ? NativeFloats.view(y) : null;
    }

    /** The shuffled features, {@code [rows, width]}; a batch's view holds its rows once {@link #gather}ed. */
    INDArray features() {
        return x;
    }

    /** The shuffled labels. */
    INDArray labels() {
        return y;
    }

    /** Draws epoch {@code epoch}'s order, which depends only on {@code seed} and the epoch. */
    void shuffle(long seed, int epoch) {
        BatchStream.permutation(order, true, seed, epoch);
        if (sourceXFloats == null) {
            Nd4j.pullRows(sourceX, x, 1, order);
            Nd4j.pullRows(sourceY, y, 1, order);
        }
    }

    /** Gathers the rows of positions {@code [from, to)} of this epoch's order into those rows of the arrays. */
    void gather(int from, int to) {
        if (sourceXFloats == null) {
            return; // gathered whole by shuffle
        }
        for (int i = from; i < to; i++) {
            int row = order[i];
            xFloats.put(i * width, sourceXFloats, row * width, width);
            yFloats.put(i * labelWidth, sourceYFloats, row * labelWidth, labelWidth);
        }
    }
}
