package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.internal.progress.ProgbarLogger;
import org.junit.jupiter.api.Test;

/** The progress output of a real fit, captured through {@link Fit#progressOutput}. */
class ProgressOutputTest {

    // 40 rows, validationSplit 0.25: 30 training rows in 4 batches (8, 8, 8, 6), 10 validation rows.
    private final Dataset data = Blobs.classification(40, 4, 3, 11);
    private final Trainer trainer = Trainer.builder()
            .loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2)).metrics("accuracy").build();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private Sequential model() {
        return Sequential.input(4).dense(8, Activation.RELU).dense(3, Activation.SOFTMAX).seed(3).build();
    }

    private Fit fit(int verbose, boolean terminal) {
        return Fit.epochs(3).batchSize(8).validationSplit(0.25).verbose(verbose).progressOutput(out, terminal);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalVerboseOneDrawsALiveBarPerEpoch() {
        RecordingDispatcher batches = new RecordingDispatcher(Hooks.BATCH_END | Hooks.BATCH_LOGS);
        trainer.fit(model(), data, fit(1, true), batches);
        String text = printed();

        assertThat(text).startsWith("Epoch 1/3\n\r");
        assertThat(text).contains("\nEpoch 2/3\n\r");
        assertThat(text).contains("\nEpoch 3/3\n\r");
        // The first batch of each epoch is always drawn, with its epoch-to-date values, which are the batch logs'.
        Map<String, Double> first = batches.batchEndLogs.get(0);
        assertThat(text).contains("\r1/4 [======>.......................] - ETA: ");
        assertThat(text).contains(" - loss: " + ProgbarLogger.formatValue(first.get("loss"))
                + " - accuracy: " + ProgbarLogger.formatValue(first.get("accuracy")));
        // Each epoch ends with the Keras epoch line, validation values included, then a newline.
        String[] epochs = text.split("Epoch \\d/3\n");
        assertThat(epochs).hasLength(4);
        for (int e = 1; e <= 3; e++) {
            String last = epochs[e].substring(epochs[e].lastIndexOf('\r') + 1);
            assertThat(last).containsMatch(
                    "^4/4 \\[={30}\\] - \\d+s \\d+[mu]?s/step - loss: \\d\\.\\d{4} - accuracy: \\d\\.\\d{4} - "
                            + "val_loss: \\d\\.\\d{4} - val_accuracy: \\d\\.\\d{4} *\n$");
        }
    }

    @Test
    void offATerminalVerboseOnePrintsExactlyOneLinePerEpochWithoutControlCharacters() {
        trainer.fit(model(), data, fit(1, false));
        String text = printed();
        assertThat(text).doesNotContain("\r");
        assertThat(text).doesNotContain("\u001b");
        String[] lines = text.split("\n", -1);
        assertThat(lines).hasLength(4);
        assertThat(lines[3]).isEmpty();
        for (int e = 0; e < 3; e++) {
            assertThat(lines[e]).containsMatch(
                    "^Epoch " + (e + 1) + "/3 - 4/4 - \\d+s \\d+[mu]?s/step - loss: \\d\\.\\d{4} - accuracy: "
                            + "\\d\\.\\d{4} - val_loss: \\d\\.\\d{4} - val_accuracy: \\d\\.\\d{4}$");
        }
    }

    @Test
    void verboseTwoPrintsOneLinePerEpochOnATerminalToo() {
        trainer.fit(model(), data, fit(2, true));
        String text = printed();
        assertThat(text).doesNotContain("\r");
        assertThat(text.split("\n")).hasLength(3);
        assertThat(text).startsWith("Epoch 1/3 - 4/4 - ");
    }

    @Test
    void verboseZeroPrintsNothing() {
        trainer.fit(model(), data, fit(0, true));
        assertThat(printed()).isEmpty();
    }

    @Test
    void aStopInsideAnEpochEndsItsLineWithTheStepsRun() {
        RecordingDispatcher stopper = new RecordingDispatcher(Hooks.BATCH_END);
        stopper.stopAt = "batchEnd 0 1";
        trainer.fit(model(), data, fit(1, false), stopper);
        assertThat(printed()).startsWith("Epoch 1/3 - 2/4 - ");
        assertThat(printed().split("\n")).hasLength(1);
    }
}
