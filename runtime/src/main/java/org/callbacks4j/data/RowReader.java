package org.callbacks4j.data;

import java.io.Closeable;
import java.io.IOException;
import java.nio.FloatBuffer;

/**
 * Reads the rows of a {@link BatchSource}: in file order ({@link #next}), and by index when the source allows it
 * ({@link #randomAccess()}). Both write a row's features and labels at the buffers' positions and advance them.
 * A reader throws {@link BadDataException} for a row it cannot represent (a class label out of range, a field that is
 * not a number), naming the file and row.
 */
public interface RowReader extends Closeable {

    /** Whether {@link #read(int, FloatBuffer, FloatBuffer)} works. */
    boolean randomAccess();

    /** Row {@code row}'s features into {@code x} and labels into {@code y}; random-access readers only. */
    default void read(int row, FloatBuffer x, FloatBuffer y) throws IOException {
        throw new UnsupportedOperationException("this reader reads rows in order only");
    }

    /** The next row in file order into {@code x} and {@code y}; false after the last row. */
    boolean next(FloatBuffer x, FloatBuffer y) throws IOException;

    /** Back to the first row for {@link #next}. */
    void rewind() throws IOException;

    @Override
    default void close() throws IOException {}
}
