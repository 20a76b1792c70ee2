package org.callbacks4j.internal.train;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.indexaccum.custom.ArgMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class HostAccuracyTest {

    /** ND4J's way, as the trainer computed accuracy before: ArgMax of both, EqualTo. */
    private static float[] nd4jHits(INDArray out, INDArray y) {
        INDArray p = Nd4j.exec(new ArgMax(new INDArray[] {out}, false, new int[] {1}))[0];
        INDArray e = Nd4j.exec(new ArgMax(new INDArray[] {y}, false, new int[] {1}))[0];
        return p.eq(e).castTo(DataType.FLOAT).toFloatVector();
    }

    @Test
    void agreesWithNd4jsArgMaxOnBatchViewsWithTiesAndNaN() {
        Nd4j.getRandom().setSeed(7);
        int rows = 300;
        int classes = 10;
        // Outputs rounded to a few levels, so that many rows have ties (ArgMax takes the first largest).
        INDArray outputs = Nd4j.rand(DataType.FLOAT, rows, classes).muli(4);
        outputs.assign(Nd4j.math().floor(outputs));
        outputs.putScalar(5, 3, Float.NaN);
        outputs.putScalar(6, 0, Float.NaN);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, rows, classes);
        for (int r = 0; r < rows; r++) {
            labels.putScalar(r, (r * 7) % classes, 1f);
        }
        INDArray metric = Nd4j.create(DataType.FLOAT, rows, 1);
        // Batch views at offsets, as the trainer's (rows of the shuffled set, slices of the metric column).
        int[][] batches = {{0, 128}, {128, 256}, {256, 300}};
        int hits = 0;
        for (int[] b : batches) {
            INDArray out = outputs.get(NDArrayIndex.interval(b[0], b[1]), NDArrayIndex.all()).dup();
            INDArray y = labels.get(NDArrayIndex.interval(b[0], b[1]), NDArrayIndex.all());
            INDArray target = metric.get(NDArrayIndex.interval(b[0], b[1]), NDArrayIndex.all());
            assertThat(HostAccuracy.categorical(out, y, target)).isTrue();
            float[] expected = nd4jHits(out, y);
            assertThat(target.toFloatVector()).isEqualTo(expected);
            for (float h : expected) {
                hits += (int) h;
            }
        }
        // The rows outside each view were left alone, and there are hits and misses to compare.
        assertThat(metric.sumNumber().intValue()).isEqualTo(hits);
        assertThat(hits).isGreaterThan(0);
        assertThat(hits).isLessThan(rows);
    }

    @Test
    void leavesStridedOrOtherTypedArraysToNd4j() {
        INDArray out = Nd4j.rand(DataType.FLOAT, 8, 3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
        INDArray target = Nd4j.create(DataType.FLOAT, 8, 1);
        assertThat(HostAccuracy.categorical(out.castTo(DataType.DOUBLE), y, target)).isFalse();
        assertThat(HostAccuracy.categorical(Nd4j.rand(DataType.FLOAT, 3, 8).transpose(), y, target)).isFalse();
        assertThat(target.sumNumber().doubleValue()).isEqualTo(0.0);
    }
}
