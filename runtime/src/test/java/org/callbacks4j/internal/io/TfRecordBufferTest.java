package org.callbacks4j.internal.io;

import static com.google.common.truth.Truth.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Byte-exact checks against the golden vectors of tensorboard-format.md 1.5 (TensorBoard's own Rust tests). */
class TfRecordBufferTest {

    @Test
    void maskedCrcMatchesMaskedCrcRsVector() {
        byte[] input = "\u001a\u0011CRC test, one two".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(TfRecordBuffer.maskedCrc32c(new CRC32C(), input, 0, input.length)).isEqualTo(0x5794d08a);
    }

    @Test
    void crc32cOf32ZeroBytesMatchesTheKnownValue() {
        CRC32C crc = new CRC32C();
        crc.update(new byte[32]);
        assertThat((int) crc.getValue()).isEqualTo(0x8a9136aa);
    }

    @Test
    void fileVersionRecordIsByteExact() {
        TfRecordBuffer buffer = new TfRecordBuffer();
        buffer.fileVersionEvent(Double.longBitsToDouble(0x41d7d69938800000L));

        byte[] expected = concat(
                hex("18 00 00 00 00 00 00 00"), hex("a3 7f 4b 22"),
                hex("09 00 00 80 38 99 d6 d7 41 1a 0d"), ascii("brain.Event:2"),
                hex("12 4b 36 ab"));
        assertThat(buffer.toByteArray()).isEqualTo(expected);
    }

    @Test
    void tf2ScalarRecordIsByteExact() {
        // tf.summary.scalar("accuracy", 0.99, step=77)
        TfRecordBuffer buffer = new TfRecordBuffer();
        buffer.tensorScalarEvent(Double.longBitsToDouble(0x41d7d6993db705c4L), 77, ascii("accuracy"), 0.99f, true);

        byte[] expected = concat(
                hex("32 00 00 00 00 00 00 00"), hex("24 19 56 ec"),
                hex("09 c4 05 b7 3d 99 d6 d7 41 10 4d 2a 25 0a 23 0a 08"), ascii("accuracy"),
                hex("42 0a 08 01 12 00 22 04 a4 70 7d 3f 4a 0b 0a 09 0a 07"), ascii("scalars"),
                hex("a5 5b 64 33"));
        assertThat(buffer.toByteArray()).isEqualTo(expected);
    }

    @Test
    void bothGoldenRecordsInOneBufferReadBackWithTheirValues() throws IOException {
        TfRecordBuffer buffer = new TfRecordBuffer();
        buffer.fileVersionEvent(Double.longBitsToDouble(0x41d7d69938800000L));
        buffer.tensorScalarEvent(Double.longBitsToDouble(0x41d7d6993db705c4L), 77, ascii("accuracy"), 0.99f, true);

        TfEventReader.Records records = TfEventReader.readRecords(buffer.toByteArray());
        assertThat(records.truncated()).isFalse();
        assertThat(records.records()).hasSize(2);
        assertThat(TfEventReader.parseEvent(records.records().get(0)).fileVersion()).isEqualTo("brain.Event:2");
        TfEventReader.Event scalar = TfEventReader.parseEvent(records.records().get(1));
        assertThat(scalar.step()).isEqualTo(77);
        assertThat(scalar.values().get(0).tag()).isEqualTo("accuracy");
        assertThat(scalar.values().get(0).tensorValue()).isEqualTo(0.99f);
        assertThat(scalar.values().get(0).pluginName()).isEqualTo("scalars");
    }

    @Test
    void simpleValueEventHasTheDocumentedWireBytes() {
        TfRecordBuffer buffer = new TfRecordBuffer();
        buffer.simpleValueEvent(Double.longBitsToDouble(0x41d7d6993db705c4L), 77, ascii("accuracy"), 0.99f);

        byte[] data = concat(
                hex("09 c4 05 b7 3d 99 d6 d7 41 10 4d"), // wall_time, step 77
                hex("2a 11 0a 0f 0a 08"), ascii("accuracy"), // summary { value { tag
                hex("15 a4 70 7d 3f")); // simple_value 0.99f }}
        assertThat(buffer.toByteArray()).isEqualTo(frame(data));
    }

    @Test
    void stepZeroIsLeftOutButAZeroSimpleValueIsKept() throws IOException {
        // proto3 drops default scalars, but simple_value is in a oneof: dropping 0.0 would leave no value at all.
        TfRecordBuffer buffer = new TfRecordBuffer();
        buffer.simpleValueEvent(Double.longBitsToDouble(0x41d7d6993db705c4L), 0, ascii("loss"), 0f);

        byte[] data = concat(hex("09 c4 05 b7 3d 99 d6 d7 41"), hex("2a 0d 0a 0b 0a 04"), ascii("loss"),
                hex("15 00 00 00 00"));
        assertThat(buffer.toByteArray()).isEqualTo(frame(data));
        TfEventReader.Event event = TfEventReader.parseEvent(TfEventReader.readRecords(frame(data)).records().get(0));
        assertThat(event.step()).isEqualTo(0);
        assertThat(event.values().get(0).simpleValue()).isEqualTo(0f);
    }

    @Test
    void largeStepsLongTagsAndManyRecordsRoundTrip() throws IOException {
        TfRecordBuffer buffer = new TfRecordBuffer();
        String longTag = "batch_" + "x".repeat(300); // a two-byte length varint, nested twice
        for (int i = 0; i < 500; i++) { // grows the buffer several times
            buffer.simpleValueEvent(1.7e9 + i, (1L << 40) + i, ascii(longTag), i * 0.5f);
        }

        TfEventReader.Records records = TfEventReader.readRecords(buffer.toByteArray());
        assertThat(records.records()).hasSize(500);
        for (int i = 0; i < 500; i++) {
            TfEventReader.Event event = TfEventReader.parseEvent(records.records().get(i));
            assertThat(event.step()).isEqualTo((1L << 40) + i);
            assertThat(event.wallTime()).isEqualTo(1.7e9 + i);
            assertThat(event.values().get(0).tag()).isEqualTo(longTag);
            assertThat(event.values().get(0).simpleValue()).isEqualTo(i * 0.5f);
        }
    }

    /** Frames {@code data} as a TFRecord with the reader's own CRC code. */
    private static byte[] frame(byte[] data) {
        byte[] length = new byte[8];
        for (int i = 0; i < 8; i++) {
            length[i] = (byte) ((long) data.length >>> (8 * i));
        }
        return concat(length, le32(TfEventReader.maskedCrc(length, 0, 8)), data,
                le32(TfEventReader.maskedCrc(data, 0, data.length)));
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    static byte[] hex(String spaced) {
        String[] parts = spaced.trim().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
