package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.internal.policy.CsvLoggerPolicy;
import org.callbacks4j.internal.policy.CustomMetric;
import org.callbacks4j.internal.policy.EarlyStopping;
import org.callbacks4j.internal.policy.LearningRateScheduler;
import org.callbacks4j.internal.policy.ModelCheckpoint;
import org.callbacks4j.internal.policy.PolicyDispatcher;
import org.callbacks4j.internal.policy.PredictionMetric;
import org.callbacks4j.internal.policy.ReduceLROnPlateau;
import org.callbacks4j.internal.policy.TerminateOnNaNPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Built-in policies driven through a real {@link Trainer#fit} by a hand-written dispatcher that calls them as generated
 * code does ({@link PolicyDispatcher}): what the trainer checks before training, and what the fit's History reports.
 */
class PoliciesInFitTest {

    @TempDir
    Path dir;

    private final Dataset data = Blobs.classification(150, 4, 3, 6);
    private final Trainer trainer = Trainer.builder()
            .loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2)).metrics("accuracy").build();

    private static Sequential model(long seed) {
        return Sequential.input(4).dense(8, Activation.RELU).dense(3, Activation.SOFTMAX).seed(seed).build();
    }

    private static Fit fit(int epochs) {
        return Fit.epochs(epochs).batchSize(32).verbose(0);
    }

    /** Fails the fit in prepare and checks that nothing ran, trained or was written. */
    private IllegalStateException failsBeforeTraining(Fit fit, PolicyDispatcher policies) throws IOException {
        Sequential model = model(1);
        INDArray before = model.params().dup();
        RecordingDispatcher recorder = new RecordingDispatcher(RecordingDispatcher.ALL);
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> trainer.fit(model, data, fit, recorder, policies));
        assertThat(recorder.events()).isEmpty();
        assertThat(policies.calls).containsExactly("prepare");
        assertThat(model.params().toFloatVector()).isEqualTo(before.toFloatVector());
        assertThat(trainer.optimizerState(model).iterations()).isEqualTo(0);
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
        }
        return e;
    }

    @Test
    void validationMonitorWithoutValidationDataFailsTheFitBeforeAnyTraining() throws IOException {
        PolicyDispatcher policies = new PolicyDispatcher()
                .csv(new CsvLoggerPolicy(dir.resolve("logs/history.csv").toString(), ",", false))
                .earlyStop(new EarlyStopping("val_loss", false, 0, 2, Double.NaN, false, 0, 0));

        IllegalStateException e = failsBeforeTraining(fit(3), policies);

        assertThat(e).hasMessageThat().isEqualTo("@EarlyStop monitor \"val_loss\" needs validation data; pass "
                + "Fit.validationSplit(..) or Fit.validationData(..)");
    }

    @Test
    void monitorTheFitNeverProducesFailsTheFitListingWhatItProduces() throws IOException {
        PolicyDispatcher policies = new PolicyDispatcher()
                .reduceLr(new ReduceLROnPlateau("val_acc", true, 0.5, 1, 0, 0, 0, 0));

        IllegalStateException e = failsBeforeTraining(fit(3).validationSplit(0.2), policies);

        assertThat(e).hasMessageThat().isEqualTo("@ReduceLrOnPlateau monitor \"val_acc\" names a metric this fit "
                + "does not produce; it produces accuracy, loss, val_accuracy, val_loss. Use one of those: loss, a "
                + "metric given to Trainer.builder().metrics(..) or an @Metric, with val_ for its validation value");
    }

    @Test
    void checkpointPathThatIsAFolderFailsTheFitBeforeAnyTraining() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("ckpt.zip"));
        PolicyDispatcher policies = new PolicyDispatcher().checkpoint(
                new ModelCheckpoint(folder.toString(), "loss", false, false, false, 0, Double.NaN, 0), false);

        IllegalStateException e = failsBeforeTraining(fit(2), policies);

        assertThat(e).hasMessageThat().contains("checkpoint path " + folder.toAbsolutePath() + " is a folder");
    }

    @Test
    void checkpointFolderThatCannotBeCreatedFailsTheFitBeforeAnyTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("runs"), "a file where a folder should be");
        PolicyDispatcher policies = new PolicyDispatcher().checkpoint(new ModelCheckpoint(
                file.resolve("ckpt-{epoch}.zip").toString(), "loss", false, false, false, 0, Double.NaN, 0), false);

        Sequential model = model(1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> trainer.fit(model, data, fit(2), policies));

        assertThat(e).hasMessageThat().contains(file.toAbsolutePath() + " is a file, not a folder");
        assertThat(policies.calls).containsExactly("prepare");
        assertThat(trainer.optimizerState(model).iterations()).isEqualTo(0);
    }

    @Test
    void checkpointFoldersAreCreated() {
        Path nested = dir.resolve("a/b/c");
        PolicyDispatcher policies = new PolicyDispatcher().checkpoint(new ModelCheckpoint(
                nested.resolve("ckpt-{epoch}.zip").toString(), "loss", false, false, false, 0, Double.NaN, 0), false);

        trainer.fit(model(1), data, fit(2), policies);

        assertThat(Files.isRegularFile(nested.resolve("ckpt-1.zip"))).isTrue();
        assertThat(Files.isRegularFile(nested.resolve("ckpt-2.zip"))).isTrue();
    }

    @Test
    void learningRateIsInTheHistoryWithAScheduleAsTheRateUsedInEachEpoch() {
        PolicyDispatcher policies = new PolicyDispatcher().schedule(
                new LearningRateScheduler("T.halve(int, double)", 0), (epoch, lr) -> epoch == 0 ? lr : lr / 2);

        History history = trainer.fit(model(1), data, fit(4), policies);

        float lr = 0.01f;
        List<Double> expected = new ArrayList<>();
        for (int epoch = 0; epoch < 4; epoch++) {
            if (epoch > 0) {
                lr = (float) ((double) lr / 2); // float32 storage, as the optimizer variable
            }
            expected.add((double) lr);
        }
        assertThat(history.get("learning_rate")).containsExactlyElementsIn(expected).inOrder();
    }

    @Test
    void learningRateIsInTheHistoryWithAPlateauPolicyBeforeEachReduction() {
        // minDelta 10: nothing after the first epoch improves, so with patience 1 every later epoch halves the rate.
        PolicyDispatcher policies = new PolicyDispatcher()
                .reduceLr(new ReduceLROnPlateau("loss", false, 0.5, 1, 10, 0, 0, 0));

        History history = trainer.fit(model(1), data, fit(4), policies);

        double r0 = 0.01f;
        double r1 = (float) (r0 * 0.5);
        double r2 = (float) (r1 * 0.5);
        assertThat(history.get("learning_rate")).containsExactly(r0, r0, r1, r2).inOrder();
    }

    @Test
    void withoutALearningRatePolicyTheHistoryHasNoLearningRate() {
        History history = trainer.fit(model(1), data, fit(2), new PolicyDispatcher());

        assertThat(history.metrics()).doesNotContain("learning_rate");
    }

    @Test
    void historyNamesEarlyStoppingWithItsEpochAndOutcome() {
        // Maximising a loss that goes down: the first epoch stays best and patience 1 stops at epoch 1.
        PolicyDispatcher policies = new PolicyDispatcher()
                .earlyStop(new EarlyStopping("loss", true, 0, 1, Double.NaN, false, 0, 0));

        History history = trainer.fit(model(1), data, fit(5), policies);

        assertThat(history.epochs()).containsExactly(0, 1).inOrder();
        assertThat(history.stoppedBy()).hasValue("EarlyStopping(monitor=loss)");
        assertThat(history.stoppedEpoch().getAsInt()).isEqualTo(1);
        assertThat(history.earlyStopping()).containsExactly(new History.EarlyStoppingOutcome(
                "loss", true, 1, 0, history.get("loss").get(0), true, false));
    }

    @Test
    void historyNamesTerminateOnNaN() {
        float[][] x = new float[64][2];
        float[][] y = new float[64][1];
        for (int i = 0; i < 64; i++) {
            x[i][0] = i / 64f;
            x[i][1] = 1;
            y[i][0] = i / 32f;
        }
        // In batch 1 of epoch 0: finite (fit refuses NaN data), but its squared error overflows to infinity.
        x[40][0] = Float.MAX_VALUE;
        Dataset nan = Dataset.of(x, y);
        Trainer regression = Trainer.builder().loss(Loss.MSE).optimizer(Sgd.lr(0.01)).build();
        Sequential model = Sequential.input(2).dense(1, Activation.IDENTITY).seed(1).build();
        TerminateOnNaNPolicy terminate = new TerminateOnNaNPolicy();
        PolicyDispatcher policies = new PolicyDispatcher().terminateOnNaN(terminate);

        History history = regression.fit(model, nan, Fit.epochs(5).batchSize(32).shuffle(false).verbose(0), policies);

        assertThat(history.stoppedBy()).hasValue(TerminateOnNaNPolicy.STOPPED_BY);
        assertThat(history.stoppedEpoch().getAsInt()).isEqualTo(0);
        assertThat(history.epochs()).containsExactly(0);
        assertThat(history.last("loss")).isPositiveInfinity();
        assertThat(terminate.outcome()).isEqualTo(new TerminateOnNaNPolicy.Outcome(true, 0, 1, Double.POSITIVE_INFINITY));
        assertThat(history.earlyStopping()).isEmpty();
    }

    @Test
    void historyNamesAHookThatStopped() {
        PolicyDispatcher policies = new PolicyDispatcher().onEpochEnd((epoch, logs, context) -> {
            if (epoch == 2) {
                context.stopTraining();
            }
        });

        History history = trainer.fit(model(1), data, fit(5), policies);

        assertThat(history.stoppedBy()).hasValue(History.STOPPED_BY_HOOK);
        assertThat(history.stoppedEpoch().getAsInt()).isEqualTo(2);
    }

    @Test
    void theFirstStopRequestOfTheFitIsTheOneReported() {
        // In epoch 1 both ask: the early stop (step 3 of the epoch end) before the user's hook (step 5).
        PolicyDispatcher policies = new PolicyDispatcher()
                .earlyStop(new EarlyStopping("loss", true, 0, 1, Double.NaN, false, 0, 0))
                .onEpochEnd((epoch, logs, context) -> {
                    if (epoch == 1) {
                        context.stopTraining();
                    }
                });

        History history = trainer.fit(model(1), data, fit(5), policies);

        assertThat(history.stoppedBy()).hasValue("EarlyStopping(monitor=loss)");
        assertThat(history.stoppedEpoch().getAsInt()).isEqualTo(1);
        assertThat(history.earlyStopping().get(0).stopped()).isTrue();
    }

    @Test
    void aFitThatRanEveryEpochHasNoStopButKeepsTheOutcome() {
        PolicyDispatcher policies = new PolicyDispatcher()
                .earlyStop(new EarlyStopping("val_loss", false, 0, 50, Double.NaN, true, 0, 0));

        History history = trainer.fit(model(1), data, fit(3).validationSplit(0.2), policies);

        assertThat(history.stoppedBy()).isEmpty();
        assertThat(history.stoppedEpoch()).isEmpty();
        History.EarlyStoppingOutcome outcome = history.earlyStopping().get(0);
        assertThat(outcome.stopped()).isFalse();
        assertThat(outcome.stoppedEpoch()).isEqualTo(-1);
        assertThat(outcome.weightsRestored()).isTrue();
        assertThat(outcome.bestValue()).isEqualTo(history.get("val_loss").get(outcome.bestEpoch()));
    }

    @Test
    void aCustomMetricIsLoggedMonitoredAndItsBestWeightsRestored() {
        double[] scores = {3, 1, 2, 2, 2, 2};
        List<INDArray> paramsAtEpochEnd = new ArrayList<>();
        CustomMetric score = new CustomMetric("score");
        int[] epochSeen = {0};
        Sequential model = model(1);
        PolicyDispatcher policies = new PolicyDispatcher()
                .metric(score, logs -> scores[epochSeen[0]++])
                .earlyStop(new EarlyStopping("score", false, 0, 2, Double.NaN, true, 0, 0))
                .onEpochEnd((epoch, logs, context) -> paramsAtEpochEnd.add(context.model().params().dup()));

        History history = trainer.fit(model, data, fit(6), policies);

        assertThat(history.get("score")).containsExactly(3.0, 1.0, 2.0, 2.0).inOrder();
        assertThat(history.stoppedBy()).hasValue("EarlyStopping(monitor=score)");
        assertThat(history.stoppedEpoch().getAsInt()).isEqualTo(3);
        assertThat(model.params().toFloatVector()).isEqualTo(paramsAtEpochEnd.get(1).toFloatVector());
        assertThat(history.earlyStopping().get(0).weightsRestored()).isTrue();
    }

    @Test
    void aMethodMonitoredEarlyStopIsNamedAfterTheMethod() {
        PolicyDispatcher policies = new PolicyDispatcher().earlyStop(
                EarlyStopping.monitoringMethod("T.constant()", false, 0, 1, Double.NaN, false, 0, 0), logs -> 1.0);

        History history = trainer.fit(model(1), data, fit(5), policies);

        assertThat(history.stoppedBy()).hasValue("EarlyStopping(monitor=T.constant())");
        assertThat(history.epochs()).containsExactly(0, 1).inOrder();
        assertThat(history.earlyStopping().get(0).monitor()).isEqualTo("T.constant()");
    }

    /** Accuracy computed by hand: the share of rows whose largest output is at the label's 1. */
    private static double handAccuracy(INDArray predictions, INDArray labels) {
        float[][] p = predictions.toFloatMatrix();
        float[][] y = labels.toFloatMatrix();
        int hits = 0;
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int j = 1; j < p[i].length; j++) {
                if (p[i][j] > p[i][best]) {
                    best = j;
                }
            }
            hits += y[i][best] == 1f ? 1 : 0;
        }
        return (double) hits / p.length;
    }

    /** Mean absolute difference by hand, in double. */
    private static double handMeanAbs(INDArray predictions, INDArray labels) {
        float[][] p = predictions.toFloatMatrix();
        float[][] y = labels.toFloatMatrix();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[i].length; j++) {
                sum += Math.abs(p[i][j] - y[i][j]);
            }
        }
        return sum / (p.length * (double) p[0].length);
    }

    @Test
    void predictionMetricsAreComputedOnTheTrainingAndValidationRowsAtEpochEnd() {
        List<long[]> shapes = new ArrayList<>();
        List<INDArray> labelsSeen = new ArrayList<>();
        PredictionMetric accuracy = new PredictionMetric("hand_accuracy", (p, y) -> {
            shapes.add(p.shape());
            labelsSeen.add(y.dup());
            return handAccuracy(p, y);
        });
        PredictionMetric meanAbs = new PredictionMetric("mean_abs", PoliciesInFitTest::handMeanAbs);
        RecordingDispatcher recorder = new RecordingDispatcher(Hooks.VALIDATION_END | Hooks.TRAIN_END);
        Sequential model = model(2);

        History history = trainer.fit(model, data, fit(3).validationSplit(0.2), recorder,
                new PolicyDispatcher().predictionMetric(accuracy).predictionMetric(meanAbs));

        // Training rows 0..119 in dataset order (not the epoch's shuffle), then validation rows 120..149.
        assertThat(shapes.get(0)).isEqualTo(new long[] {120, 3});
        assertThat(shapes.get(1)).isEqualTo(new long[] {30, 3});
        assertThat(labelsSeen.get(0)).isEqualTo(data.rows(0, 120).labels());
        assertThat(labelsSeen.get(1)).isEqualTo(data.rows(120, 150).labels());
        // The validation outputs are the validation pass's: the same hits as the trainer's own accuracy.
        assertThat(history.get("val_hand_accuracy")).isEqualTo(history.get("val_accuracy"));
        // The last epoch's values are those of the final model, computed by hand.
        INDArray trainOut = model.predict(data.rows(0, 120).features());
        INDArray valOut = model.predict(data.rows(120, 150).features());
        assertThat(history.last("hand_accuracy")).isEqualTo(handAccuracy(trainOut, data.rows(0, 120).labels()));
        assertThat(history.last("mean_abs"))
                .isWithin(1e-6).of(handMeanAbs(trainOut, data.rows(0, 120).labels()));
        assertThat(history.last("val_mean_abs"))
                .isWithin(1e-6).of(handMeanAbs(valOut, data.rows(120, 150).labels()));
        // Like the trainer's metrics, they are in the logs of validation end and of train end.
        assertThat(recorder.validationEndLogs.get(2)).containsKey("val_mean_abs");
        assertThat(recorder.trainEndLogs).containsEntry("mean_abs", history.last("mean_abs"));
        assertThat(history.get("mean_abs")).hasSize(3);
    }

    @Test
    void predictionMetricsWithoutValidationHaveNoValidationValue() {
        PredictionMetric meanAbs = new PredictionMetric("mean_abs", PoliciesInFitTest::handMeanAbs);

        History history = trainer.fit(model(2), data, fit(2), new PolicyDispatcher().predictionMetric(meanAbs));

        assertThat(history.metrics()).containsExactly("accuracy", "loss", "mean_abs");
    }

    @Test
    void aCustomMetricMayNotShadowATrainerMetric() {
        PolicyDispatcher policies = new PolicyDispatcher().metric(new CustomMetric("loss"), logs -> 0);

        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> trainer.fit(model(1), data, fit(2), policies));

        assertThat(e).hasMessageThat().startsWith("@Metric \"loss\" has the name of a metric this fit already "
                + "produces");
    }
}
