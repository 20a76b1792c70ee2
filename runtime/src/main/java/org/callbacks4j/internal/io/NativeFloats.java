package org.callbacks4j.internal.io;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ND4J arrays' values as Java floats, in C order, without going through {@code toFloatVector()}'s intermediate array:
 * checkpoints, backups and the Adam step copy parameters and optimizer state this way (a 784-512-256-10 checkpoint's
 * snapshot took 29 to 34 ms on the training thread with two copies, 2.6 ms with one).
 */
public final class NativeFloats {

    private NativeFloats() {}

    /**
     * The native memory of {@code array} as a float buffer of its {@code length()} values in C order, or null if the
     * array is not dense float32 in C order (a view with strides, another data type).
     */
    public static FloatBuffer view(INDArray array) {
        long n = array.length();
        if (n == 0 || n > Integer.MAX_VALUE || array.dataType() != DataType.FLOAT || array.ordering() != 'c'
                || array.elementWiseStride() != 1) {
            return null;
        }
        return array.data().asNioFloat().slice((int) array.offset(), (int) n);
    }

    /**
     * The native memory of a {@code [rows, 1]} float32 column, or null if its values are not contiguous. ND4J flags a
     * row-interval view of a column as 'f' ordered, which {@link #view} refuses although its values are contiguous:
     * the trainer's loss and metric columns are such views.
     */
    public static FloatBuffer column(INDArray array) {
        if (array.dataType() != DataType.FLOAT || array.rank() != 2 || array.size(1) != 1
                || array.elementWiseStride() != 1 || array.length() > Integer.MAX_VALUE) {
            return null;
        }
        return array.data().asNioFloat().slice((int) array.offset(), (int) array.length());
    }

    /** Puts the values of {@code array} (any shape and type, read in C order as float32) into {@code target}. */
    public static void copy(INDArray array, FloatBuffer target) {
        long n = array.length();
        if (n == 0) {
            return;
        }
        FloatBuffer direct = view(array);
        if (direct != null) {
            target.put(direct);
        } else {
            INDArray source = array.dataType() == DataType.FLOAT ? array : array.castTo(DataType.FLOAT);
            target.put(source.reshape('c', new long[] {n}).toFloatVector());
        }
    }
}
