package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The training rows of a shuffled in-memory fit: each epoch's permutation, gathered batch by batch. */
class ShuffledRowsTest {

    private static final int ROWS = 11;
    private static final int BATCH = 4;

    private static INDArray features() {
        return Nd4j.arange(0, (ROWS + 1) * 4).castTo(DataType.FLOAT).reshape('c', ROWS + 1, 4);
    }

    private static INDArray labels() {
        return Nd4j.arange(0, (ROWS + 1) * 2).castTo(DataType.FLOAT).reshape('c', ROWS + 1, 2).muli(-1);
    }

    /** The source row of each training position of one epoch, read back from the gathered batches. */
    private static int[] gatheredRows(ShuffledRows rows, INDArray x, INDArray y) {
        int[] sourceRows = new int[ROWS];
        for (int b = 0; b * BATCH < ROWS; b++) {
            rows.gather(b);
            INDArray batchX = rows.features(b);
            INDArray batchY = rows.labels(b);
            assertThat(batchX.rows()).isEqualTo(Math.min(BATCH, ROWS - b * BATCH));
            for (int i = 0; i < batchX.rows(); i++) {
                int row = (int) batchX.getFloat(i, 0) / 4;
                assertThat(batchX.getRow(i)).isEqualTo(x.getRow(row));
                assertThat(batchY.getRow(i)).isEqualTo(y.getRow(row));
                sourceRows[b * BATCH + i] = row;
            }
        }
        return sourceRows;
    }

    @Test
    void batchesGatheredOneByOneHoldTheEpochsPermutationOfTheTrainingRows() {
        INDArray x = features();
        INDArray y = labels();
        ShuffledRows rows = new ShuffledRows(x, y, ROWS, BATCH);
        rows.shuffle(7, 2);
        boolean[] seen = new boolean[ROWS + 1];
        boolean moved = false;
        int[] sourceRows = gatheredRows(rows, x, y);
        for (int i = 0; i < ROWS; i++) {
            int row = sourceRows[i];
            assertThat(row).isLessThan(ROWS); // never the row past the training rows
            assertThat(seen[row]).isFalse();
            seen[row] = true;
            moved |= row != i;
        }
        assertThat(moved).isTrue();
    }

    @Test
    void batchesOfOneSizeShareOneBufferSoTheSetIsNeverCopiedWhole() {
        ShuffledRows rows = new ShuffledRows(features(), labels(), ROWS, BATCH);
        assertThat(rows.features(1)).isSameInstanceAs(rows.features(0));
        assertThat(rows.labels(1)).isSameInstanceAs(rows.labels(0));
        assertThat(rows.features(2)).isNotSameInstanceAs(rows.features(0)); // the shorter last batch
        assertThat(rows.features(0).rows()).isEqualTo(BATCH);
        assertThat(rows.features(2).rows()).isEqualTo(ROWS % BATCH);
    }

    @Test
    void theOrderDependsOnlyOnTheSeedAndTheEpoch() {
        ShuffledRows one = new ShuffledRows(features(), labels(), ROWS, BATCH);
        ShuffledRows other = new ShuffledRows(features(), labels(), ROWS, BATCH);
        one.shuffle(42, 1);
        other.shuffle(42, 0);
        other.shuffle(42, 1);
        assertThat(gatheredRows(one, features(), labels())).isEqualTo(gatheredRows(other, features(), labels()));
        other.shuffle(42, 2);
        assertThat(gatheredRows(one, features(), labels())).isNotEqualTo(gatheredRows(other, features(), labels()));
    }

    @Test
    void arraysWithoutDenseMemoryGetTheSameRowsThroughNd4jsPullRows() {
        // The same values as 'f'-order arrays: not dense in C order, so ND4J's pullRows gathers them.
        ShuffledRows direct = new ShuffledRows(features(), labels(), ROWS, BATCH);
        ShuffledRows pulled = new ShuffledRows(features().dup('f'), labels().dup('f'), ROWS, BATCH);
        for (int epoch = 0; epoch < 3; epoch++) {
            direct.shuffle(42, epoch);
            pulled.shuffle(42, epoch);
            assertThat(gatheredRows(pulled, features(), labels()))
                    .isEqualTo(gatheredRows(direct, features(), labels()));
        }
    }
}
