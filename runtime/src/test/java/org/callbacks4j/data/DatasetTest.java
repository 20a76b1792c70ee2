package org.callbacks4j.data;

import static com.google.common.truth.Truth.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DatasetTest {

    private static Dataset counting(int n) {
        float[][] x = new float[n][2];
        float[][] y = new float[n][1];
        for (int i = 0; i < n; i++) {
            x[i][0] = i;
            x[i][1] = -i - 1;
            y[i][0] = i * 10;
        }
        return Dataset.of(x, y);
    }

    @Test
    void classificationMakesOneHotRows() {
        Dataset d = Dataset.classification(new float[][] {{1}, {2}, {3}}, new int[] {2, 0, 1}, 3);
        assertThat(d.labels().toFloatMatrix()).isEqualTo(new float[][] {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}});
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.featureWidth()).isEqualTo(1);
        assertThat(d.labelWidth()).isEqualTo(3);
    }

    @Test
    void splitHoldsOutTheLastFractionAsKeras() {
        Dataset.Split s = counting(10).split(0.25);
        // Keras: split_at = int(10 * (1 - 0.25)) = 7
        assertThat(s.head().size()).isEqualTo(7);
        assertThat(s.tail().size()).isEqualTo(3);
        assertThat(s.tail().features().getFloat(0, 0)).isEqualTo(7f);
        assertThat(s.head().labels().getFloat(6, 0)).isEqualTo(60f);
        assertThat(Dataset.splitPoint(10, 0.2)).isEqualTo(8);
    }

    @Test
    void shuffledKeepsRowsTogetherAndIsReproducible() {
        Dataset d = counting(50);
        Dataset s = d.shuffled(3);
        Set<Float> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            float v = s.features().getFloat(i, 0);
            assertThat(s.features().getFloat(i, 1)).isEqualTo(-v - 1);
            assertThat(s.labels().getFloat(i, 0)).isEqualTo(v * 10);
            seen.add(v);
        }
        assertThat(seen).hasSize(50);
        assertThat(s.features().toFloatMatrix()).isEqualTo(d.shuffled(3).features().toFloatMatrix());
        assertThat(s.features().toFloatMatrix()).isNotEqualTo(d.shuffled(4).features().toFloatMatrix());
        assertThat(s.features().toFloatMatrix()).isNotEqualTo(d.features().toFloatMatrix());
    }

    @Test
    void ofConvertsToContiguousFloat32() {
        INDArray doubles = Nd4j.create(new double[][] {{1, 2}, {3, 4}});
        INDArray column = Nd4j.create(new float[][] {{1, 9}, {2, 9}}).getColumn(0).reshape(2, 1);
        Dataset d = Dataset.of(doubles, column);
        assertThat(d.features().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(d.labels().isView()).isFalse();
        assertThat(d.labels().toFloatVector()).isEqualTo(new float[] {1, 2});
    }
}
