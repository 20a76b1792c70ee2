package org.callbacks4j.internal.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** A libnd4j op bound once: the same results as ND4J's own calls, and rebinding that takes effect. */
class BoundOpTest {

    private static INDArray random(long rows, long columns, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, rows, columns).subi(0.5);
    }

    @Test
    void matmulGivesNd4jGemmsResultsForEveryTransposeAndAlpha() {
        INDArray a = random(6, 4, 1);
        INDArray b = random(4, 5, 2);
        INDArray c = Nd4j.create(DataType.FLOAT, 6, 5);
        BoundOp plain = BoundOp.matmul(a, false, b, false, c, 1.0);
        plain.run();
        assertThat(c).isEqualTo(Nd4j.gemm(a, b, false, false));
        // a^T d with alpha: the trainer's weight gradient, scaled to the batch mean.
        INDArray d = random(6, 3, 3);
        INDArray t = Nd4j.create(DataType.FLOAT, 4, 3);
        BoundOp transposed = BoundOp.matmul(a, true, d, false, t, 0.25);
        transposed.run();
        INDArray expected = Nd4j.create(DataType.FLOAT, 4, 3);
        Nd4j.gemm(a, d, expected, true, false, 0.25, 0.0);
        assertThat(t).isEqualTo(expected);
        transposed.alpha(2.0).run();
        Nd4j.gemm(a, d, expected, true, false, 2.0, 0.0);
        assertThat(t).isEqualTo(expected);
    }

    @Test
    void aReboundInputOrOutputIsWhatTheNextRunUses() {
        INDArray a = random(3, 4, 4);
        INDArray b = random(4, 2, 5);
        INDArray c = Nd4j.create(DataType.FLOAT, 3, 2);
        BoundOp op = BoundOp.matmul(a, false, b, false, c, 1.0);
        op.run();
        INDArray other = random(3, 4, 6);
        INDArray otherOut = Nd4j.create(DataType.FLOAT, 3, 2);
        op.input(0, other).output(0, otherOut).run();
        assertThat(otherOut).isEqualTo(Nd4j.gemm(other, b, false, false));
        assertThat(c).isEqualTo(Nd4j.gemm(a, b, false, false)); // the first output no longer written
        // A view of a larger array (a batch of rows) binds as the array it is.
        INDArray rows = random(10, 4, 7);
        INDArray batch = rows.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(5, 8),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        op.input(0, batch).run();
        assertThat(otherOut).isEqualTo(Nd4j.gemm(batch.dup(), b, false, false));
        assertThat(op.inputIndex(b)).isEqualTo(1);
        assertThat(op.inputCount()).isEqualTo(2);
    }

    @Test
    void anOpThatFailsNamesItself() {
        INDArray a = Nd4j.create(DataType.FLOAT, 3, 4);
        INDArray wrong = Nd4j.create(DataType.FLOAT, 5, 2); // 4 columns cannot meet 5 rows
        BoundOp op = BoundOp.of(DynamicCustomOp.builder("matmul").addInputs(a, wrong)
                .addOutputs(Nd4j.create(DataType.FLOAT, 3, 2)).addIntegerArguments(0, 0, 0).build());
        RuntimeException e = assertThrows(RuntimeException.class, op::run);
        assertThat(e).hasMessageThat().contains("matmul");
    }
}
