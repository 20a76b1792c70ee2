package org.callbacks4j.dl4j;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.callbacks4j.Checkpoint;
import org.callbacks4j.CsvLogger;
import org.callbacks4j.EarlyStop;
import org.callbacks4j.History;
import org.callbacks4j.LearningRateSchedule;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.ReduceLrOnPlateau;
import org.callbacks4j.TensorBoard;
import org.callbacks4j.TerminateOnNaN;
import org.callbacks4j.OnBatchEnd;
import org.callbacks4j.TrainingContext;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.GradientUpdater;
import org.junit.jupiter.api.Test;

/**
 * {@link Dl4jTrainer#fit(SameDiff, String, org.nd4j.linalg.dataset.api.iterator.DataSetIterator, Dl4jFit, Object...)}
 * on a SameDiff MLP ({@link Nets#sameDiff}): the hooks around SameDiff's own epochs, its listeners beside ours, the
 * loss SameDiff computed, the built-in policies acting on the graph's variables and updaters, and checkpoints in
 * SameDiff's own format. (Resume: {@link BackupResumeTest}.)
 */
class SameDiffTrainerTest {

    /** A SameDiff listener, as users attach: it must keep running, and records each step's loss. */
    static final class SdRecorder extends BaseListener {
        final List<Double> losses = new ArrayList<>();
        int epochEnds;

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
            losses.add(loss.totalLoss());
        }

        @Override
        public org.nd4j.autodiff.listeners.ListenerResponse epochEnd(SameDiff sd, At at,
                org.nd4j.autodiff.listeners.records.LossCurve lossCurve, long epochTimeMillis) {
            epochEnds++;
            return org.nd4j.autodiff.listeners.ListenerResponse.CONTINUE;
        }
    }

    static class SdHooks extends Dl4jTrainerTest.Hooks {}

    /** The trainable variables, copied. */
    static List<INDArray> variables(SameDiff sd) {
        List<INDArray> copies = new ArrayList<>();
        for (String name : List.of("b0", "b1", "w0", "w1")) {
            copies.add(sd.getVariable(name).getArr().dup());
        }
        return copies;
    }

    /** Every variable's updater state arrays, copied, in variable and key order. */
    static List<INDArray> updaterState(SameDiff sd) {
        List<INDArray> copies = new ArrayList<>();
        for (String name : List.of("b0", "b1", "w0", "w1")) {
            GradientUpdater<?> updater = sd.getUpdaterMap().get(name);
            for (INDArray a : new java.util.TreeMap<>(updater.getState()).values()) {
                copies.add(a.dup());
            }
        }
        return copies;
    }

    /** {@code arrays}' every value, exactly (INDArray's toString rounds). */
    static String exact(List<INDArray> arrays) {
        StringBuilder text = new StringBuilder();
        for (INDArray a : arrays) {
            text.append(java.util.Arrays.toString(a.dup('c').reshape(-1).toDoubleVector())).append(' ');
        }
        return text.toString();
    }

    static double validationLoss(SameDiff sd) {
        DataSet validation = Nets.blobs(60, 2);
        return sd.output(Map.of("input", validation.getFeatures(), "label", validation.getLabels()), "loss")
                .get("loss").getDouble(0);
    }

    @Test
    void hooksRunInKerasOrderAroundSameDiffEpochsAndItsListenersStillRun() {
        SameDiff sd = Nets.sameDiff(1e-2);
        SdRecorder listener = new SdRecorder();
        sd.setListeners(listener);
        SdHooks hooks = new SdHooks();

        History history = Dl4jTrainer.fit(sd, Nets.SD_OUTPUT, Nets.train(),
                Dl4jFit.epochs(2).validationData(Nets.validation()).verbose(0), hooks);

        List<String> expected = new ArrayList<>(List.of("trainBegin"));
        for (int e = 0; e < 2; e++) {
            expected.add("epochBegin " + e);
            for (int b = 0; b < 10; b++) {
                expected.add("batchBegin " + e + "/" + b);
                expected.add("batchEnd " + e + "/" + b);
            }
            expected.add("validationEnd " + e + " [loss, val_loss]");
            expected.add("epochEnd " + e);
        }
        expected.add("trainEnd [loss, val_loss]");
        assertThat(hooks.events).containsExactlyElementsIn(expected).inOrder();

        // The graph's listener saw every step and epoch; SameDiff's counters advanced as in its own fit.
        assertThat(listener.losses).hasSize(20);
        assertThat(listener.epochEnds).isEqualTo(2);
        assertThat(sd.getTrainingConfig().getIterationCount()).isEqualTo(20);
        assertThat(sd.getTrainingConfig().getEpochCount()).isEqualTo(2);
        assertThat(sd.getListeners()).containsExactly(listener);

        // loss: the example-weighted running mean of SameDiff's step losses (batches of 16, the last of 6).
        for (int e = 0; e < 2; e++) {
            double sum = 0;
            int rows = 0;
            for (int b = 0; b < 10; b++) {
                int n = b < 9 ? 16 : 6;
                sum += listener.losses.get(e * 10 + b) * n;
                rows += n;
                assertThat(hooks.batchLosses.get(e * 10 + b)).isWithin(1e-12).of(sum / rows);
            }
            assertThat(history.get("loss").get(e)).isWithin(1e-12).of(sum / rows);
        }
        assertThat(history.get("loss").get(1)).isLessThan(history.get("loss").get(0));
        // val_loss: the graph's loss variable on the validation data, with the final variables.
        assertThat(history.last("val_loss")).isWithin(1e-5).of(validationLoss(sd));
    }

    @EarlyStop(monitor = "val_loss", minDelta = 0.02, patience = 1, restoreBestWeights = true)
    static class EarlyStopping {
        final List<List<INDArray>> variables = new ArrayList<>();

        @OnEpochEnd
        void keep(TrainingContext context) {
            variables.add(SameDiffTrainerTest.variables(((Dl4jContext) context).sameDiff()));
        }
    }

    @Test
    void earlyStopStopsWhereTheRuntimePolicyDoesAndRestoresTheBestEpochsVariables() {
        SameDiff sd = Nets.sameDiff(1e-2);
        EarlyStopping training = new EarlyStopping();

        History history = Dl4jTrainer.fit(sd, Nets.SD_OUTPUT, Nets.train(),
                Dl4jFit.epochs(60).validationData(Nets.validation()).verbose(0), training);

        List<Double> valLoss = history.get("val_loss");
        assertWithMessage("stopped early").that(valLoss.size()).isLessThan(60);
        History.EarlyStoppingOutcome outcome = history.earlyStopping().get(0);
        ReplayedEarlyStop replay = ReplayedEarlyStop.run(valLoss, 0.02, 1);
        assertThat(outcome.stoppedEpoch()).isEqualTo(replay.stoppedEpoch);
        assertThat(outcome.bestEpoch()).isEqualTo(replay.bestEpoch);

        // restoreBestWeights: every trainable variable holds the best epoch's values again.
        assertThat(outcome.weightsRestored()).isTrue();
        assertThat(outcome.bestEpoch()).isLessThan(valLoss.size() - 1);
        assertThat(variables(sd)).isEqualTo(training.variables.get(outcome.bestEpoch()));
        assertThat(variables(sd)).isNotEqualTo(training.variables.get(valLoss.size() - 1));
        assertThat(validationLoss(sd)).isWithin(1e-6).of(valLoss.get(outcome.bestEpoch()));
    }

    @Checkpoint(path = "target/dl4j-tests/samediff/ckpt-{epoch:02d}.fb")
    @CsvLogger("target/dl4j-tests/samediff/history.csv")
    @TensorBoard("target/dl4j-tests/samediff/tb")
    static class Checkpointed {}

    @Test
    void checkpointsAreSameDiffFilesThatReloadWithIdenticalOutputs() throws IOException {
        Path dir = Nets.clean("target/dl4j-tests/samediff");
        SameDiff sd = Nets.sameDiff(1e-2);

        History history = Dl4jTrainer.fit(sd, Nets.SD_OUTPUT, Nets.train(),
                Dl4jFit.epochs(3).validationData(Nets.validation()).metrics("accuracy").verbose(0),
                new Checkpointed());

        for (int e = 1; e <= 3; e++) {
            assertThat(Files.exists(dir.resolve("ckpt-%02d.fb".formatted(e)))).isTrue();
        }
        SameDiff restored = SameDiff.load(dir.resolve("ckpt-03.fb").toFile(), true);
        INDArray x = Nets.validationFeatures();
        assertThat(restored.outputSingle(Map.of("input", x), Nets.SD_OUTPUT))
                .isEqualTo(sd.outputSingle(Map.of("input", x), Nets.SD_OUTPUT));
        assertThat(variables(restored)).isEqualTo(variables(sd));
        assertThat(updaterState(restored)).isEqualTo(updaterState(sd));
        assertThat(restored.getTrainingConfig().getIterationCount()).isEqualTo(30);

        List<String> csv = Files.readAllLines(dir.resolve("history.csv"), StandardCharsets.UTF_8);
        assertThat(csv.get(0)).isEqualTo("epoch,loss,val_accuracy,val_loss");
        assertThat(csv).hasSize(4);
        try (var files = Files.list(dir.resolve("tb").resolve("train"))) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents")).count())
                    .isEqualTo(1);
        }
        // val_accuracy: DL4J's Evaluation of the output variable.
        Evaluation evaluation = new Evaluation();
        sd.evaluate(Nets.validation(), Nets.SD_OUTPUT, evaluation);
        assertThat(history.last("val_accuracy")).isEqualTo(evaluation.accuracy());
    }

    @ReduceLrOnPlateau(monitor = "loss", factor = 0.5, patience = 0, minDelta = 10)
    static class Plateau {}

    @Test
    void reduceLrOnPlateauReachesTheGraphsUpdaters() {
        SameDiff sd = Nets.sameDiff(1e-2);

        History history = Dl4jTrainer.fit(sd, Nets.SD_OUTPUT, Nets.train(), Dl4jFit.epochs(3).verbose(0),
                new Plateau());

        List<Double> rates = history.get("learning_rate");
        assertThat(rates).hasSize(3);
        assertThat(rates.get(0)).isWithin(1e-9).of(1e-2);
        assertThat(rates.get(1)).isWithin(1e-9).of(1e-2);
        assertThat(rates.get(2)).isWithin(1e-9).of(5e-3);
        assertThat(sd.getTrainingConfig().getUpdater().getLearningRate(0, 0)).isWithin(1e-9).of(2.5e-3);
        for (GradientUpdater<?> updater : sd.getUpdaterMap().values()) {
            assertThat(updater.getConfig().getLearningRate(0, 0)).isWithin(1e-9).of(2.5e-3);
        }
    }

    static class Schedule {
        final List<Double> graphRates = new ArrayList<>();

        @LearningRateSchedule
        double rate(int epoch, double lr) {
            return 0.02 / (epoch + 1);
        }

        @OnEpochEnd
        void read(TrainingContext context) {
            graphRates.add(((Dl4jContext) context).sameDiff().getUpdaterMap().get("w0").getConfig()
                    .getLearningRate(0, 0));
        }
    }

    @Test
    void learningRateScheduleSetsTheRateTheUpdatersApply() {
        SameDiff sd = Nets.sameDiff(1e-3);
        Schedule schedule = new Schedule();

        History history = Dl4jTrainer.fit(sd, Nets.SD_OUTPUT, Nets.train(), Dl4jFit.epochs(3).verbose(0), schedule);

        for (int e = 0; e < 3; e++) {
            assertThat(schedule.graphRates.get(e)).isWithin(1e-9).of(0.02 / (e + 1));
            assertThat(history.get("learning_rate").get(e)).isWithin(1e-9).of(0.02 / (e + 1));
        }
    }

    @TerminateOnNaN
    static class Poisoned {
        @OnBatchEnd
        void poison(int epoch, int batch, TrainingContext context) {
            if (epoch == 1 && batch == 2) {
                ((Dl4jContext) context).sameDiff().getVariable("w1").getArr().assign(Double.NaN);
            }
        }
    }

    @Test
    void terminateOnNaNStopsAtTheFirstNaNBatchLoss() {
        SameDiff sd = Nets.sameDiff(1e-2);
        SdRecorder listener = new SdRecorder();
        sd.setListeners(listener);

        History history = Dl4jTrainer.fit(sd, Nets.SD_OUTPUT, Nets.train(), Dl4jFit.epochs(5).verbose(0),
                new Poisoned());

        assertThat(history.stoppedBy()).hasValue("TerminateOnNaN");
        assertThat(history.epochs()).containsExactly(0, 1).inOrder();
        assertThat(listener.losses).hasSize(14); // 10 + 4: the batch after the poisoned one is the last
        assertThat(sd.getTrainingConfig().getEpochCount()).isEqualTo(2);
    }

    @Test
    void aGraphTheFitCannotServeIsRefusedBeforeTraining() {
        SameDiff sd = Nets.sameDiff(1e-2);
        IllegalArgumentException output = assertThrows(IllegalArgumentException.class,
                () -> Dl4jTrainer.fit(sd, "softmax", Nets.train(), Dl4jFit.epochs(1).verbose(0)));
        assertThat(output).hasMessageThat().contains("output variable \"softmax\" is not a variable");
        assertThat(output).hasMessageThat().contains(Nets.SD_OUTPUT);

        SameDiff untrainable = Nets.sameDiff(1e-2);
        untrainable.setTrainingConfig(null);
        IllegalArgumentException config = assertThrows(IllegalArgumentException.class,
                () -> Dl4jTrainer.fit(untrainable, Nets.SD_OUTPUT, Nets.train(), Dl4jFit.epochs(1).verbose(0)));
        assertThat(config).hasMessageThat().contains("has no TrainingConfig");
        assertThat(sd.getTrainingConfig().getIterationCount()).isEqualTo(0);
    }
}
