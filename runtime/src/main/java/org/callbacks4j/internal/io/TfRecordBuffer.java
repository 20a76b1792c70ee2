package org.callbacks4j.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Serializes TensorBoard {@code Event} protobufs by hand and frames each as a TFRecord, into a reusable buffer; no
 * protobuf dependency and no allocation per event once the buffer has grown. Wire format and golden bytes:
 * {@code shared/reference/tensorboard-format.md} sections 1.1, 1.2 and 1.5.
 *
 * <p>A TFRecord is {@code uint64 length, uint32 masked_crc32c(length bytes), data, uint32 masked_crc32c(data)}, all
 * little-endian. Events follow proto3: fields equal to their default (step 0, wall time 0) are left out, except the
 * {@code simple_value}, which sits in a oneof and is therefore always written, even when it is 0.
 *
 * <p>Not thread-safe: one buffer per file, used by one thread.
 */
final class TfRecordBuffer {

    /** The {@code file_version} every event file starts with; readers use it to choose their purge rules. */
    static final byte[] FILE_VERSION = "brain.Event:2".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SCALARS_PLUGIN = "scalars".getBytes(StandardCharsets.UTF_8);

    private static final int HEADER = 12; // uint64 length + uint32 crc
    private static final int FOOTER = 4;

    private byte[] buf = new byte[1024];
    private ByteBuffer view = ByteBuffer.wrap(buf);
    private int size;
    private final CRC32C crc = new CRC32C();

    /** Appends the record of {@code Event{wall_time, file_version: "brain.Event:2"}}. */
    void fileVersionEvent(double wallTime) {
        int dataLen = wallTimeSize(wallTime) + 1 + varintSize(FILE_VERSION.length) + FILE_VERSION.length;
        int start = beginRecord(dataLen);
        putWallTime(wallTime);
        put(0x1A); // file_version = 3, length-delimited
        putVarint(FILE_VERSION.length);
        put(FILE_VERSION);
        endRecord(start, dataLen);
    }

    /**
     * Appends {@code Event{wall_time, step, summary{value{tag, simple_value}}}}: the TF1 scalar form, which every
     * TensorBoard reader migrates to a scalar without needing metadata.
     *
     * @param tag the tag, UTF-8 encoded (encoded once by the caller and reused)
     */
    void simpleValueEvent(double wallTime, long step, byte[] tag, float value) {
        int valueLen = 1 + varintSize(tag.length) + tag.length + 1 + 4;
        int dataLen = eventPrefixSize(wallTime, step) + 1 + varintSize(valueLen + 1 + varintSize(valueLen))
                + 1 + varintSize(valueLen) + valueLen;
        int start = beginRecord(dataLen);
        putEventPrefix(wallTime, step, valueLen);
        put(0x0A); // Value.tag = 1
        putVarint(tag.length);
        put(tag);
        put(0x15); // Value.simple_value = 2, fixed32
        putFixed32(Float.floatToRawIntBits(value));
        endRecord(start, dataLen);
    }

    /**
     * Appends the TF2 form that {@code tf.summary.scalar} writes: a rank-0 {@code DT_FLOAT} tensor, with
     * {@code metadata.plugin_data.plugin_name = "scalars"} when {@code withMetadata} (required on the first value of
     * each tag in a run). Kept for byte-exact parity with TensorFlow; {@link TensorBoardWriter} writes
     * {@link #simpleValueEvent}.
     */
    void tensorScalarEvent(double wallTime, long step, byte[] tag, float value, boolean withMetadata) {
        int tensorLen = 2 + 2 + 2 + 4; // dtype, empty shape, tensor_content length + 4 bytes
        int pluginLen = 1 + varintSize(SCALARS_PLUGIN.length) + SCALARS_PLUGIN.length;
        int metadataLen = 1 + varintSize(pluginLen) + pluginLen;
        int valueLen = 1 + varintSize(tag.length) + tag.length + 1 + varintSize(tensorLen) + tensorLen
                + (withMetadata ? 1 + varintSize(metadataLen) + metadataLen : 0);
        int dataLen = eventPrefixSize(wallTime, step) + 1 + varintSize(valueLen + 1 + varintSize(valueLen))
                + 1 + varintSize(valueLen) + valueLen;
        int start = beginRecord(dataLen);
        putEventPrefix(wallTime, step, valueLen);
        put(0x0A); // Value.tag = 1
        putVarint(tag.length);
        put(tag);
        put(0x42); // Value.tensor = 8
        putVarint(tensorLen);
        put(0x08); // TensorProto.dtype = DT_FLOAT (1)
        put(0x01);
        put(0x12); // TensorProto.tensor_shape = {} (rank 0)
        put(0x00);
        put(0x22); // TensorProto.tensor_content, 4 raw little-endian bytes
        put(0x04);
        putFixed32(Float.floatToRawIntBits(value));
        if (withMetadata) {
            put(0x4A); // Value.metadata = 9
            putVarint(metadataLen);
            put(0x0A); // SummaryMetadata.plugin_data = 1
            putVarint(pluginLen);
            put(0x0A); // PluginData.plugin_name = 1
            putVarint(SCALARS_PLUGIN.length);
            put(SCALARS_PLUGIN);
        }
        endRecord(start, dataLen);
    }

    /** Bytes appended since the last {@link #clear()}. */
    int size() {
        return size;
    }

    /** A copy of the appended bytes (tests). */
    byte[] toByteArray() {
        return java.util.Arrays.copyOf(buf, size);
    }

    /** Writes every appended byte to {@code channel} (at its position) and clears the buffer. */
    /** Adds the staged bytes to {@code checksum} (the running CRC-32C of a whole file, for resuming it). */
    void updateChecksum(java.util.zip.CRC32C checksum) {
        checksum.update(buf, 0, size);
    }

    void drainTo(FileChannel channel) throws IOException {
        view.clear().limit(size);
        while (view.hasRemaining()) {
            channel.write(view);
        }
        size = 0;
    }

    void clear() {
        size = 0;
    }

    /** The CRC-32C of {@code bytes[off, off+len)}, masked as TFRecord (and LevelDB) store it. */
    static int maskedCrc32c(CRC32C crc, byte[] bytes, int off, int len) {
        crc.reset();
        crc.update(bytes, off, len);
        return mask((int) crc.getValue());
    }

    /** {@code ((crc >>> 15) | (crc << 17)) + 0xA282EAD8}, mod 2^32. */
    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xA282EAD8;
    }

    // --- Event header shared by the scalar forms: wall_time, step, summary{value{...}} ---

    private static int eventPrefixSize(double wallTime, long step) {
        return wallTimeSize(wallTime) + (step == 0 ? 0 : 1 + varintSize(step));
    }

    private void putEventPrefix(double wallTime, long step, int valueLen) {
        putWallTime(wallTime);
        if (step != 0) {
            put(0x10); // step = 2, varint
            putVarint(step);
        }
        put(0x2A); // summary = 5
        putVarint(1 + varintSize(valueLen) + valueLen);
        put(0x0A); // Summary.value = 1
        putVarint(valueLen);
    }

    private static int wallTimeSize(double wallTime) {
        return Double.doubleToRawLongBits(wallTime) == 0 ? 0 : 9;
    }

    private void putWallTime(double wallTime) {
        long bits = Double.doubleToRawLongBits(wallTime);
        if (bits != 0) {
            put(0x09); // wall_time = 1, fixed64
            putFixed64(bits);
        }
    }

    // --- framing ---

    private int beginRecord(int dataLen) {
        ensure(HEADER + dataLen + FOOTER);
        int start = size;
        size += HEADER;
        return start;
    }

    private void endRecord(int start, int dataLen) {
        int dataStart = start + HEADER;
        if (size - dataStart != dataLen) {
            throw new AssertionError("event size " + (size - dataStart) + " != computed " + dataLen);
        }
        int end = size;
        size = start;
        putFixed64(dataLen);
        putFixed32(maskedCrc32c(crc, buf, start, 8));
        size = end;
        putFixed32(maskedCrc32c(crc, buf, dataStart, dataLen));
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            view = ByteBuffer.wrap(buf);
        }
    }

    // --- primitive encoders (little-endian, protobuf varints) ---

    static int varintSize(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    private void putVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            buf[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf[size++] = (byte) value;
    }

    private void putFixed32(int value) {
        buf[size++] = (byte) value;
        buf[size++] = (byte) (value >>> 8);
        buf[size++] = (byte) (value >>> 16);
        buf[size++] = (byte) (value >>> 24);
    }

    private void putFixed64(long value) {
        putFixed32((int) value);
        putFixed32((int) (value >>> 32));
    }

    private void put(int b) {
        buf[size++] = (byte) b;
    }

    private void put(byte[] bytes) {
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }
}
