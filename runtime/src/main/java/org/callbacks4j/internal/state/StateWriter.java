package org.callbacks4j.internal.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.callbacks4j.internal.io.NativeFloats;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes state as a sequence of named, typed fields and nested sections, in the binary form {@link StateReader}
 * reads. One writer serves one snapshot; {@link #toByteArray()} returns it.
 *
 * <h2>Encoding (version {@value #VERSION})</h2>
 * Big-endian throughout. A header: the four bytes {@code C4JS} and a 16-bit version. Then records, each a kind byte,
 * a name (16-bit byte length and UTF-8 bytes) and a payload:
 * <table>
 *   <caption>Record kinds</caption>
 *   <tr><th>kind</th><th>payload</th></tr>
 *   <tr><td>1 boolean</td><td>one byte, 0 or 1</td></tr>
 *   <tr><td>2 int, 3 long</td><td>32 or 64 bits</td></tr>
 *   <tr><td>4 double</td><td>the 64 raw IEEE-754 bits (NaN payloads kept)</td></tr>
 *   <tr><td>5 string</td><td>32-bit byte length, -1 for null, then UTF-8</td></tr>
 *   <tr><td>6 doubles, 7 ints, 8 longs, 9 strings, 10 floats, 13 booleans</td>
 *       <td>32-bit element count, -1 for null, then the elements as above (floats: 32 raw bits; booleans: a byte)</td></tr>
 *   <tr><td>11 section begin</td><td>the section's configuration, as a string payload</td></tr>
 *   <tr><td>12 section end</td><td>nothing (the name is empty)</td></tr>
 * </table>
 * Field names are unique within a section by convention only: the reader checks them in order.
 */
public final class StateWriter {

    /** The encoding version this writer writes and {@link StateReader} reads. */
    public static final int VERSION = 1;

    static final byte[] MAGIC = {'C', '4', 'J', 'S'};
    static final byte BOOLEAN = 1;
    static final byte INT = 2;
    static final byte LONG = 3;
    static final byte DOUBLE = 4;
    static final byte STRING = 5;
    static final byte DOUBLES = 6;
    static final byte INTS = 7;
    static final byte LONGS = 8;
    static final byte STRINGS = 9;
    static final byte FLOATS = 10;
    static final byte BEGIN = 11;
    static final byte END = 12;
    static final byte BOOLEANS = 13;

    private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.BIG_ENDIAN);
    private int depth;

    public StateWriter() {
        buffer.put(MAGIC).putShort((short) VERSION);
    }

    public StateWriter putBoolean(String name, boolean value) {
        header(BOOLEAN, name, 1).put((byte) (value ? 1 : 0));
        return this;
    }

    public StateWriter putInt(String name, int value) {
        header(INT, name, 4).putInt(value);
        return this;
    }

    public StateWriter putLong(String name, long value) {
        header(LONG, name, 8).putLong(value);
        return this;
    }

    /** Writes the raw bits of {@code value}: NaN, infinities and -0.0 come back as they were. */
    public StateWriter putDouble(String name, double value) {
        header(DOUBLE, name, 8).putLong(Double.doubleToRawLongBits(value));
        return this;
    }

    /** {@code value} may be null. */
    public StateWriter putString(String name, String value) {
        byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        header(STRING, name, 4 + (bytes == null ? 0 : bytes.length));
        string(bytes);
        return this;
    }

    /** {@code values} may be null. */
    public StateWriter putDoubles(String name, double[] values) {
        header(DOUBLES, name, 4 + 8L * length(values)).putInt(values == null ? -1 : values.length);
        if (values != null) {
            for (double v : values) {
                buffer.putLong(Double.doubleToRawLongBits(v));
            }
        }
        return this;
    }

    /** {@code values} may be null. */
    public StateWriter putInts(String name, int[] values) {
        header(INTS, name, 4 + 4L * (values == null ? 0 : values.length)).putInt(values == null ? -1 : values.length);
        if (values != null) {
            buffer.asIntBuffer().put(values);
            buffer.position(buffer.position() + 4 * values.length);
        }
        return this;
    }

    /** {@code values} may be null. */
    public StateWriter putLongs(String name, long[] values) {
        header(LONGS, name, 4 + 8L * (values == null ? 0 : values.length))
                .putInt(values == null ? -1 : values.length);
        if (values != null) {
            buffer.asLongBuffer().put(values);
            buffer.position(buffer.position() + 8 * values.length);
        }
        return this;
    }

    /** {@code values} may be null. */
    public StateWriter putBooleans(String name, boolean[] values) {
        header(BOOLEANS, name, 4 + (values == null ? 0 : values.length)).putInt(values == null ? -1 : values.length);
        if (values != null) {
            for (boolean v : values) {
                buffer.put((byte) (v ? 1 : 0));
            }
        }
        return this;
    }

    /** {@code values} may be null, and so may its elements. */
    public StateWriter putStrings(String name, List<String> values) {
        byte[][] encoded = null;
        long size = 4;
        if (values != null) {
            encoded = new byte[values.size()][];
            for (int i = 0; i < encoded.length; i++) {
                String s = values.get(i);
                encoded[i] = s == null ? null : s.getBytes(StandardCharsets.UTF_8);
                size += 4 + (encoded[i] == null ? 0 : encoded[i].length);
            }
        }
        header(STRINGS, name, size).putInt(encoded == null ? -1 : encoded.length);
        if (encoded != null) {
            for (byte[] bytes : encoded) {
                string(bytes);
            }
        }
        return this;
    }

    /** The values of {@code values} (any shape, C order), as float32; {@code values} may be null. */
    public StateWriter putFloats(String name, INDArray values) {
        if (values == null) {
            return putFloats(name, (float[]) null);
        }
        long n = values.length();
        if (n > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("state field \"" + name + "\": an array of " + n + " values is "
                    + "too large");
        }
        // Straight from ND4J's memory into the buffer, as putFloats(String, float[]) lays it out.
        header(FLOATS, name, 4 + 4L * n).putInt((int) n);
        NativeFloats.copy(values, buffer.asFloatBuffer());
        buffer.position(buffer.position() + 4 * (int) n);
        return this;
    }

    /** {@code values} may be null. */
    public StateWriter putFloats(String name, float[] values) {
        header(FLOATS, name, 4 + 4L * (values == null ? 0 : values.length)).putInt(values == null ? -1 : values.length);
        if (values != null) {
            buffer.asFloatBuffer().put(values);
            buffer.position(buffer.position() + 4 * values.length);
        }
        return this;
    }

    /**
     * Writes {@code part}'s state as a section named {@code name}, tagged with its
     * {@link Stateful#stateConfiguration()}.
     */
    public StateWriter putSection(String name, Stateful part) {
        Objects.requireNonNull(part, "part");
        beginSection(name, part.stateConfiguration());
        part.saveState(this);
        endSection();
        return this;
    }

    /** Starts a section; every field until the matching {@link #endSection()} belongs to it. */
    public StateWriter beginSection(String name, String configuration) {
        byte[] bytes = Objects.requireNonNull(configuration, "configuration").getBytes(StandardCharsets.UTF_8);
        header(BEGIN, name, 4 + bytes.length);
        string(bytes);
        depth++;
        return this;
    }

    public StateWriter endSection() {
        if (depth == 0) {
            throw new IllegalStateException("endSection() without a matching beginSection(..)");
        }
        depth--;
        ensure(1 + 2);
        buffer.put(END).putShort((short) 0);
        return this;
    }

    /** The state written so far. */
    public byte[] toByteArray() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " section(s) not ended");
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private ByteBuffer header(byte kind, String name, long payload) {
        Objects.requireNonNull(name, "name");
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("a state field name must have 1 to 65535 bytes, got \"" + name + "\"");
        }
        long total = 1 + 2 + bytes.length + payload;
        if (total > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("state field \"" + name + "\" is too large");
        }
        ensure((int) total);
        return buffer.put(kind).putShort((short) bytes.length).put(bytes);
    }

    private void string(byte[] bytes) {
        buffer.putInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            buffer.put(bytes);
        }
    }

    private static int length(double[] values) {
        return values == null ? 0 : values.length;
    }

    private void ensure(int more) {
        if (buffer.remaining() >= more) {
            return;
        }
        long needed = (long) buffer.position() + more;
        long capacity = Math.max(needed, 2L * buffer.capacity());
        if (capacity > Integer.MAX_VALUE - 8) {
            capacity = needed;
        }
        ByteBuffer bigger = ByteBuffer.allocate((int) capacity).order(ByteOrder.BIG_ENDIAN);
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
    }
}
