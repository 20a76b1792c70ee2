package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.callbacks4j.History;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainingTest {

    private static Sequential blobModel(long seed) {
        return Sequential.input(4).dense(16, Activation.RELU).dense(3, Activation.SOFTMAX).seed(seed).build();
    }

    @Test
    void blobsReachHighAccuracyAndLossDecreases() {
        Dataset data = Blobs.classification(600, 4, 3, 1);
        Sequential model = blobModel(1);
        Trainer trainer = Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2)).metrics("accuracy").build();
        History h = trainer.fit(model, data, Fit.epochs(15).batchSize(32).validationSplit(0.2).verbose(0));
        List<Double> loss = h.get("loss");
        assertThat(loss.get(loss.size() - 1)).isLessThan(loss.get(0) / 3);
        assertThat(h.last("accuracy")).isGreaterThan(0.95);
        assertThat(h.last("val_accuracy")).isGreaterThan(0.95);
        assertThat(h.metrics()).containsExactly("accuracy", "loss", "val_accuracy", "val_loss").inOrder();
        assertThat(h.epochs()).hasSize(15);
        // The model itself learned: evaluate and predict agree with the history.
        Map<String, Double> eval = trainer.evaluate(model, data.rows(480, 600));
        assertThat(eval.get("accuracy")).isWithin(1e-6).of(h.last("val_accuracy"));
        assertThat(eval.get("loss")).isWithin(1e-5).of(h.last("val_loss"));
        assertThat(trainer.predict(model, data.features()).shape()).isEqualTo(new long[] {600, 3});
    }

    @Test
    void sameSeedsGiveBitIdenticalParamsAndHistory() {
        Dataset data = Blobs.classification(200, 4, 3, 2);
        Trainer trainer = Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2)).metrics("accuracy").build();
        Fit fit = Fit.epochs(3).batchSize(16).validationSplit(0.25).seed(9).verbose(0);
        Sequential a = blobModel(4);
        Sequential b = blobModel(4);
        History ha = trainer.fit(a, data, fit);
        History hb = trainer.fit(b, data, fit);
        assertThat(b.params().toFloatVector()).isEqualTo(a.params().toFloatVector());
        assertThat(hb.asMap()).isEqualTo(ha.asMap());

        Sequential c = blobModel(4);
        trainer.fit(c, data, fit.seed(10));
        assertThat(c.params().toFloatVector()).isNotEqualTo(a.params().toFloatVector());
    }

    @Test
    void withoutShufflingBatchesFollowTheDataOrder() {
        Dataset data = Blobs.classification(64, 4, 3, 2);
        Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Sgd.lr(0.1)).build();
        Fit fit = Fit.epochs(2).batchSize(16).shuffle(false).verbose(0);
        Sequential a = blobModel(4);
        Sequential b = blobModel(4);
        trainer.fit(a, data, fit);
        trainer.fit(b, data, fit.seed(123)); // the seed only drives shuffling
        assertThat(b.params().toFloatVector()).isEqualTo(a.params().toFloatVector());
        Sequential shuffled = blobModel(4);
        trainer.fit(shuffled, data, fit.shuffle(true));
        assertThat(shuffled.params().toFloatVector()).isNotEqualTo(a.params().toFloatVector());
    }

    static Stream<Optimizer> optimizers() {
        return Stream.of(
                Adam.lr(1e-2),
                Sgd.lr(0.1),
                Sgd.lr(0.05).momentum(0.9),
                Sgd.lr(0.05).momentum(0.9).nesterov(),
                RmsProp.lr(1e-2));
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void eachOptimizerTrains(Optimizer optimizer) {
        Dataset data = Blobs.classification(300, 4, 3, 5);
        Trainer trainer = Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(optimizer).metrics("accuracy").build();
        History h = trainer.fit(blobModel(3), data, Fit.epochs(8).batchSize(32).verbose(0));
        assertThat(h.last("loss")).isLessThan(h.get("loss").get(0) / 2);
        assertThat(h.last("accuracy")).isGreaterThan(0.9);
    }

    @Test
    void binaryCrossEntropyLearnsXor() {
        Dataset data = Blobs.xor(400, 7);
        Sequential model = Sequential.input(2).dense(16, Activation.TANH).dense(1, Activation.SIGMOID).seed(2).build();
        Trainer trainer = Trainer.builder()
                .loss(Loss.BINARY_CROSS_ENTROPY).optimizer(Adam.lr(3e-2)).metrics("accuracy").build();
        History h = trainer.fit(model, data, Fit.epochs(40).batchSize(32).verbose(0));
        assertThat(h.last("accuracy")).isGreaterThan(0.9);
        assertThat(h.last("loss")).isLessThan(0.35);
    }

    @Test
    void mseAndMaeFitALinearFunction() {
        Dataset data = Blobs.regression(300, 8);
        for (Loss loss : new Loss[] {Loss.MSE, Loss.MAE}) {
            Sequential model = Sequential.input(2).dense(1, Activation.IDENTITY).seed(3).build();
            Trainer trainer = Trainer.builder().loss(loss).optimizer(Adam.lr(5e-2)).metrics("mse", "mae").build();
            History h = trainer.fit(model, data, Fit.epochs(40).batchSize(16).verbose(0));
            assertThat(h.last("mae")).isLessThan(0.15);
            // The reported loss is the metric of the same name.
            String same = loss == Loss.MSE ? "mse" : "mae";
            assertThat(h.last("loss")).isWithin(1e-6).of(h.last(same));
            INDArray w = model.weights(0);
            assertThat(w.getDouble(0, 0)).isWithin(0.1).of(2.0);
            assertThat(w.getDouble(1, 0)).isWithin(0.1).of(-1.0);
        }
    }

    @Test
    void validationDataIsUsedAsGiven() {
        Dataset train = Blobs.classification(120, 4, 3, 1);
        Dataset val = Blobs.classification(30, 4, 3, 1);
        Trainer trainer = Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2)).metrics("accuracy").build();
        Sequential model = blobModel(1);
        History h = trainer.fit(model, train, Fit.epochs(2).validationData(val).verbose(0));
        Map<String, Double> eval = trainer.evaluate(model, val);
        assertThat(h.last("val_loss")).isWithin(1e-5).of(eval.get("loss"));
        assertThat(h.last("val_accuracy")).isWithin(1e-6).of(eval.get("accuracy"));
    }

    /** Sets the learning rate to 0 when training begins. */
    private static final class FreezeAt implements CallbackDispatcher {
        final int epoch;
        double seen = Double.NaN;
        float[] paramsAtFreeze;

        FreezeAt(int epoch) {
            this.epoch = epoch;
        }

        @Override
        public int hooks() {
            return Hooks.EPOCH_BEGIN;
        }

        @Override
        public void onEpochBegin(int e, TrainingContext context) {
            if (e == epoch) {
                context.setLearningRate(0);
                seen = context.learningRate();
                paramsAtFreeze = context.model().params().toFloatVector();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void learningRateSetByAHookReachesTheUpdater(Optimizer optimizer) {
        Dataset data = Blobs.classification(100, 4, 3, 5);
        Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(optimizer).build();
        Sequential model = blobModel(3);
        FreezeAt freeze = new FreezeAt(0);
        trainer.fit(model, data, Fit.epochs(2).batchSize(32).verbose(0), freeze);
        assertThat(freeze.seen).isEqualTo(0.0);
        // ND4J's Adam turns a step size of exactly 0 into epsilon, so "frozen" means moves of about 1e-6.
        assertThat(maxAbsDiff(model.params().toFloatVector(), freeze.paramsAtFreeze)).isLessThan(1e-4);
        assertThat(trainer.optimizerState(model).learningRate()).isEqualTo(0.0);

        // Without the hook the same run moves the parameters visibly.
        Sequential free = blobModel(3);
        float[] initial = free.params().toFloatVector();
        Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(optimizer).build()
                .fit(free, data, Fit.epochs(2).batchSize(32).verbose(0));
        assertThat(maxAbsDiff(free.params().toFloatVector(), initial)).isGreaterThan(1e-2);
    }

    @Test
    void learningRateChangeMidTrainingStopsUpdatesFromThatEpoch() {
        Dataset data = Blobs.classification(100, 4, 3, 5);
        Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2)).build();
        Sequential model = blobModel(3);
        float[] initial = model.params().toFloatVector();
        FreezeAt freeze = new FreezeAt(2);
        trainer.fit(model, data, Fit.epochs(4).batchSize(32).verbose(0), freeze);
        assertThat(maxAbsDiff(freeze.paramsAtFreeze, initial)).isGreaterThan(1e-2);
        assertThat(maxAbsDiff(model.params().toFloatVector(), freeze.paramsAtFreeze)).isLessThan(1e-4);
    }

    @Test
    void learningRateRejectsBadValues() {
        OptimizerState state = new OptimizerState(Adam.lr(1e-3), 10);
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> state.setLearningRate(bad));
            assertThat(e).hasMessageThat().contains("learning rate " + bad);
        }
    }

    @Test
    void optimizerStateSizesAndIterations() {
        Sequential model = blobModel(1);
        long p = model.paramCount();
        assertThat(new OptimizerState(Adam.lr(1e-3), p).flat().length()).isEqualTo(2 * p);
        assertThat(new OptimizerState(RmsProp.lr(1e-3), p).flat().length()).isEqualTo(p);
        assertThat(new OptimizerState(Sgd.lr(0.1), p).flat().length()).isEqualTo(0);
        assertThat(new OptimizerState(Sgd.lr(0.1).momentum(0.9), p).flat().length()).isEqualTo(p);
        assertThat(new OptimizerState(Sgd.lr(0.1).momentum(0.9).nesterov(), p).flat().length()).isEqualTo(p);

        Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-3)).build();
        Dataset data = Blobs.classification(100, 4, 3, 1); // 4 batches of 32, 32, 32, 4
        trainer.fit(model, data, Fit.epochs(2).verbose(0));
        OptimizerState state = trainer.optimizerState(model);
        assertThat(state.iterations()).isEqualTo(8);
        assertThat(state.flat().sumNumber().doubleValue()).isNotEqualTo(0.0);
        // A second fit of the same model continues with the same state, as Keras's compiled model.
        trainer.fit(model, data, Fit.epochs(1).verbose(0));
        assertThat(trainer.optimizerState(model).iterations()).isEqualTo(12);
        assertThat(trainer.optimizerState(model)).isSameInstanceAs(state);
    }

    @Test
    void resumingFromParamsAndOptimizerStateReproducesAnUninterruptedRun() {
        Dataset data = Blobs.classification(150, 4, 3, 6);
        Trainer trainer = Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2)).metrics("accuracy").build();
        Fit fit = Fit.epochs(4).batchSize(32).validationSplit(0.2).verbose(0);

        Sequential straight = blobModel(8);
        History full = trainer.fit(straight, data, fit);

        // First half, then "checkpoint": params, optimizer state and step count.
        Sequential first = blobModel(8);
        StopAfter stop = new StopAfter(1);
        trainer.fit(first, data, fit, stop);
        INDArray params = first.params().dup();
        OptimizerState saved = trainer.optimizerState(first);
        INDArray state = saved.flat().dup();
        long iterations = saved.iterations();

        // Resume in a fresh trainer and model.
        Trainer resumed = Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2)).metrics("accuracy").build();
        Sequential second = blobModel(99);
        second.setParams(params);
        resumed.optimizerState(second).restore(state, iterations);
        History rest = resumed.fit(second, data, fit.initialEpoch(2));

        assertThat(second.params().toFloatVector()).isEqualTo(straight.params().toFloatVector());
        assertThat(rest.epochs()).containsExactly(2, 3).inOrder();
        assertThat(rest.get("val_loss")).isEqualTo(full.get("val_loss").subList(2, 4));
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** Stops training at the end of a given epoch. */
    private static final class StopAfter implements CallbackDispatcher {
        final int epoch;

        StopAfter(int epoch) {
            this.epoch = epoch;
        }

        @Override
        public int hooks() {
            return Hooks.EPOCH_END;
        }

        @Override
        public void onEpochEnd(int e, Logs logs, TrainingContext context) {
            if (e == epoch) {
                context.stopTraining();
            }
        }
    }
}
