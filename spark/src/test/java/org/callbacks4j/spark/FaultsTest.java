package org.callbacks4j.spark;

import static com.google.common.truth.Truth.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.MapOutputTrackerMaster;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.storage.RDDBlockId;
import org.callbacks4j.History;
import org.callbacks4j.OnEpochBegin;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;
import org.junit.jupiter.api.Test;

/** A lost executor's work is redone by Spark with the same bits: the fit ends as if nothing had happened. */
class FaultsTest {

    /** Armed: the next task that reads partition 1's source rows fails once, as on an executor that dies. */
    static final AtomicBoolean ARMED = new AtomicBoolean();
    static final AtomicInteger FAILURES = new AtomicInteger();

    /** The source rows, failing once when armed. */
    static final class FailOnce implements Function<Example, Example> {

        private static final long serialVersionUID = 1L;

        @Override
        public Example call(Example e) {
            if (TaskContext.getPartitionId() == 1 && ARMED.compareAndSet(true, false)) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("simulated loss of the executor holding partition 1");
            }
            return e;
        }
    }

    /**
     * At the start of epoch 2, what losing an executor does: partition 1's cached shard is gone, and so are the shuffle
     * files the executor held, so Spark must rebuild the shard from the source rows; the first task that reads
     * partition 1's rows then fails (armed here), and Spark retries it.
     */
    public static class LoseAnExecutor {

        @OnEpochBegin
        void epochBegin(int epoch) {
            if (epoch != 2) {
                return;
            }
            var persisted = LocalSpark.context().getPersistentRDDs();
            int dropped = 0;
            for (var e : persisted.entrySet()) {
                if ("callbacks4j training shards".equals(e.getValue().name())) {
                    SparkEnv.get().blockManager().removeBlock(new RDDBlockId(e.getKey(), 1), true);
                    dropped++;
                }
            }
            assertThat(dropped).isEqualTo(1);
            ((MapOutputTrackerMaster) SparkEnv.get().mapOutputTracker())
                    .removeOutputsOnExecutor(SparkEnv.get().executorId());
            ARMED.set(true);
        }
    }

    private static History fit(Sequential model, Object... callbacks) {
        Dataset digits = Digits.load();
        JavaRDD<Example> rows = SparkData.parallelize(LocalSpark.context(), digits.rows(0, 900), 3)
                .map(new FailOnce());
        Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(3e-3))
                .metrics("accuracy").build();
        Fit fit = Fit.epochs(4).batchSize(32).validationData(digits.rows(900, 1200)).verbose(0);
        return SparkTrainer.of(trainer).syncEvery(3).fit(model, rows, fit, callbacks);
    }

    private static Sequential model() {
        return Sequential.input(64).dense(16, Activation.RELU).dense(10, Activation.SOFTMAX).seed(5).build();
    }

    @Test
    void aLostPartitionIsRecomputedAndTheRetriedTaskGivesTheSameResult() {
        Sequential undisturbed = model();
        History expected = fit(undisturbed);

        Sequential disturbed = model();
        FAILURES.set(0);
        History actual = fit(disturbed, new LoseAnExecutor());

        assertThat(FAILURES.get()).isEqualTo(1);
        assertThat(ARMED.get()).isFalse();
        assertThat(disturbed.params().toFloatVector()).isEqualTo(undisturbed.params().toFloatVector());
        assertThat(actual.asMap()).isEqualTo(expected.asMap());
    }
}
