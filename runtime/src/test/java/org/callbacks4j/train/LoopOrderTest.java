package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.internal.train.SlotLogs;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Test;

/** Pins the order of hook calls to Keras 3's fit loop (reference section 1). */
class LoopOrderTest {

    // 10 rows, validationSplit 0.2: 8 training rows in 2 batches of 4, 2 validation rows.
    private final Dataset data = Blobs.regression(10, 3);
    private final Trainer trainer = Trainer.builder().loss(Loss.MSE).optimizer(Sgd.lr(0.01)).metrics("mae").build();

    private Sequential model() {
        return Sequential.input(2).dense(3, Activation.TANH).dense(1, Activation.IDENTITY).seed(5).build();
    }

    private Fit twoEpochs() {
        return Fit.epochs(2).batchSize(4).validationSplit(0.2).verbose(0);
    }

    @Test
    void runWithValidation() {
        RecordingDispatcher r = new RecordingDispatcher(RecordingDispatcher.ALL);
        trainer.fit(model(), data, twoEpochs(), r);
        assertThat(r.events()).containsExactly(
                "trainBegin",
                "epochBegin 0",
                "batchBegin 0 0", "batchEnd 0 0",
                "batchBegin 0 1", "batchEnd 0 1",
                "validationEnd 0",
                "epochEnd 0",
                "epochBegin 1",
                "batchBegin 1 0", "batchEnd 1 0",
                "batchBegin 1 1", "batchEnd 1 1",
                "validationEnd 1",
                "epochEnd 1",
                "trainEnd").inOrder();
        // The context's epoch is -1 before the first epoch and the current epoch afterwards.
        assertThat(r.contextEpochs.get(0)).isEqualTo(-1);
        assertThat(r.contextEpochs.get(r.contextEpochs.size() - 1)).isEqualTo(1);
    }

    @Test
    void runWithoutValidationNeverCallsValidationEnd() {
        RecordingDispatcher r = new RecordingDispatcher(RecordingDispatcher.ALL);
        trainer.fit(model(), data, Fit.epochs(1).batchSize(5).verbose(0), r);
        assertThat(r.events()).containsExactly(
                "trainBegin", "epochBegin 0", "batchBegin 0 0", "batchEnd 0 0", "batchBegin 0 1", "batchEnd 0 1",
                "epochEnd 0", "trainEnd").inOrder();
        assertThat(r.epochEndLogs.get(0).keySet()).containsExactly("loss", "mae").inOrder();
    }

    @Test
    void stopInBatchStillValidatesAndEndsTheEpoch() {
        RecordingDispatcher r = new RecordingDispatcher(RecordingDispatcher.ALL);
        r.stopAt = "batchEnd 0 0";
        History h = trainer.fit(model(), data, Fit.epochs(3).batchSize(4).validationSplit(0.2).verbose(0), r);
        assertThat(r.events()).containsExactly(
                "trainBegin", "epochBegin 0", "batchBegin 0 0", "batchEnd 0 0",
                "validationEnd 0", "epochEnd 0", "trainEnd").inOrder();
        assertThat(h.epochs()).containsExactly(0);
        assertThat(h.metrics()).contains("val_loss");
    }

    @Test
    void stopAtEpochEnd() {
        RecordingDispatcher r = new RecordingDispatcher(Hooks.EPOCH_END | Hooks.TRAIN_END);
        r.stopAt = "epochEnd 1";
        History h = trainer.fit(model(), data, Fit.epochs(5).batchSize(4).verbose(0), r);
        assertThat(r.events()).containsExactly("epochEnd 0", "epochEnd 1", "trainEnd").inOrder();
        assertThat(h.epochs()).containsExactly(0, 1).inOrder();
    }

    @Test
    void stopRequestedInTrainBeginTakesEffectAfterTheFirstBatch() {
        // Keras resets stop_training before on_train_begin, so a stop requested there is honoured.
        RecordingDispatcher r = new RecordingDispatcher(RecordingDispatcher.ALL);
        r.stopAt = "trainBegin";
        trainer.fit(model(), data, Fit.epochs(3).batchSize(4).verbose(0), r);
        assertThat(r.events()).containsExactly(
                "trainBegin", "epochBegin 0", "batchBegin 0 0", "batchEnd 0 0", "epochEnd 0", "trainEnd").inOrder();
    }

    @Test
    void twoCallbackObjectsAreCalledInArgumentOrder() {
        List<String> events = new ArrayList<>();
        RecordingDispatcher a = new RecordingDispatcher("a:", Hooks.TRAIN_BEGIN | Hooks.EPOCH_END, events);
        RecordingDispatcher b = new RecordingDispatcher(
                "b:", Hooks.TRAIN_BEGIN | Hooks.EPOCH_BEGIN | Hooks.TRAIN_END, events);
        trainer.fit(model(), data, Fit.epochs(2).batchSize(4).verbose(0), a, b);
        // Each phase is dispatched when some dispatcher has its bit; each object's hooks() is its own business.
        assertThat(events).containsExactly(
                "a:trainBegin", "b:trainBegin",
                "a:epochBegin 0", "b:epochBegin 0",
                "a:epochEnd 0", "b:epochEnd 0",
                "a:epochBegin 1", "b:epochBegin 1",
                "a:epochEnd 1", "b:epochEnd 1",
                "a:trainEnd", "b:trainEnd").inOrder();
    }

    @Test
    void withoutBatchHooksNoBatchDispatchHappens() {
        RecordingDispatcher r = new RecordingDispatcher(Hooks.EPOCH_END | Hooks.TRAIN_BEGIN);
        trainer.fit(model(), data, Fit.epochs(2).batchSize(2).verbose(0), r);
        assertThat(r.events()).containsExactly("trainBegin", "epochEnd 0", "epochEnd 1").inOrder();
        assertThat(r.batchEndLogs).isEmpty();
    }

    @Test
    void batchEndWithoutBatchLogsGetsEmptyLogs() {
        RecordingDispatcher r = new RecordingDispatcher(Hooks.BATCH_END);
        trainer.fit(model(), data, Fit.epochs(1).batchSize(4).verbose(0), r);
        assertThat(r.events()).containsExactly("batchEnd 0 0", "batchEnd 0 1", "batchEnd 0 2").inOrder();
        for (var logs : r.batchEndLogs) {
            assertThat(logs).isEmpty();
        }
    }

    @Test
    void batchLogsAreEpochToDateMeansThatEndAtTheEpochValue() {
        RecordingDispatcher r = new RecordingDispatcher(Hooks.BATCH_END | Hooks.BATCH_LOGS | Hooks.EPOCH_END);
        // 10 rows in batches of 4, 4, 2: the last batch logs are the example-weighted epoch means.
        trainer.fit(model(), data, Fit.epochs(2).batchSize(4).verbose(0), r);
        assertThat(r.batchEndLogs).hasSize(6);
        assertThat(r.batchEndLogs.get(0).keySet()).containsExactly("loss", "mae").inOrder();
        for (int epoch = 0; epoch < 2; epoch++) {
            var lastBatch = r.batchEndLogs.get(epoch * 3 + 2);
            var epochLogs = r.epochEndLogs.get(epoch);
            assertThat(lastBatch.get("loss")).isWithin(1e-6).of(epochLogs.get("loss"));
            assertThat(lastBatch.get("mae")).isWithin(1e-6).of(epochLogs.get("mae"));
        }
    }

    @Test
    void exceptionFromAHookPropagatesAndSkipsTrainEnd() {
        RecordingDispatcher r = new RecordingDispatcher(RecordingDispatcher.ALL);
        r.throwAt = "epochEnd 0";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> trainer.fit(model(), data, twoEpochs(), r));
        assertThat(e).hasMessageThat().isEqualTo("boom at epochEnd 0");
        assertThat(r.events()).doesNotContain("trainEnd");
        assertThat(r.events()).doesNotContain("epochBegin 1");
        assertThat(r.events().get(r.events().size() - 1)).isEqualTo("epochEnd 0");
    }

    @Test
    void exceptionFromABatchHookPropagates() {
        RecordingDispatcher r = new RecordingDispatcher(RecordingDispatcher.ALL);
        r.throwAt = "batchBegin 0 1";
        assertThrows(IllegalStateException.class, () -> trainer.fit(model(), data, twoEpochs(), r));
        assertThat(r.events()).containsExactly(
                "trainBegin", "epochBegin 0", "batchBegin 0 0", "batchEnd 0 0", "batchBegin 0 1").inOrder();
    }

    @Test
    void logsAtEachHook() {
        RecordingDispatcher r = new RecordingDispatcher(RecordingDispatcher.ALL);
        History h = trainer.fit(model(), data, twoEpochs(), r);
        // Validation end sees the epoch's training values and their val_ versions.
        assertThat(r.validationEndLogs.get(0).keySet())
                .containsExactly("loss", "mae", "val_loss", "val_mae").inOrder();
        assertThat(r.validationEndLogs.get(1)).isEqualTo(r.epochEndLogs.get(1));
        // Train end sees the last epoch's logs; History holds the same values.
        assertThat(r.trainEndLogs).isEqualTo(r.epochEndLogs.get(1));
        assertThat(h.get("val_mae")).containsExactly(
                r.epochEndLogs.get(0).get("val_mae"), r.epochEndLogs.get(1).get("val_mae")).inOrder();
    }

    @Test
    void initialEpochStartsTheLoopThere() {
        RecordingDispatcher r = new RecordingDispatcher(Hooks.EPOCH_BEGIN | Hooks.TRAIN_END);
        History h = trainer.fit(model(), data, Fit.epochs(3).initialEpoch(2).verbose(0), r);
        assertThat(r.events()).containsExactly("epochBegin 2", "trainEnd").inOrder();
        assertThat(h.epochs()).containsExactly(2);
    }

    @Test
    void verboseFitPrintsOneLinePerEpochInKerasFormatOnStandardOutput() {
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buffer, true));
        try {
            // Under the test runner standard output is a pipe, so verbose 1 prints lines, not a live bar.
            trainer.fit(model(), data, Fit.epochs(2).batchSize(4).validationSplit(0.2).verbose(1));
        } finally {
            System.setOut(out);
        }
        String[] lines = buffer.toString().trim().split("\\R");
        assertThat(lines).hasLength(2);
        assertThat(lines[0]).containsMatch(
                "^Epoch 1/2 - 2/2 - \\d+s \\d+[mu]?s/step - loss: \\d+\\.\\d{4} - mae: \\d+\\.\\d{4} - "
                        + "val_loss: \\d+\\.\\d{4} - val_mae: \\d+\\.\\d{4}$");
        assertThat(lines[1]).startsWith("Epoch 2/2 - 2/2 - ");
    }

    @Test
    void keysAddedByAnEpochEndHookReachLaterHooksAndHistoryButNotTrainEnd() {
        List<String> events = new ArrayList<>();
        RecordingDispatcher adder = new RecordingDispatcher("a:", Hooks.EPOCH_END, events) {
            @Override
            public void onEpochEnd(int epoch, org.callbacks4j.Logs logs, org.callbacks4j.TrainingContext context) {
                ((SlotLogs) logs).put("learning_rate", context.learningRate());
                super.onEpochEnd(epoch, logs, context);
            }
        };
        RecordingDispatcher reader = new RecordingDispatcher("b:", Hooks.EPOCH_END | Hooks.TRAIN_END, events);
        History h = trainer.fit(model(), data, Fit.epochs(2).verbose(0), adder, reader);
        assertThat(reader.epochEndLogs.get(0)).containsEntry("learning_rate", 0.01);
        assertThat(h.get("learning_rate")).containsExactly(0.01, 0.01);
        assertThat(reader.trainEndLogs).doesNotContainKey("learning_rate");
    }
}
