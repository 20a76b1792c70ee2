package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The training rows of a shuffled in-memory fit: each epoch's permutation, gathered batch by batch or whole. */
class ShuffledRowsTest {

    private static final int ROWS = 11;

    private static INDArray labels() {
        return Nd4j.arange(0, (ROWS + 1) * 2).castTo(DataType.FLOAT).reshape('c', ROWS + 1, 2).muli(-1);
    }

    @Test
    void batchesGatheredOneByOneHoldTheEpochsPermutationOfTheTrainingRows() {
        INDArray x = Nd4j.arange(0, (ROWS + 1) * 4).castTo(DataType.FLOAT).reshape('c', ROWS + 1, 4);
        INDArray y = labels();
        ShuffledRows rows = new ShuffledRows(x, y, ROWS);
        rows.shuffle(7, 2);
        rows.gather(0, 4);
        rows.gather(4, 8);
        rows.gather(8, ROWS);
        boolean[] seen = new boolean[ROWS + 1];
        boolean moved = false;
        for (int i = 0; i < ROWS; i++) {
            int row = (int) rows.features().getFloat(i, 0) / 4;
            assertThat(row).isLessThan(ROWS); // never the row past the training rows
            assertThat(seen[row]).isFalse();
            seen[row] = true;
            moved |= row != i;
            assertThat(rows.features().getRow(i)).isEqualTo(x.getRow(row));
            assertThat(rows.labels().getRow(i)).isEqualTo(y.getRow(row));
        }
        assertThat(moved).isTrue();
    }

    @Test
    void arraysWithoutDenseMemoryGetTheSameRowsThroughOneWholeCopy() {
        INDArray dense = Nd4j.arange(0, (ROWS + 1) * 4).castTo(DataType.FLOAT).reshape('c', ROWS + 1, 4);
        // The same values as an 'f'-order array: not dense in C order, so ND4J's pullRows gathers them.
        INDArray fOrder = dense.dup('f');
        ShuffledRows direct = new ShuffledRows(dense, labels(), ROWS);
        ShuffledRows whole = new ShuffledRows(fOrder, labels().dup('f'), ROWS);
        for (int epoch = 0; epoch < 3; epoch++) {
            direct.shuffle(42, epoch);
            whole.shuffle(42, epoch);
            direct.gather(0, 5);
            direct.gather(5, ROWS);
            whole.gather(0, ROWS); // nothing left to do
            assertThat(direct.features()).isEqualTo(whole.features());
            assertThat(direct.labels()).isEqualTo(whole.labels());
        }
    }
}
