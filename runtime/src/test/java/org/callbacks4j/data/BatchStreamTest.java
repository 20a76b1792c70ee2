package org.callbacks4j.data;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream hands out every row once per epoch in an order drawn from the seed and the epoch (index permutation or
 * shuffle buffer), resumes mid-epoch on the same rows, reads ahead on its own thread, and weights rows.
 */
class BatchStreamTest {

    private static final int ROWS = 103;

    @TempDir
    Path dir;

    /** Rows whose first feature is the row index; labels one-hot of index % 3. */
    private BatchSource file(boolean gzip) throws IOException {
        float[] x = new float[ROWS * 2];
        byte[] y = new byte[ROWS];
        for (int i = 0; i < ROWS; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = (byte) (i % 3);
        }
        String z = gzip ? ".gz" : "";
        return IdxSource.classification(DataFiles.idxFloats(dir.resolve("x" + z), x, gzip, ROWS, 2),
                DataFiles.idxBytes(dir.resolve("y" + z), y, gzip, ROWS), 3);
    }

    /** The row indices of epoch {@code epoch} from batch {@code first}, with the labels checked against them. */
    private static List<Integer> epoch(BatchStream stream, int epoch, int first) {
        List<Integer> rows = new ArrayList<>();
        stream.startEpoch(epoch, first);
        for (int b = first; b < stream.batchCount(); b++) {
            BatchStream.Batch batch = stream.next();
            assertThat(batch.index()).isEqualTo(b);
            float[][] x = batch.x().toFloatMatrix();
            float[][] y = batch.y().toFloatMatrix();
            for (int i = 0; i < batch.rows(); i++) {
                int row = (int) x[i][0];
                assertThat(x[i][1]).isEqualTo(-row);
                assertThat(y[i][row % 3]).isEqualTo(1f);
                rows.add(row);
            }
        }
        return rows;
    }

    private static void assertPermutation(List<Integer> rows) {
        assertThat(rows).hasSize(ROWS);
        assertThat(rows.stream().distinct().count()).isEqualTo((long) ROWS);
    }

    @Test
    void mappedFileIsShuffledByTheSeededPermutationEachEpoch() throws IOException {
        try (BatchStream stream = new BatchStream(file(false), "training", 10, true, 7, null, null)) {
            assertThat(stream.order()).isEqualTo("shuffled by index permutation");
            List<Integer> e0 = epoch(stream, 0, 0);
            List<Integer> e1 = epoch(stream, 1, 0);
            assertPermutation(e0);
            assertPermutation(e1);
            assertThat(e0).isNotEqualTo(e1);
            int[] expected = new int[ROWS];
            BatchStream.permutation(expected, true, 7, 1);
            assertThat(e1).containsExactlyElementsIn(java.util.Arrays.stream(expected).boxed().toList()).inOrder();
            assertThat(epoch(stream, 1, 4)).isEqualTo(e1.subList(40, ROWS)); // resumed at batch 4
        }
    }

    @Test
    void gzipIsShuffledThroughABufferReproduciblyAndResumesOnTheSameRows() throws IOException {
        BatchSource source = ((IdxSource) file(true)).shuffleBuffer(16);
        try (BatchStream a = new BatchStream(source, "training", 10, true, 7, null, null);
                BatchStream b = new BatchStream(source, "training", 10, true, 7, null, null)) {
            assertThat(a.order()).isEqualTo("shuffled through a 16-row buffer");
            List<Integer> e0 = epoch(a, 0, 0);
            List<Integer> e1 = epoch(a, 1, 0);
            assertPermutation(e0);
            assertPermutation(e1);
            assertThat(e0).isNotEqualTo(e1);
            assertThat(epoch(b, 1, 0)).isEqualTo(e1);
            assertThat(epoch(b, 1, 7)).isEqualTo(e1.subList(70, ROWS));
            // A buffer shuffles locally: a row comes out at most 15 places before its file position
            for (int i = 0; i < ROWS; i++) {
                assertThat(e0.get(i)).isAtMost(i + 15);
            }
        }
    }

    @Test
    void unshuffledStreamsKeepFileOrderAndStopMidEpochCleanly() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            try (BatchStream stream = new BatchStream(file(gzip), "validation", 32, false, 0, null, null)) {
                assertThat(stream.order()).isEqualTo("in order");
                stream.startEpoch(0, 0);
                stream.next(); // then abandon the epoch (a stop request)
                List<Integer> all = epoch(stream, 1, 0);
                for (int i = 0; i < ROWS; i++) {
                    assertThat(all.get(i)).isEqualTo(i);
                }
            }
        }
    }

    @Test
    void readsAheadOnItsOwnThread() throws Exception {
        CountDownLatch secondBatchRead = new CountDownLatch(1);
        List<String> threads = new ArrayList<>();
        BatchSource base = file(false);
        BatchSource watched = new BatchSource() {
            public int size() {
                return base.size();
            }

            public int featureWidth() {
                return base.featureWidth();
            }

            public int labelWidth() {
                return base.labelWidth();
            }

            public String describe() {
                return "watched";
            }

            public RowReader open() throws IOException {
                RowReader r = base.open();
                return new RowReader() {
                    int read;

                    public boolean randomAccess() {
                        return true;
                    }

                    public void read(int row, FloatBuffer x, FloatBuffer y) throws IOException {
                        synchronized (threads) {
                            threads.add(Thread.currentThread().getName());
                        }
                        r.read(row, x, y);
                        if (++read == 20) {
                            secondBatchRead.countDown();
                        }
                    }

                    public boolean next(FloatBuffer x, FloatBuffer y) throws IOException {
                        return r.next(x, y);
                    }

                    public void rewind() throws IOException {
                        r.rewind();
                    }
                };
            }
        };
        try (BatchStream stream = new BatchStream(watched, "training", 10, true, 1, null, null)) {
            stream.startEpoch(0, 0);
            // Nothing has been taken yet, and the second batch is already read.
            assertThat(secondBatchRead.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(epoch(stream, 0, 0)).hasSize(ROWS);
        }
        synchronized (threads) {
            assertThat(threads).doesNotContain(Thread.currentThread().getName());
            assertThat(threads.get(0)).isEqualTo("callbacks4j-batches-training");
        }
    }

    @Test
    void aStreamThatNeverRunsHoldsNoThread() throws IOException {
        BatchStream idle = new BatchStream(file(true), "idle", 10, true, 1, null, null);
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
                .doesNotContain("callbacks4j-batches-idle");
        idle.close();
        assertThrows(IllegalStateException.class, () -> idle.startEpoch(0, 0));
    }

    @Test
    void rowsCarrySampleTimesClassWeights() throws IOException {
        float[] sample = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            sample[i] = i;
        }
        try (BatchStream stream = new BatchStream(file(false), "training", 8, true, 3, sample, new float[] {1, 2})) {
            stream.startEpoch(0, 0);
            for (int b = 0; b < stream.batchCount(); b++) {
                BatchStream.Batch batch = stream.next();
                float[][] x = batch.x().toFloatMatrix();
                float[] w = batch.w().toFloatVector();
                assertThat(w).hasLength(batch.rows());
                for (int i = 0; i < batch.rows(); i++) {
                    int row = (int) x[i][0];
                    float classWeight = row % 3 == 1 ? 2f : 1f; // class 2 is not in the map: weight 1
                    assertThat(w[i]).isEqualTo(row * classWeight);
                }
            }
        }
        try (BatchStream plain = new BatchStream(file(false), "training", 8, true, 3, null, null)) {
            plain.startEpoch(0, 0);
            assertThat(plain.next().w()).isNull();
        }
    }

    @Test
    void aReadErrorSurfacesOnTheTrainingThreadWithTheRow() throws IOException {
        Path images = DataFiles.idxBytes(dir.resolve("i"), new byte[8], false, 2, 2, 2);
        Path labels = DataFiles.idxBytes(dir.resolve("l"), new byte[] {1, 12}, false, 2);
        try (BatchStream stream = new BatchStream(IdxSource.classification(images, labels, 10), "training", 1, false,
                0, null, null)) {
            stream.startEpoch(0, 0);
            stream.next();
            BadDataException e = assertThrows(BadDataException.class, stream::next);
            assertThat(e.row()).isEqualTo(1);
        }
    }
}
