package org.callbacks4j.spark;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.callbacks4j.History;
import org.callbacks4j.Logs;
import org.callbacks4j.OnBatchEnd;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Sgd;
import org.callbacks4j.train.Trainer;
import org.junit.jupiter.api.Test;

/** With one partition and a synchronisation after every batch, a Spark fit is {@code Trainer.fit}, bit for bit. */
class OnePartitionTest {

    /** Records what the hooks saw. */
    public static class Recording {

        final List<Integer> epochs = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();
        int batchEnds;

        @OnEpochEnd
        void epochEnd(int epoch, Logs logs) {
            epochs.add(epoch);
            losses.add(logs.get("loss"));
        }

        @OnBatchEnd
        void batchEnd(int batch) {
            batchEnds++;
        }
    }

    private static Sequential model() {
        return Sequential.input(64).dense(32, Activation.RELU).dense(10, Activation.SOFTMAX).seed(7).build();
    }

    private static Trainer trainer() {
        return Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(3e-3)).metrics("accuracy")
                .build();
    }

    @Test
    void onePartitionSyncEveryBatchEqualsTheSingleMachineTrainerBitForBit() {
        Dataset digits = Digits.load();
        Dataset train = digits.rows(0, 500);
        Dataset validation = digits.rows(500, 700);
        Fit fit = Fit.epochs(3).batchSize(32).validationData(validation).seed(11).verbose(0);

        Sequential local = model();
        Trainer localTrainer = trainer();
        Recording localHooks = new Recording();
        History expected = localTrainer.fit(local, train, fit, localHooks);

        Sequential distributed = model();
        Trainer sparkTrainer = trainer();
        Recording sparkHooks = new Recording();
        History actual = SparkTrainer.of(sparkTrainer)
                .fit(distributed, SparkData.parallelize(LocalSpark.context(), train, 1), fit, sparkHooks);

        assertThat(distributed.params().toFloatVector()).isEqualTo(local.params().toFloatVector());
        assertThat(sparkTrainer.optimizerState(distributed).flat().toFloatVector())
                .isEqualTo(localTrainer.optimizerState(local).flat().toFloatVector());
        assertThat(sparkTrainer.optimizerState(distributed).iterations())
                .isEqualTo(localTrainer.optimizerState(local).iterations());
        assertThat(actual.asMap()).isEqualTo(expected.asMap());
        assertThat(sparkHooks.epochs).containsExactly(0, 1, 2).inOrder();
        assertThat(sparkHooks.losses).isEqualTo(localHooks.losses);
        // 500 rows in batches of 32: 16 batches, so 16 synchronisation rounds per epoch.
        assertThat(sparkHooks.batchEnds).isEqualTo(3 * 16);
    }

    @Test
    void plainSgdWithNoOptimizerStateAlsoMatchesBitForBit() {
        Dataset train = Digits.load().rows(0, 200);
        Fit fit = Fit.epochs(2).batchSize(50).verbose(0);
        Sequential local = model();
        Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Sgd.lr(0.1)).build().fit(local, train, fit);
        Sequential distributed = model();
        SparkTrainer.of(Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Sgd.lr(0.1)).build())
                .fit(distributed, SparkData.parallelize(LocalSpark.context(), train, 1), fit);
        assertThat(distributed.params().toFloatVector()).isEqualTo(local.params().toFloatVector());
    }
}
