package org.callbacks4j.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Rows of a features file and a labels file ({@link ArrayFile}), the reading behind {@link IdxSource} and
 * {@link NpySource}. Uncompressed files are memory-mapped (random access: the OS pages rows in and out, the heap holds
 * none); gzipped files are read in order through a 64 KiB buffer.
 */
final class ArrayRows {

    /** Rows per mapped region: whole rows, at most 1 GiB, so files of any size map. */
    private static final int REGION_BYTES = 1 << 30;

    final ArrayFile features;
    final ArrayFile labels;
    final int classes; // > 0: labels are class indices, one-hot encoded; 0: labels are values
    final float scale;

    ArrayRows(ArrayFile features, ArrayFile labels, int classes, float scale) {
        this.features = features;
        this.labels = labels;
        this.classes = classes;
        this.scale = scale;
        if (features.rows() != labels.rows()) {
            throw new BadDataException(features.describe() + " has " + features.rows() + " rows but "
                    + labels.describe() + " has " + labels.rows() + "; pass the labels file of these features", -1);
        }
        if (classes > 0 && labels.width() != 1) {
            throw new BadDataException(labels.describe() + " has " + labels.width() + " values per row, so it is not "
                    + "a vector of class indices; leave out the number of classes to use its rows as label values", -1);
        }
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale " + scale + " must be positive and finite; pass e.g. 1/255f");
        }
    }

    int size() {
        return features.rows();
    }

    int featureWidth() {
        return features.width();
    }

    int labelWidth() {
        return classes > 0 ? classes : labels.width();
    }

    String describe() {
        return "features " + features.describe() + (scale != 1f ? " x " + scale : "") + "; labels "
                + labels.describe() + (classes > 0 ? " as " + classes + " classes" : "");
    }

    RowReader open() throws IOException {
        return features.gzip() || labels.gzip() ? new Sequential() : new Mapped();
    }

    /** One label (the element at {@code base}) as a one-hot row, or the label values, into {@code y}. */
    private void putLabel(ByteBuffer b, FloatBuffer floats, int base, int row, FloatBuffer y) {
        if (classes == 0) {
            labels.type().decode(b, floats, base, labels.width(), 1f, y);
            return;
        }
        double v = labels.type().get(b, base, 0);
        if (!(v >= 0 && v < classes && v == Math.rint(v))) {
            throw new BadDataException(labels.describe() + ": the label of row " + row + " is " + v + ", outside the "
                    + classes + " classes [0, " + classes + "); pass the right number of classes (at least "
                    + (v >= 0 && v == Math.rint(v) ? (long) v + 1 : classes) + ") or fix that label", row);
        }
        int p = y.position();
        for (int k = 0; k < classes; k++) {
            y.put(p + k, 0f);
        }
        y.put(p + (int) v, 1f);
        y.position(p + classes);
    }

    /** Memory-mapped regions of whole rows of one file. */
    private static final class Regions {
        final ArrayFile file;
        final int rowsPerRegion;
        final ByteBuffer[] buffers;
        final FloatBuffer[] floats;

        Regions(ArrayFile file) throws IOException {
            this.file = file;
            int rowBytes = Math.max(1, file.rowBytes());
            this.rowsPerRegion = Math.max(1, REGION_BYTES / rowBytes);
            int count = Math.max(1, (file.rows() + rowsPerRegion - 1) / rowsPerRegion);
            buffers = new ByteBuffer[count];
            floats = new FloatBuffer[count];
            try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
                for (int r = 0; r < count; r++) {
                    long first = (long) r * rowsPerRegion;
                    long rows = Math.min(rowsPerRegion, file.rows() - first);
                    MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY,
                            file.dataOffset() + first * rowBytes, Math.max(0, rows * file.rowBytes()));
                    buffers[r] = map.order(file.order());
                    floats[r] = file.type().floatView(buffers[r]);
                }
            }
        }
    }

    private final class Mapped implements RowReader {
        private final Regions x;
        private final Regions y;
        private final Elements.Scratch scratch = new Elements.Scratch(features.width());
        private int next;

        Mapped() throws IOException {
            x = new Regions(features);
            y = new Regions(labels);
        }

        @Override
        public boolean randomAccess() {
            return true;
        }

        @Override
        public void read(int row, FloatBuffer xOut, FloatBuffer yOut) {
            int xr = row / x.rowsPerRegion;
            features.type().decode(x.buffers[xr], x.floats[xr], (row - xr * x.rowsPerRegion) * features.rowBytes(),
                    features.width(), scale, xOut, scratch);
            int yr = row / y.rowsPerRegion;
            putLabel(y.buffers[yr], y.floats[yr], (row - yr * y.rowsPerRegion) * labels.rowBytes(), row, yOut);
        }

        @Override
        public boolean next(FloatBuffer xOut, FloatBuffer yOut) {
            if (next >= features.rows()) {
                return false;
            }
            read(next++, xOut, yOut);
            return true;
        }

        @Override
        public void rewind() {
            next = 0;
        }
    }

    /** Gzipped files: read in order, one row at a time through a buffer. */
    private final class Sequential implements RowReader {
        private final ByteBuffer xRow = ByteBuffer.allocate(features.rowBytes()).order(features.order());
        private final ByteBuffer yRow = ByteBuffer.allocate(labels.rowBytes()).order(labels.order());
        private final FloatBuffer xFloats = features.type().floatView(xRow);
        private final FloatBuffer yFloats = labels.type().floatView(yRow);
        private final Elements.Scratch scratch = new Elements.Scratch(features.width());
        private DataInputStream xIn;
        private DataInputStream yIn;
        private int next;

        Sequential() throws IOException {
            rewind();
        }

        @Override
        public boolean randomAccess() {
            return false;
        }

        @Override
        public boolean next(FloatBuffer xOut, FloatBuffer yOut) throws IOException {
            if (next >= features.rows()) {
                return false;
            }
            readRow(xIn, xRow, features);
            readRow(yIn, yRow, labels);
            features.type().decode(xRow, xFloats, 0, features.width(), scale, xOut, scratch);
            putLabel(yRow, yFloats, 0, next, yOut);
            next++;
            return true;
        }

        private void readRow(DataInputStream in, ByteBuffer row, ArrayFile file) throws IOException {
            try {
                in.readFully(row.array(), 0, row.capacity());
            } catch (EOFException e) {
                throw new BadDataException(file.describe() + " ends in row " + next + " but its header announces "
                        + file.rows() + " rows; the file is truncated, download or write it again", next);
            }
        }

        @Override
        public void rewind() throws IOException {
            close();
            xIn = features.openData();
            yIn = labels.openData();
            next = 0;
        }

        @Override
        public void close() throws IOException {
            try {
                if (xIn != null) {
                    xIn.close();
                }
            } finally {
                if (yIn != null) {
                    yIn.close();
                }
                xIn = null;
                yIn = null;
            }
        }
    }
}
