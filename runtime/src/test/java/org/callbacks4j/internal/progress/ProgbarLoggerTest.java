package org.callbacks4j.internal.progress;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.callbacks4j.internal.train.SlotLogs;
import org.junit.jupiter.api.Test;

/** Drives the progress output as the trainer does, with a fake clock, and reads what it printed. */
class ProgbarLoggerTest {

    private static final long MS = 1_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now = 1_000 * MS;

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private ProgbarLogger logger(int verbose, boolean terminal) {
        return new ProgbarLogger(verbose, out, terminal, () -> now);
    }

    private static SlotLogs logs(double loss, double accuracy) {
        SlotLogs logs = new SlotLogs(List.of("loss", "accuracy", "val_loss", "val_accuracy"));
        logs.put(0, loss);
        logs.put(1, accuracy);
        return logs;
    }

    /**
     * Runs one epoch of {@code steps} batches, {@code msPerStep} apart, as FitRun does: ask, and update only when
     * due. Returns how many redraws happened.
     */
    private int epoch(ProgbarLogger bar, int epoch, int steps, long msPerStep, SlotLogs finalLogs) {
        int redraws = 0;
        bar.onEpochBegin(epoch, 40, steps);
        for (int step = 1; step <= steps; step++) {
            now += msPerStep * MS;
            if (bar.redrawDue()) {
                bar.update(step, logs(0.5 / step, 0.1 * step));
                redraws++;
            }
        }
        bar.onEpochEnd(epoch, steps, finalLogs);
        return redraws;
    }

    private static SlotLogs epochLogs() {
        SlotLogs logs = logs(0.4321, 0.88);
        logs.put(2, 0.5);
        logs.put(3, 1.5e-5);
        logs.put("learning_rate", 0.001);
        return logs;
    }

    @Test
    void terminalRedrawsTheBarInPlaceAndEndsWithTheKerasEpochLine() {
        ProgbarLogger bar = logger(1, true);
        assertThat(bar.live()).isTrue();
        epoch(bar, 2, 39, 25, epochLogs());

        String text = printed();
        assertThat(text).startsWith("Epoch 3/40\n\r");
        // A redraw in the middle: the first batch, drawn at once, with the epoch-to-date values.
        assertThat(text).contains(
                "\r 1/39 [..............................] - ETA: 0s - loss: 0.5000 - accuracy: 0.1000");
        // 25 ms per step, redrawn every 150 ms: at steps 1, 7, 13, ...; 13 of 39 steps fill 10 of 30 cells.
        assertThat(text).contains("\r13/39 [=========>....................] - ETA: 0s - loss: 0.0385 - accuracy: 1.3000");
        String last = text.substring(text.lastIndexOf('\r') + 1);
        assertThat(last).isEqualTo("39/39 [==============================] - 1s 25ms/step - loss: 0.4321 - accuracy: "
                + "0.8800 - val_loss: 0.5000 - val_accuracy: 1.5000e-05 - learning_rate: 0.0010\n");
        assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(2);
    }

    @Test
    void etaFollowsTheTimePerStepSoFar() {
        ProgbarLogger bar = logger(1, true);
        bar.onEpochBegin(0, 1, 100);
        now += 2_000 * MS; // 2 s for 10 steps: 90 to go take 18 s
        bar.update(10, logs(1, 0));
        assertThat(printed()).contains(" - ETA: 18s - ");
        now += 100_000 * MS; // 102 s for 20 steps: 80 more take 408 s
        bar.update(20, logs(1, 0));
        assertThat(printed()).contains(" - ETA: 6:48 - ");
    }

    @Test
    void aShorterRedrawClearsTheRestOfTheLongerOne() {
        ProgbarLogger bar = logger(1, true);
        bar.onEpochBegin(0, 1, 10);
        SlotLogs wide = logs(1, 0);
        wide.put(2, 123456.0);
        bar.update(1, wide);
        int before = printed().length();
        now += 200 * MS;
        bar.update(2, logs(1, 0));
        String second = printed().substring(before);
        assertThat(second).endsWith(" ".repeat(" - val_loss: 123456.0000".length()));
    }

    @Test
    void redrawsAreThrottledNotPerBatch() {
        ProgbarLogger bar = logger(1, true);
        // 1000 batches of 1 ms: the first batch, then every 150 ms -> 1 + 6 redraws, not 1000.
        int redraws = epoch(bar, 0, 1000, 1, epochLogs());
        assertThat(redraws).isEqualTo(7);
        assertThat(printed().chars().filter(c -> c == '\r').count()).isEqualTo(8); // and the epoch line
        // A clock that never moves: only the first batch redraws.
        now = 0;
        ProgbarLogger frozen = logger(1, true);
        assertThat(epoch(frozen, 0, 500, 0, epochLogs())).isEqualTo(1);
    }

    @Test
    void eachEpochStartsItsOwnBarAndRedrawsAtItsFirstBatch() {
        ProgbarLogger bar = logger(1, true);
        assertThat(epoch(bar, 0, 3, 1, epochLogs())).isEqualTo(1);
        assertThat(epoch(bar, 1, 3, 1, epochLogs())).isEqualTo(1);
        assertThat(printed()).contains("\nEpoch 2/40\n\r1/3 [");
    }

    @Test
    void notATerminalPrintsOneLinePerEpochWithoutControlCharacters() {
        ProgbarLogger bar = logger(1, false);
        assertThat(bar.live()).isFalse();
        assertThat(epoch(bar, 0, 39, 25, epochLogs())).isEqualTo(0);
        assertThat(epoch(bar, 1, 39, 25, epochLogs())).isEqualTo(0);
        String text = printed();
        assertThat(text).isEqualTo(
                "Epoch 1/40 - 39/39 - 1s 25ms/step - loss: 0.4321 - accuracy: 0.8800 - val_loss: 0.5000 - "
                        + "val_accuracy: 1.5000e-05 - learning_rate: 0.0010\n"
                        + "Epoch 2/40 - 39/39 - 1s 25ms/step - loss: 0.4321 - accuracy: 0.8800 - val_loss: 0.5000 - "
                        + "val_accuracy: 1.5000e-05 - learning_rate: 0.0010\n");
        assertThat(text).doesNotContain("\r");
        assertThat(text).doesNotContain("\u001b");
    }

    @Test
    void verboseTwoPrintsOneLinePerEpochEvenOnATerminal() {
        ProgbarLogger bar = logger(2, true);
        assertThat(bar.live()).isFalse();
        assertThat(epoch(bar, 4, 5, 2, epochLogs())).isEqualTo(0);
        assertThat(printed()).isEqualTo("Epoch 5/40 - 5/5 - 0s 2ms/step - loss: 0.4321 - accuracy: 0.8800 - "
                + "val_loss: 0.5000 - val_accuracy: 1.5000e-05 - learning_rate: 0.0010\n");
    }

    @Test
    void verboseZeroPrintsNothing() {
        for (boolean terminal : new boolean[] {true, false}) {
            ProgbarLogger bar = logger(0, terminal);
            assertThat(epoch(bar, 0, 20, 200, epochLogs())).isEqualTo(0);
        }
        assertThat(printed()).isEmpty();
    }

    @Test
    void anEpochStoppedEarlyShowsTheStepsItRan() {
        ProgbarLogger bar = logger(1, true);
        bar.onEpochBegin(0, 1, 10);
        now += 40 * MS;
        bar.onEpochEnd(0, 4, logs(1, 0));
        assertThat(printed()).endsWith("\r 4/10 [===========>..................] - 0s 10ms/step - loss: 1.0000 - "
                + "accuracy: 0.0000\n");
    }

    @Test
    void kerasFormats() {
        assertThat(ProgbarLogger.formatValue(0.5)).isEqualTo("0.5000");
        assertThat(ProgbarLogger.formatValue(1.5e-5)).isEqualTo("1.5000e-05");
        assertThat(ProgbarLogger.formatValue(0)).isEqualTo("0.0000");
        assertThat(ProgbarLogger.formatValue(Double.NaN)).isEqualTo("NaN");
        assertThat(ProgbarLogger.formatEta(7.9)).isEqualTo("7s");
        assertThat(ProgbarLogger.formatEta(125)).isEqualTo("2:05");
        assertThat(ProgbarLogger.formatEta(3725)).isEqualTo("1:02:05");
        assertThat(ProgbarLogger.formatStepTime(2.4)).isEqualTo("2s/step");
        assertThat(ProgbarLogger.formatStepTime(0.025)).isEqualTo("25ms/step");
        assertThat(ProgbarLogger.formatStepTime(0.00031)).isEqualTo("310us/step");
        StringBuilder sb = new StringBuilder();
        ProgbarLogger.appendBar(sb, 0, 39);
        assertThat(sb.toString()).isEqualTo(" 0/39 [" + ".".repeat(30) + "]");
    }

    @Test
    void onlyTheRealStandardOutputCanBeDetectedAsATerminal() {
        assertThat(ProgbarLogger.isTerminal(out)).isFalse();
        // Under the test runner standard output is a pipe.
        assertThat(ProgbarLogger.isTerminal(System.out)).isFalse();
    }

    @Test
    void badVerboseIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> logger(3, true));
        assertThat(e).hasMessageThat().contains("verbose 3");
    }
}
