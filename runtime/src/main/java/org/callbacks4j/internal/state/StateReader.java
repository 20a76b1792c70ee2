package org.callbacks4j.internal.state;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads state written by {@link StateWriter}, field by field in the order it was written: each {@code read} call names
 * the field it expects and its type, and throws {@link IncompatibleStateException} (naming the section path, the
 * field expected and the field found) if the next field is another one.
 *
 * <p>{@link #layoutDifference} compares two snapshots' layouts (kinds, names, section configurations; not values or
 * array lengths) without reading any value into an object: a resumed run uses it to refuse a backup before restoring
 * anything.
 */
public final class StateReader {

    private final ByteBuffer in;
    private final String source;
    private final Deque<String> path = new ArrayDeque<>();

    /**
     * @param bytes what {@link StateWriter#toByteArray()} returned
     * @param source how messages name where the bytes come from, e.g. {@code backup runs/bak/backup-00000003.zip}
     * @throws IncompatibleStateException if the bytes do not start with the header of a supported version
     */
    public StateReader(byte[] bytes, String source) {
        this.in = ByteBuffer.wrap(Objects.requireNonNull(bytes, "bytes")).order(ByteOrder.BIG_ENDIAN);
        this.source = Objects.requireNonNull(source, "source");
        checkHeader(in, source);
    }

    public boolean readBoolean(String name) {
        expect(StateWriter.BOOLEAN, name);
        return guarded(() -> in.get() != 0);
    }

    public int readInt(String name) {
        expect(StateWriter.INT, name);
        return guarded(in::getInt);
    }

    public long readLong(String name) {
        expect(StateWriter.LONG, name);
        return guarded(in::getLong);
    }

    public double readDouble(String name) {
        expect(StateWriter.DOUBLE, name);
        return guarded(() -> Double.longBitsToDouble(in.getLong()));
    }

    /** May return null. */
    public String readString(String name) {
        expect(StateWriter.STRING, name);
        return guarded(this::string);
    }

    /** May return null. */
    public double[] readDoubles(String name) {
        expect(StateWriter.DOUBLES, name);
        return guarded(() -> {
            int n = count(8);
            if (n < 0) {
                return null;
            }
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = Double.longBitsToDouble(in.getLong());
            }
            return values;
        });
    }

    /** May return null. */
    public int[] readInts(String name) {
        expect(StateWriter.INTS, name);
        return guarded(() -> {
            int n = count(4);
            if (n < 0) {
                return null;
            }
            int[] values = new int[n];
            in.asIntBuffer().get(values);
            in.position(in.position() + 4 * n);
            return values;
        });
    }

    /** May return null. */
    public long[] readLongs(String name) {
        expect(StateWriter.LONGS, name);
        return guarded(() -> {
            int n = count(8);
            if (n < 0) {
                return null;
            }
            long[] values = new long[n];
            in.asLongBuffer().get(values);
            in.position(in.position() + 8 * n);
            return values;
        });
    }

    /** May return null. */
    public boolean[] readBooleans(String name) {
        expect(StateWriter.BOOLEANS, name);
        return guarded(() -> {
            int n = count(1);
            if (n < 0) {
                return null;
            }
            boolean[] values = new boolean[n];
            for (int i = 0; i < n; i++) {
                values[i] = in.get() != 0;
            }
            return values;
        });
    }

    /** May return null; elements may be null. */
    public List<String> readStrings(String name) {
        expect(StateWriter.STRINGS, name);
        return guarded(() -> {
            int n = count(4);
            if (n < 0) {
                return null;
            }
            List<String> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(string());
            }
            return values;
        });
    }

    /** May return null. */
    public float[] readFloats(String name) {
        expect(StateWriter.FLOATS, name);
        return guarded(() -> {
            int n = count(4);
            if (n < 0) {
                return null;
            }
            float[] values = new float[n];
            in.asFloatBuffer().get(values);
            in.position(in.position() + 4 * n);
            return values;
        });
    }

    /**
     * Reads a float array into {@code target} (any shape, C order), which must hold exactly as many values.
     *
     * @throws IncompatibleStateException if the saved array is null or has another length
     */
    public void readFloatsInto(String name, INDArray target) {
        float[] values = readFloats(name);
        if (values == null || values.length != target.length()) {
            throw incompatible("field \"" + name + "\" holds " + (values == null ? "no array" : values.length
                    + " values") + " but " + target.length() + " are needed here");
        }
        if (values.length > 0) {
            target.assign(Nd4j.createFromArray(values).reshape('c', target.shape()));
        }
    }

    /**
     * Restores {@code part} from the section {@code name}, which must carry {@code part}'s
     * {@link Stateful#stateConfiguration()} and hold exactly the fields its {@link Stateful#restoreState} reads.
     */
    public void readSection(String name, Stateful part) {
        Objects.requireNonNull(part, "part");
        String saved = beginSection(name);
        String ours = part.stateConfiguration();
        if (!saved.equals(ours)) {
            throw incompatible("it was saved for " + saved + ", but is being restored into " + ours);
        }
        part.restoreState(this);
        endSection();
    }

    /** Enters the section {@code name} and returns the configuration it was written with. */
    public String beginSection(String name) {
        expect(StateWriter.BEGIN, name);
        String configuration = guarded(this::string);
        path.addLast(name);
        return configuration;
    }

    /** Leaves the current section, which must have no fields left. */
    public void endSection() {
        int at = in.position();
        Record next = Record.read(in, source);
        if (next == null || next.kind != StateWriter.END) {
            in.position(at);
            throw incompatible("the section has more fields than were read (next: "
                    + (next == null ? "the end of the data" : next.describe()) + ")");
        }
        path.removeLast();
    }

    /** Checks that everything was read. */
    public void finish() {
        if (in.hasRemaining()) {
            int at = in.position();
            Record next = Record.read(in, source);
            in.position(at);
            throw incompatible("there are fields after the last one read: " + next.describe());
        }
    }

    /** Whether the next record is a field or section named {@code name} (for optional fields of later versions). */
    public boolean hasNext(String name) {
        if (!in.hasRemaining()) {
            return false;
        }
        int at = in.position();
        Record next = Record.read(in, source);
        in.position(at);
        return next.kind != StateWriter.END && next.name.equals(name);
    }

    /**
     * The first difference between the layouts of two snapshots, or null if they have the same fields, of the same
     * kinds, in the same order, in sections of the same names and configurations. Values, including array lengths,
     * are not compared.
     *
     * @param expected the layout the objects being restored write now
     * @param saved the snapshot to restore
     */
    public static String layoutDifference(byte[] expected, byte[] saved) {
        ByteBuffer a = ByteBuffer.wrap(expected).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer b = ByteBuffer.wrap(saved).order(ByteOrder.BIG_ENDIAN);
        checkHeader(a, "expected layout");
        checkHeader(b, "saved state");
        Deque<String> path = new ArrayDeque<>();
        while (true) {
            Record x = a.hasRemaining() ? Record.read(a, "expected layout") : null;
            Record y = b.hasRemaining() ? Record.read(b, "saved state") : null;
            if (x == null && y == null) {
                return null;
            }
            String where = path.isEmpty() ? "at the top level" : "in section " + String.join("/", path);
            if (x == null || y == null || x.kind != y.kind || !x.name.equals(y.name)) {
                return where + ": expected " + (x == null ? "no more fields" : x.describe()) + " but the saved "
                        + "state has " + (y == null ? "no more fields" : y.describe());
            }
            if (x.kind == StateWriter.BEGIN) {
                if (!Objects.equals(x.configuration, y.configuration)) {
                    return where + ": section \"" + x.name + "\" was saved for " + y.configuration
                            + ", but is being restored into " + x.configuration;
                }
                path.addLast(x.name);
            } else if (x.kind == StateWriter.END) {
                path.removeLast();
            }
        }
    }

    /** The number of bytes not read yet. */
    public int remaining() {
        return in.remaining();
    }

    private void expect(byte kind, String name) {
        int at = in.position();
        Record next = in.hasRemaining() ? Record.read(in, source) : null;
        if (next == null || next.kind != kind || !next.name.equals(name)) {
            in.position(at);
            throw incompatible("expected " + Record.kindName(kind) + " \"" + name + "\" but found "
                    + (next == null ? "the end of the data" : next.describe()));
        }
        // Position the buffer at the payload: Record.read skipped it.
        in.position(next.payload);
    }

    private IncompatibleStateException incompatible(String detail) {
        return new IncompatibleStateException(source + (path.isEmpty() ? "" : ", section " + String.join("/", path))
                + ": " + detail);
    }

    private String string() {
        int n = in.getInt();
        if (n < 0) {
            return null;
        }
        if (n > in.remaining()) {
            throw new BufferUnderflowException();
        }
        String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    private int count(int elementSize) {
        int n = in.getInt();
        if (n < -1 || (n > 0 && (long) n * elementSize > in.remaining())) {
            throw new BufferUnderflowException();
        }
        return n;
    }

    private <T> T guarded(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw incompatible("the data ends inside a field; it is damaged");
        }
    }

    private static void checkHeader(ByteBuffer buffer, String source) {
        byte[] magic = new byte[StateWriter.MAGIC.length];
        if (buffer.remaining() < magic.length + 2) {
            throw new IncompatibleStateException(source + ": too short to be saved state");
        }
        buffer.get(magic);
        int version = Short.toUnsignedInt(buffer.getShort());
        if (!Arrays.equals(magic, StateWriter.MAGIC)) {
            throw new IncompatibleStateException(source + ": not saved state (no C4JS header)");
        }
        if (version != StateWriter.VERSION) {
            throw new IncompatibleStateException(source + ": state encoding version " + version + "; this "
                    + "callbacks4j reads version " + StateWriter.VERSION);
        }
    }

    /** A record's kind, name and where its payload starts; reading it moves the buffer past the payload. */
    private static final class Record {

        final byte kind;
        final String name;
        final int payload;
        final String configuration;

        private Record(byte kind, String name, int payload, String configuration) {
            this.kind = kind;
            this.name = name;
            this.payload = payload;
            this.configuration = configuration;
        }

        static Record read(ByteBuffer in, String source) {
            try {
                byte kind = in.get();
                int length = Short.toUnsignedInt(in.getShort());
                if (length > in.remaining()) {
                    throw new BufferUnderflowException();
                }
                String name = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
                in.position(in.position() + length);
                int payload = in.position();
                String configuration = null;
                switch (kind) {
                    case StateWriter.BOOLEAN -> skip(in, 1);
                    case StateWriter.INT -> skip(in, 4);
                    case StateWriter.LONG, StateWriter.DOUBLE -> skip(in, 8);
                    case StateWriter.STRING -> skipString(in);
                    case StateWriter.BEGIN -> {
                        int n = in.getInt();
                        if (n < 0 || n > in.remaining()) {
                            throw new BufferUnderflowException();
                        }
                        configuration = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
                        in.position(in.position() + n);
                    }
                    case StateWriter.END -> { }
                    case StateWriter.DOUBLES, StateWriter.LONGS -> skipArray(in, 8);
                    case StateWriter.INTS, StateWriter.FLOATS -> skipArray(in, 4);
                    case StateWriter.BOOLEANS -> skipArray(in, 1);
                    case StateWriter.STRINGS -> {
                        int n = in.getInt();
                        for (int i = 0; i < n; i++) {
                            skipString(in);
                        }
                    }
                    default -> throw new IncompatibleStateException(source + ": unknown field kind " + kind
                            + " at byte " + (payload - length - 3) + "; the data is damaged or newer than this "
                            + "callbacks4j");
                }
                return new Record(kind, name, payload, configuration);
            } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
                throw new IncompatibleStateException(source + ": the data ends inside a field; it is damaged");
            }
        }

        private static void skip(ByteBuffer in, int n) {
            in.position(in.position() + n);
        }

        private static void skipString(ByteBuffer in) {
            int n = in.getInt();
            if (n > 0) {
                skip(in, n);
            }
        }

        private static void skipArray(ByteBuffer in, int elementSize) {
            int n = in.getInt();
            if (n > 0) {
                if ((long) n * elementSize > in.remaining()) {
                    throw new BufferUnderflowException();
                }
                skip(in, n * elementSize);
            }
        }

        String describe() {
            return kind == StateWriter.END ? "the end of the section" : kindName(kind) + " \"" + name + "\"";
        }

        static String kindName(byte kind) {
            return switch (kind) {
                case StateWriter.BOOLEAN -> "boolean";
                case StateWriter.INT -> "int";
                case StateWriter.LONG -> "long";
                case StateWriter.DOUBLE -> "double";
                case StateWriter.STRING -> "string";
                case StateWriter.DOUBLES -> "double[]";
                case StateWriter.INTS -> "int[]";
                case StateWriter.LONGS -> "long[]";
                case StateWriter.STRINGS -> "string[]";
                case StateWriter.FLOATS -> "float[]";
                case StateWriter.BOOLEANS -> "boolean[]";
                case StateWriter.BEGIN -> "section";
                case StateWriter.END -> "section end";
                default -> "kind " + kind;
            };
        }
    }
}
