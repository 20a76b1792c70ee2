package org.callbacks4j.internal.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.callbacks4j.History;
import org.callbacks4j.internal.state.IncompatibleStateException;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;
import org.junit.jupiter.api.Test;

/** The History so far is part of a backup: a resumed fit returns the whole run's History, gaps in series included. */
class HistoryRecorderStateTest {

    @Test
    void aRestoredRecorderContinuesAsTheOriginal() {
        SlotLogs logs = new SlotLogs(List.of("loss", "val_loss", "learning_rate"));
        HistoryRecorder original = new HistoryRecorder();
        HistoryRecorder resumed = new HistoryRecorder();
        for (int epoch = 3; epoch < 8; epoch++) {
            logs.clear();
            logs.put("loss", 1.0 / epoch);
            logs.put("learning_rate", Double.NaN);
            if (epoch % 2 == 0) {
                logs.put("val_loss", -0.0); // validation every other epoch: a series with gaps
            }
            original.record(epoch, logs);
            if (epoch == 5) {
                StateReader in = new StateReader(new StateWriter().putSection("h", original).toByteArray(), "t");
                in.readSection("h", resumed);
                in.finish();
            } else if (epoch > 5) {
                resumed.record(epoch, logs);
            }
        }
        History a = original.stopped("TerminateOnNaN", 7).build();
        History b = resumed.stopped("TerminateOnNaN", 7).build();
        assertThat(b.epochs()).containsExactly(3, 4, 5, 6, 7).inOrder();
        assertThat(b.asMap()).isEqualTo(a.asMap());
        assertThat(b.epochsOf("val_loss")).containsExactly(4, 6).inOrder();
        assertThat(Double.doubleToRawLongBits(b.get("val_loss").get(0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(b.toString()).isEqualTo(a.toString());
    }

    @Test
    void seriesThatDoNotAddUpAreRefused() {
        byte[] bad = new StateWriter().beginSection("h", new HistoryRecorder().stateConfiguration())
                .putInts("epochs", new int[] {0})
                .putStrings("names", List.of("loss"))
                .putInts("lengths", new int[] {2})
                .putDoubles("values", new double[] {1})
                .putInts("valueEpochs", new int[] {0})
                .putString("stoppedBy", null)
                .putInt("stoppedEpoch", -1)
                .endSection().toByteArray();
        HistoryRecorder recorder = new HistoryRecorder();
        assertThrows(IncompatibleStateException.class, () -> new StateReader(bad, "t").readSection("h", recorder));
        assertThat(recorder.build().asMap()).isEqualTo(Map.of());
    }
}
