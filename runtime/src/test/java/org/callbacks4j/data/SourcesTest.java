package org.callbacks4j.data;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.iterator.TestDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/** Each adapter reads the values its format stores, one-hot encodes class labels, and names file and row in errors. */
class SourcesTest {

    @TempDir
    Path dir;

    /** Every row of {@code source} in file order, features then labels. */
    static List<float[]> rows(BatchSource source) throws IOException {
        List<float[]> rows = new ArrayList<>();
        float[] x = new float[source.featureWidth()];
        float[] y = new float[source.labelWidth()];
        try (RowReader r = source.open()) {
            while (r.next(FloatBuffer.wrap(x), FloatBuffer.wrap(y))) {
                float[] row = new float[x.length + y.length];
                System.arraycopy(x, 0, row, 0, x.length);
                System.arraycopy(y, 0, row, x.length, y.length);
                rows.add(row);
            }
        }
        return rows;
    }

    private IdxSource idx(boolean gzip) throws IOException {
        // Three 2x2 images, pixels 0..11 times 20; labels 2, 0, 1.
        byte[] pixels = new byte[12];
        for (int i = 0; i < 12; i++) {
            pixels[i] = (byte) (i * 20);
        }
        String z = gzip ? ".gz" : "";
        Path images = DataFiles.idxBytes(dir.resolve("images" + z), pixels, gzip, 3, 2, 2);
        Path labels = DataFiles.idxBytes(dir.resolve("labels" + z), new byte[] {2, 0, 1}, gzip, 3);
        return IdxSource.classification(images, labels, 3).scale(1 / 255f);
    }

    @Test
    void idxReadsScaledPixelsAndOneHotLabelsGzippedOrNot() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            IdxSource source = idx(gzip);
            assertThat(source.size()).isEqualTo(3);
            assertThat(source.featureWidth()).isEqualTo(4);
            assertThat(source.labelWidth()).isEqualTo(3);
            List<float[]> rows = rows(source);
            assertThat(rows).hasSize(3);
            assertThat(rows.get(1)).usingExactEquality()
                    .containsExactly(80 * (1 / 255f), 100 * (1 / 255f), 120 * (1 / 255f), 140 * (1 / 255f), 1f, 0f, 0f)
                    .inOrder();
            assertThat(rows.get(0)[6]).isEqualTo(1f);
            try (RowReader r = source.open()) {
                assertThat(r.randomAccess()).isEqualTo(!gzip); // mapped when uncompressed
            }
        }
    }

    @Test
    void mappedIdxReadsAnyRowByIndex() throws IOException {
        float[] x = new float[4];
        float[] y = new float[3];
        try (RowReader r = idx(false).open()) {
            r.read(2, FloatBuffer.wrap(x), FloatBuffer.wrap(y));
        }
        assertThat(x).usingExactEquality().containsExactly(160 * (1 / 255f), 180 * (1 / 255f), 200 * (1 / 255f),
                220 * (1 / 255f)).inOrder();
        assertThat(y).usingExactEquality().containsExactly(0f, 1f, 0f).inOrder();
    }

    @Test
    void idxFloatFeaturesAreBigEndian() throws IOException {
        Path x = DataFiles.idxFloats(dir.resolve("x"), new float[] {1.5f, -2f, 3.25f, 4f}, false, 2, 2);
        Path y = DataFiles.idxFloats(dir.resolve("y"), new float[] {0.5f, 7f}, false, 2, 1);
        List<float[]> rows = rows(IdxSource.of(x, y));
        assertThat(rows.get(1)).usingExactEquality().containsExactly(3.25f, 4f, 7f).inOrder();
    }

    @Test
    void idxLabelOutOfRangeNamesFileRowAndFix() throws IOException {
        Path images = DataFiles.idxBytes(dir.resolve("i"), new byte[8], false, 2, 2, 2);
        Path labels = DataFiles.idxBytes(dir.resolve("l"), new byte[] {1, 12}, false, 2);
        BadDataException e = assertThrows(BadDataException.class,
                () -> rows(IdxSource.classification(images, labels, 10)));
        assertThat(e.getMessage()).contains(labels.toAbsolutePath().toString());
        assertThat(e.getMessage()).contains("row 1 is 12.0, outside the 10 classes");
        assertThat(e.getMessage()).contains("at least 13");
        assertThat(e.row()).isEqualTo(1);
    }

    @Test
    void truncatedIdxIsRefusedWhenOpened() throws IOException {
        Path images = DataFiles.idxBytes(dir.resolve("i"), new byte[7], false, 2, 2, 2);
        Path labels = DataFiles.idxBytes(dir.resolve("l"), new byte[] {1, 2}, false, 2);
        BadDataException e = assertThrows(BadDataException.class, () -> IdxSource.classification(images, labels, 10));
        assertThat(e.getMessage()).contains("truncated");
        Path notIdx = Files.writeString(dir.resolve("text"), "hello world", StandardCharsets.US_ASCII);
        e = assertThrows(BadDataException.class, () -> IdxSource.classification(notIdx, labels, 10));
        assertThat(e.getMessage()).contains("not an IDX magic number");
    }

    @Test
    void npyReadsFloat32Float64AndUint8FeaturesWithIntegerClassLabels() throws IOException {
        Path labels = DataFiles.npy(dir.resolve("y.npy"), "<i8", DataFiles.longs(1, 0), false, 2);
        Path f32 = DataFiles.npy(dir.resolve("f32.npy"), "<f4", DataFiles.floats(1, 2, 3, 4, 5, 6), false, 2, 3);
        Path f64 = DataFiles.npy(dir.resolve("f64.npy"), "<f8", DataFiles.doubles(1, 2, 3, 4, 5, 6), true, 2, 3);
        Path u8 = DataFiles.npy(dir.resolve("u8.npy"), "|u1", new byte[] {1, 2, 3, 4, 5, 6}, false, 2, 3);
        for (Path x : List.of(f32, f64, u8)) {
            List<float[]> rows = rows(NpySource.classification(x, labels, 2));
            assertThat(rows.get(0)).usingExactEquality().containsExactly(1f, 2f, 3f, 0f, 1f).inOrder();
            assertThat(rows.get(1)).usingExactEquality().containsExactly(4f, 5f, 6f, 1f, 0f).inOrder();
        }
        Path i32 = DataFiles.npy(dir.resolve("y32.npy"), "<i4", DataFiles.ints(0, 1), false, 2);
        assertThat(rows(NpySource.classification(u8, i32, 2)).get(1)[4]).isEqualTo(1f);
    }

    @Test
    void npyFlattensImagesAndUsesLabelRowsAsValues() throws IOException {
        Path x = DataFiles.npy(dir.resolve("x.npy"), "<f4", DataFiles.floats(0, 1, 2, 3, 4, 5, 6, 7), false, 2, 2, 2);
        Path y = DataFiles.npy(dir.resolve("y.npy"), "<f4", DataFiles.floats(0.25f, 0.5f, 0.75f, 1f), false, 2, 2);
        NpySource source = NpySource.of(x, y);
        assertThat(source.featureWidth()).isEqualTo(4);
        assertThat(rows(source).get(1)).usingExactEquality().containsExactly(4f, 5f, 6f, 7f, 0.75f, 1f).inOrder();
    }

    @Test
    void npyInFortranOrderIsRefusedWithTheFix() throws IOException {
        Path x = DataFiles.npy(dir.resolve("x.npy"), "<f4", DataFiles.floats(0, 1, 2, 3), false, 2, 2);
        byte[] bytes = Files.readAllBytes(x);
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("False", "True ");
        Files.write(x, text.getBytes(StandardCharsets.ISO_8859_1));
        Path y = DataFiles.npy(dir.resolve("y.npy"), "<i8", DataFiles.longs(0, 1), false, 2);
        BadDataException e = assertThrows(BadDataException.class, () -> NpySource.classification(x, y, 2));
        assertThat(e.getMessage()).contains("numpy.ascontiguousarray");
    }

    @Test
    void csvReadsLabelColumnHeaderAndScale() throws IOException {
        Path csv = Files.writeString(dir.resolve("d.csv"), "label,a,b\n2,10,20\n0,30,40\n\n1,50,60\n");
        CsvSource source = CsvSource.classification(csv, 0, 3).header(true).scale(0.1f);
        assertThat(source.size()).isEqualTo(3);
        assertThat(source.featureWidth()).isEqualTo(2);
        List<float[]> rows = rows(source);
        assertThat(rows.get(0)).usingExactEquality().containsExactly(1f, 2f, 0f, 0f, 1f).inOrder();
        assertThat(rows.get(2)).usingExactEquality().containsExactly(5f, 6f, 0f, 1f, 0f).inOrder();
        Path values = Files.writeString(dir.resolve("v.csv"), "1;2;0.5\n3;4;0.25\n");
        assertThat(rows(CsvSource.of(values, 2).delimiter(';')).get(1)).usingExactEquality()
                .containsExactly(3f, 4f, 0.25f).inOrder();
    }

    @Test
    void csvErrorsNameLineAndFix() throws IOException {
        Path header = Files.writeString(dir.resolve("h.csv"), "label,a\n1,2\n");
        BadDataException e = assertThrows(BadDataException.class, () -> rows(CsvSource.classification(header, 0, 3)));
        assertThat(e.getMessage()).contains(".header(true)");
        Path bad = Files.writeString(dir.resolve("b.csv"), "1,2\n0,x\n");
        e = assertThrows(BadDataException.class, () -> rows(CsvSource.classification(bad, 0, 2)));
        assertThat(e.getMessage()).contains("line 2 (row 1) column 1: \"x\" is not a number");
        Path ragged = Files.writeString(dir.resolve("r.csv"), "1,2,3\n0,1\n");
        e = assertThrows(BadDataException.class, () -> rows(CsvSource.classification(ragged, 0, 2)));
        assertThat(e.getMessage()).contains("line 2 (row 1) has 2 fields but the first data line has 3");
    }

    @Test
    void iteratorRowsAreRebatchedAndFlattened() throws IOException {
        org.nd4j.linalg.dataset.DataSet all = new org.nd4j.linalg.dataset.DataSet(
                Nd4j.arange(0, 20).castTo(DataType.FLOAT).reshape(5, 2, 2),
                Nd4j.eye(5).castTo(DataType.FLOAT).get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)).dup());
        IteratorSource source = IteratorSource.of(new TestDataSetIterator(all, 2));
        assertThat(source.size()).isEqualTo(5);
        assertThat(source.featureWidth()).isEqualTo(4);
        List<float[]> rows = rows(source);
        assertThat(rows).hasSize(5);
        assertThat(rows.get(3)).usingExactEquality().containsExactly(12f, 13f, 14f, 15f, 0f, 0f).inOrder();
        assertThat(rows(source)).hasSize(5); // reset for the next epoch
    }
}
