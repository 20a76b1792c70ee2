package org.callbacks4j.spark;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.callbacks4j.data.BatchSource;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.data.RowReader;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;
import org.junit.jupiter.api.Test;

/** Bad input fails before any training, with a message that names the value and the fix. */
class BadInputTest {

    private static final Trainer TRAINER =
            Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-3)).build();

    private static Sequential model() {
        return Sequential.input(64).dense(10, Activation.SOFTMAX).seed(1).build();
    }

    private static JavaRDD<Example> rows(int count, int partitions) {
        return SparkData.parallelize(LocalSpark.context(), Digits.load().rows(0, count), partitions);
    }

    @Test
    void aRowOfTheWrongWidthIsNamedByPartitionAndRow() {
        List<Example> examples = new ArrayList<>(rows(20, 1).collect());
        examples.set(15, new Example(new float[63], examples.get(15).labels()));
        Sequential model = model();
        float[] before = model.params().toFloatVector();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.of(TRAINER)
                .fit(model, LocalSpark.context().parallelize(examples, 2), Fit.epochs(1).verbose(0)));
        assertThat(e).hasMessageThat().contains("row 5 of partition 1 has 63 features but the model takes 64");
        assertThat(model.params().toFloatVector()).isEqualTo(before);
    }

    @Test
    void labelsOutOfRangeAreReportedAsTrainerFitReportsThem() {
        List<Example> examples = new ArrayList<>(rows(20, 1).collect());
        float[] bad = new float[10];
        bad[3] = 2f;
        examples.set(2, new Example(examples.get(2).features(), bad));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.of(TRAINER)
                .fit(model(), LocalSpark.context().parallelize(examples, 2), Fit.epochs(1).verbose(0)));
        assertThat(e).hasMessageThat().contains("training partition 0 labels range from 0.0 to 2.0");
    }

    @Test
    void aValidationSplitIsRefusedWithTheAlternatives() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.of(TRAINER)
                .fit(model(), rows(20, 2), Fit.epochs(1).validationSplit(0.2).verbose(0)));
        assertThat(e).hasMessageThat().contains("validationSplit(0.2)");
        assertThat(e).hasMessageThat().contains("randomSplit");
    }

    @Test
    void settingsOnlyTheRuntimesTrainerHasAreRefused() {
        IllegalArgumentException freq = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.of(TRAINER)
                .fit(model(), rows(20, 2), Fit.epochs(2).validationFreq(2).verbose(0)));
        assertThat(freq).hasMessageThat().contains("Fit.validationFreq(2) is not supported by SparkTrainer");
        IllegalArgumentException weights = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.of(TRAINER)
                .fit(model(), rows(20, 2), Fit.epochs(1).classWeight(java.util.Map.of(0, 2.0)).verbose(0)));
        assertThat(weights).hasMessageThat().contains("not supported by SparkTrainer");
        BatchSource file = new BatchSource() {
            @Override
            public int size() {
                return 20;
            }

            @Override
            public int featureWidth() {
                return 64;
            }

            @Override
            public int labelWidth() {
                return 10;
            }

            @Override
            public String describe() {
                return "a file";
            }

            @Override
            public RowReader open() {
                throw new AssertionError("not read: refused before");
            }
        };
        IllegalArgumentException streamed = assertThrows(IllegalArgumentException.class, () -> SparkTrainer
                .of(TRAINER).fit(model(), rows(20, 2), Fit.epochs(1).validationData(file).verbose(0)));
        assertThat(streamed).hasMessageThat().contains("Fit.validationData(a file) streams from a file or iterator");
    }

    @Test
    void aBadSyncIntervalIsRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SparkTrainer.of(TRAINER).syncEvery(0));
        assertThat(e).hasMessageThat().contains("syncEvery 0 must be at least 1");
    }

    @Test
    void emptyDataIsRefused() {
        Dataset none = Digits.load().rows(0, 1);
        JavaRDD<Example> empty = SparkData.parallelize(LocalSpark.context(), none, 1).filter(x -> false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.of(TRAINER)
                .fit(model(), empty, Fit.epochs(1).verbose(0)));
        assertThat(e).hasMessageThat().contains("training data has no rows");
    }
}
