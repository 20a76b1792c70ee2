package org.callbacks4j.spark;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.callbacks4j.EarlyStop;
import org.callbacks4j.History;
import org.callbacks4j.Logs;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;
import org.junit.jupiter.api.Test;

/** Several partitions: the same accuracy as one machine, hooks once per epoch on the driver, a stop ends the job. */
class SeveralPartitionsTest {

    /** Records each epoch's global logs, as the driver sees them. */
    public static class EpochLog {

        final List<Integer> epochs = new ArrayList<>();
        final List<Double> valAccuracy = new ArrayList<>();
        final List<String> threads = new ArrayList<>();

        @OnEpochEnd
        void epochEnd(int epoch, Logs logs) {
            epochs.add(epoch);
            valAccuracy.add(logs.get("val_accuracy"));
            threads.add(Thread.currentThread().getName());
        }
    }

    /** Stops as soon as the validation loss fails to improve by 10 (that is, at the second epoch). */
    @EarlyStop(monitor = "val_loss", minDelta = 10, patience = 1)
    public static class StopAtOnce extends EpochLog {}

    private static Sequential model() {
        return Sequential.input(64).dense(32, Activation.RELU).dense(10, Activation.SOFTMAX).seed(3).build();
    }

    private static Trainer trainer() {
        return Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(3e-3)).metrics("accuracy")
                .build();
    }

    @Test
    void threePartitionsReachTheSingleMachineAccuracyOnDigitsWithinOnePoint() {
        Dataset digits = Digits.load();
        Dataset train = digits.rows(0, 1437);
        Dataset validation = digits.rows(1437, digits.size());
        Fit fit = Fit.epochs(20).batchSize(32).validationData(validation).verbose(0);

        Sequential local = model();
        History single = trainer().fit(local, train, fit);

        Sequential distributed = model();
        EpochLog hooks = new EpochLog();
        History spark = SparkTrainer.of(trainer()).syncEvery(2)
                .fit(distributed, SparkData.parallelize(LocalSpark.context(), train, 3), fit, hooks);

        double expected = single.last("val_accuracy");
        double actual = spark.last("val_accuracy");
        System.out.printf("digits val_accuracy: single machine %.4f, 3 partitions %.4f%n", expected, actual);
        assertThat(actual).isWithin(0.01).of(expected);
        // The hook ran once per epoch, on the driver (the test's thread), with the globally reduced values.
        assertThat(hooks.epochs).hasSize(20);
        assertThat(hooks.threads).containsExactlyElementsIn(java.util.Collections.nCopies(20,
                Thread.currentThread().getName()));
        assertThat(hooks.valAccuracy).isEqualTo(spark.get("val_accuracy"));
    }

    @Test
    void sixteenPartitionsAreSummedInGroupsOnExecutorsWithTheSameBitsEveryTime() {
        assertThat(SparkFitRun.groupBits(16)).isEqualTo(2); // groups of 4 partitions, summed before the driver
        Dataset digits = Digits.load();
        Fit fit = Fit.epochs(2).batchSize(16).verbose(0);
        Sequential first = model();
        History a = SparkTrainer.of(trainer())
                .fit(first, SparkData.parallelize(LocalSpark.context(), digits.rows(0, 480), 16), fit);
        Sequential second = model();
        History b = SparkTrainer.of(trainer())
                .fit(second, SparkData.parallelize(LocalSpark.context(), digits.rows(0, 480), 16), fit);
        assertThat(second.params().toFloatVector()).isEqualTo(first.params().toFloatVector());
        assertThat(b.asMap()).isEqualTo(a.asMap());
        assertThat(a.get("loss").get(1)).isLessThan(a.get("loss").get(0));
    }

    @Test
    void earlyStoppingStopsTheWholeJob() {
        Dataset digits = Digits.load();
        Fit fit = Fit.epochs(10).batchSize(64).validationData(digits.rows(1000, 1300)).verbose(0);
        StopAtOnce hooks = new StopAtOnce();
        History history = SparkTrainer.of(trainer()).syncEvery(4)
                .fit(model(), SparkData.parallelize(LocalSpark.context(), digits.rows(0, 1000), 2), fit, hooks);

        assertThat(history.epochs()).containsExactly(0, 1).inOrder();
        assertThat(hooks.epochs).containsExactly(0, 1).inOrder();
        assertThat(history.stoppedBy()).isPresent();
        assertThat(history.stoppedEpoch().getAsInt()).isEqualTo(1);
        assertThat(history.earlyStopping()).hasSize(1);
        assertThat(history.earlyStopping().get(0).stopped()).isTrue();
    }
}
