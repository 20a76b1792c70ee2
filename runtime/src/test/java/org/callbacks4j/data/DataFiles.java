package org.callbacks4j.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/** Writes IDX and NumPy files for the tests, byte for byte as the formats define them. */
public final class DataFiles {

    private DataFiles() {}

    /** An IDX file of unsigned bytes with the given shape. */
    public static Path idxBytes(Path path, byte[] data, boolean gzip, int... shape) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + data.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x0800 | shape.length);
        for (int d : shape) {
            b.putInt(d);
        }
        b.put(data);
        return write(path, b.array(), gzip);
    }

    /** An IDX file of big-endian float32 with the given shape. */
    public static Path idxFloats(Path path, float[] data, boolean gzip, int... shape) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + 4 * data.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x0D00 | shape.length);
        for (int d : shape) {
            b.putInt(d);
        }
        for (float v : data) {
            b.putFloat(v);
        }
        return write(path, b.array(), gzip);
    }

    /** A .npy file (format 1.0) with dtype {@code descr} (e.g. {@code <f4}) holding {@code data}'s bytes. */
    public static Path npy(Path path, String descr, byte[] data, boolean gzip, long... shape) throws IOException {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        if (shape.length == 1) {
            dims += ",";
        }
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + dims + "), }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) h.length).put(h).put(data);
        return write(path, b.array(), gzip);
    }

    public static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    public static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        return b.array();
    }

    public static byte[] longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(v);
        return b.array();
    }

    public static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        return b.array();
    }

    private static Path write(Path path, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(path))
                : Files.newOutputStream(path)) {
            out.write(bytes);
        }
        return path;
    }
}
