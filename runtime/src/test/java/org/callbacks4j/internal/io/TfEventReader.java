package org.callbacks4j.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An independent, validating reader of TensorBoard event files for the tests: TFRecord framing with both CRCs
 * checked (as TensorFlow's reader and TensorBoard's Python reader do), and a minimal protobuf parser for the
 * {@code Event} fields the writer uses (both scalar forms). Written from the format description, not from the writer.
 */
final class TfEventReader {

    /** A {@code Summary.Value}: either {@code simpleValue} or {@code tensorValue} is set. */
    record Value(String tag, Float simpleValue, Float tensorValue, String pluginName) {
        float scalar() {
            return simpleValue != null ? simpleValue : tensorValue;
        }
    }

    record Event(double wallTime, long step, String fileVersion, List<Value> values) {}

    /** The complete records of a file, and whether a cut-short record followed them (a file still being written). */
    record Records(List<byte[]> records, boolean truncated) {}

    private TfEventReader() {}

    static List<Event> readEvents(Path file) throws IOException {
        Records records = readRecords(Files.readAllBytes(file));
        List<Event> events = new ArrayList<>();
        for (byte[] record : records.records()) {
            events.add(parseEvent(record));
        }
        return events;
    }

    /** @throws IOException on a CRC mismatch ("data loss"), never for a truncated last record */
    static Records readRecords(byte[] file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> records = new ArrayList<>();
        while (in.hasRemaining()) {
            if (in.remaining() < 12) {
                return new Records(records, true);
            }
            int headerStart = in.position();
            long length = in.getLong();
            int lengthCrc = in.getInt();
            if (lengthCrc != maskedCrc(file, headerStart, 8)) {
                throw new IOException("length CRC mismatch at offset " + headerStart);
            }
            if (length < 0 || in.remaining() < length + 4) {
                return new Records(records, true);
            }
            byte[] data = new byte[(int) length];
            int dataStart = in.position();
            in.get(data);
            int dataCrc = in.getInt();
            if (dataCrc != maskedCrc(file, dataStart, (int) length)) {
                throw new IOException("data CRC mismatch at offset " + dataStart);
            }
            records.add(data);
        }
        return new Records(records, false);
    }

    static int maskedCrc(byte[] bytes, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xA282EAD8;
    }

    static Event parseEvent(byte[] data) {
        Proto p = new Proto(data, 0, data.length);
        double wallTime = 0;
        long step = 0;
        String fileVersion = null;
        List<Value> values = new ArrayList<>();
        while (p.more()) {
            int tag = (int) p.varint();
            switch (tag) {
                case (1 << 3) | 1 -> wallTime = Double.longBitsToDouble(p.fixed64());
                case (2 << 3) -> step = p.varint();
                case (3 << 3) | 2 -> fileVersion = p.string();
                case (5 << 3) | 2 -> {
                    Proto summary = p.message();
                    while (summary.more()) {
                        int field = (int) summary.varint();
                        if (field == ((1 << 3) | 2)) {
                            values.add(parseValue(summary.message()));
                        } else {
                            summary.skip(field);
                        }
                    }
                }
                default -> p.skip(tag);
            }
        }
        return new Event(wallTime, step, fileVersion, values);
    }

    private static Value parseValue(Proto p) {
        String tag = null;
        Float simple = null;
        Float tensor = null;
        String plugin = null;
        while (p.more()) {
            int field = (int) p.varint();
            switch (field) {
                case (1 << 3) | 2 -> tag = p.string();
                case (2 << 3) | 5 -> simple = Float.intBitsToFloat(p.fixed32());
                case (8 << 3) | 2 -> tensor = parseRank0Float(p.message());
                case (9 << 3) | 2 -> {
                    Proto metadata = p.message();
                    while (metadata.more()) {
                        int f = (int) metadata.varint();
                        if (f == ((1 << 3) | 2)) {
                            Proto pluginData = metadata.message();
                            while (pluginData.more()) {
                                int g = (int) pluginData.varint();
                                if (g == ((1 << 3) | 2)) {
                                    plugin = pluginData.string();
                                } else {
                                    pluginData.skip(g);
                                }
                            }
                        } else {
                            metadata.skip(f);
                        }
                    }
                }
                default -> p.skip(field);
            }
        }
        return new Value(tag, simple, tensor, plugin);
    }

    /** A rank-0 DT_FLOAT TensorProto, as TensorBoard's Rust reader requires for a scalar. */
    private static Float parseRank0Float(Proto p) {
        long dtype = 0;
        Float value = null;
        while (p.more()) {
            int field = (int) p.varint();
            switch (field) {
                case (1 << 3) -> dtype = p.varint();
                case (2 << 3) | 2 -> {
                    if (p.message().more()) {
                        throw new IllegalArgumentException("tensor is not rank 0");
                    }
                }
                case (4 << 3) | 2 -> {
                    Proto content = p.message();
                    value = Float.intBitsToFloat(content.fixed32());
                    if (content.more()) {
                        throw new IllegalArgumentException("tensor_content is not 4 bytes");
                    }
                }
                default -> p.skip(field);
            }
        }
        if (dtype != 1) {
            throw new IllegalArgumentException("tensor dtype " + dtype + " is not DT_FLOAT");
        }
        return value;
    }

    /** A cursor over protobuf wire bytes. */
    private static final class Proto {
        private final byte[] b;
        private int pos;
        private final int end;

        Proto(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = b[check(1)];
                pos++;
                result |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }

        int fixed32() {
            int at = check(4);
            pos += 4;
            return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
        }

        long fixed64() {
            long lo = fixed32() & 0xFFFFFFFFL;
            long hi = fixed32() & 0xFFFFFFFFL;
            return lo | hi << 32;
        }

        Proto message() {
            int len = (int) varint();
            int at = check(len);
            pos += len;
            return new Proto(b, at, at + len);
        }

        String string() {
            Proto m = message();
            return new String(b, m.pos, m.end - m.pos, StandardCharsets.UTF_8);
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> fixed64();
                case 2 -> message();
                case 5 -> fixed32();
                default -> throw new IllegalArgumentException("wire type " + (tag & 7));
            }
        }

        private int check(int n) {
            if (pos + n > end) {
                throw new IllegalArgumentException("message truncated at " + pos);
            }
            return pos;
        }
    }
}
