package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.internal.policy.ModelWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A small CNN end to end: training, inference mode, checkpoints and the weights policies see. */
class CnnTrainingTest {

    /** 4x4x1 "images": Gaussian blobs of 16 features. */
    private static final Dataset DATA = Blobs.classification(240, 16, 3, 5);

    @TempDir
    Path dir;

    private static Sequential model() {
        return Sequential.input(4, 4, 1).conv2d(6, 3, 1, "same", Activation.RELU).batchNorm().maxPool(2)
                .flatten().dropout(0.3).dense(12, Activation.TANH).l2(1e-3).dense(3, Activation.SOFTMAX).seed(9)
                .build();
    }

    private static Trainer trainer() {
        return Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2).clipNorm(5))
                .metrics("accuracy").build();
    }

    @Test
    void learnsTheBlobs() {
        Sequential model = model();
        INDArray stateBefore = model.state().dup();
        trainer().fit(model, DATA, Fit.epochs(8).batchSize(16).seed(1).verbose(0));
        Map<String, Double> scores = trainer().evaluate(model, DATA);
        assertThat(scores.get("accuracy")).isAtLeast(0.9);
        assertThat(model.state()).isNotEqualTo(stateBefore); // training moved the moving statistics
    }

    @Test
    void inferenceIsDeterministicAndTrainingModeIsNot() {
        Sequential model = model();
        INDArray x = DATA.features();
        INDArray a = model.predict(x);
        INDArray b = model.predict(x);
        assertThat(a).isEqualTo(b);
        // Predictions run in chunks: rows predicted alone give the same outputs.
        INDArray some = x.get(NDArrayIndex.interval(250 - 20, 240), NDArrayIndex.all());
        assertThat(model.predict(some))
                .isEqualTo(a.get(NDArrayIndex.interval(230, 240), NDArrayIndex.all()));
        // Training mode: dropout masks and batch statistics change the outputs; inference leaves the state alone.
        INDArray state = model.state().dup();
        Network net = new Network(model, Loss.SOFTMAX_CROSS_ENTROPY, new BuiltInMetric[0]);
        Network.Frame f = net.frame(240);
        net.forward(f, x, false);
        assertThat(net.output(f)).isEqualTo(a);
        assertThat(model.state()).isEqualTo(state);
        net.forward(f, x, true);
        assertThat(net.output(f)).isNotEqualTo(a);
        assertThat(model.state()).isNotEqualTo(state);
    }

    @Test
    void oneRowBatchesTrainValidateAndEvaluate() {
        Sequential model = Sequential.input(4, 4, 1).conv2d(4, 3, Activation.RELU).batchNorm().flatten()
                .dropout(0.2).dense(3, Activation.SOFTMAX).seed(2).build();
        Dataset data = DATA.rows(0, 41); // 33 training rows: the last batch of 16 holds one row; 8 validate
        var history = trainer().fit(model, data, Fit.epochs(2).batchSize(16).validationSplit(0.2).verbose(0));
        assertThat(history.get("val_loss").get(1)).isFinite();
        assertThat(trainer().evaluate(model, DATA.rows(0, 1)).get("loss")).isFinite();
        assertThat(model.predict(DATA.rows(0, 1).features()).length()).isEqualTo(3);
    }

    @Test
    void aCheckpointReloadsToIdenticalPredictionsStateAndDropoutGenerator() throws IOException {
        Sequential model = model();
        Trainer trainer = trainer();
        trainer.fit(model, DATA, Fit.epochs(3).batchSize(16).seed(1).verbose(0));
        Path file = dir.resolve("cnn.zip");
        OptimizerState opt = trainer.optimizerState(model);
        Checkpoints.save(file, new SavedTraining(Checkpoints.FORMAT_VERSION, model,
                new SavedTraining.OptimizerSnapshot("adam", trainer.optimizer().toString(), opt.flat().dup(),
                        opt.iterations(), opt.learningRate()), 2, -1, Map.of(), "SOFTMAX_CROSS_ENTROPY",
                List.of("accuracy")));

        SavedTraining saved = Checkpoints.load(file);
        Sequential loaded = saved.model();
        assertThat(loaded.describe()).isEqualTo(model.describe());
        assertThat(loaded.paramsAndState().toFloatVector()).isEqualTo(model.paramsAndState().toFloatVector());
        assertThat(loaded.predict(DATA.features())).isEqualTo(model.predict(DATA.features()));
        assertThat(loaded.dropoutRandom().rootState()).isEqualTo(model.dropoutRandom().rootState());
        assertThat(loaded.dropoutRandom().nodeState()).isEqualTo(model.dropoutRandom().nodeState());

        Sequential fresh = model();
        Checkpoints.loadWeights(file, fresh);
        assertThat(fresh.predict(DATA.features())).isEqualTo(model.predict(DATA.features()));

        // Resumed from the checkpoint, training continues exactly as the uninterrupted run.
        Trainer resumed = trainer();
        saved.restoreOptimizer(resumed);
        resumed.fit(loaded, DATA, Fit.epochs(5).initialEpoch(3).batchSize(16).seed(1).verbose(0));
        Sequential reference = model();
        trainer().fit(reference, DATA, Fit.epochs(5).batchSize(16).seed(1).verbose(0));
        assertThat(loaded.paramsAndState().toFloatVector()).isEqualTo(reference.paramsAndState().toFloatVector());
    }

    @Test
    void policiesSeeTheParametersAndTheState() {
        Sequential model = model();
        ModelWeights weights = ModelWeights.of(model);
        assertThat(weights.params().length()).isEqualTo(model.paramCount() + model.stateCount());
        INDArray best = weights.params().dup();
        trainer().fit(model, DATA, Fit.epochs(1).batchSize(16).verbose(0));
        assertThat(model.state()).isNotEqualTo(best.get(NDArrayIndex.point(0),
                NDArrayIndex.interval(model.paramCount(), model.paramCount() + model.stateCount())));
        weights.setParams(best); // what restoreBestWeights does
        assertThat(model.paramsAndState()).isEqualTo(best);
        assertThat(Nd4j.create(DataType.FLOAT, 1, 1)).isNotNull();
    }
}
