package org.callbacks4j.internal.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.NoSuchElementException;
import org.callbacks4j.History;
import org.junit.jupiter.api.Test;

class SlotLogsTest {

    @Test
    void slotsAreFixedAndNamesSorted() {
        SlotLogs logs = new SlotLogs(List.of("loss", "accuracy", "val_loss", "val_accuracy"));
        assertThat(logs.slot("loss")).isEqualTo(0);
        assertThat(logs.slot("val_accuracy")).isEqualTo(3);
        assertThat(logs.slot("nope")).isEqualTo(-1);
        assertThat(logs.names()).isEmpty();
        logs.put(0, 0.5);
        logs.put(1, 0.75);
        assertThat(logs.names()).containsExactly("accuracy", "loss").inOrder();
        assertThat(logs.get("loss")).isEqualTo(0.5);
        assertThat(logs.get(1)).isEqualTo(0.75);
        assertThat(logs.get(2)).isNaN();
        assertThat(logs.get(-1)).isNaN();
        assertThat(logs.contains("val_loss")).isFalse();
        assertThat(logs.toMap()).containsExactly("accuracy", 0.75, "loss", 0.5).inOrder();
    }

    @Test
    void namesBuiltAtRunTimeFindTheSameSlotsAsLiterals() {
        // Slot names are matched by identity first (hooks pass literals); other strings must still find them.
        SlotLogs logs = new SlotLogs(List.of("loss", "val_" + "accuracy".substring(0)));
        logs.put(0, 0.5);
        logs.put(1, 0.25);
        String built = new StringBuilder("lo").append("ss").toString();
        assertThat(built).isNotSameInstanceAs("loss");
        assertThat(logs.get(built)).isEqualTo(0.5);
        assertThat(logs.get("val_accuracy")).isEqualTo(0.25);
        assertThat(logs.slot(new String("val_accuracy"))).isEqualTo(1);
        assertThat(logs.contains(built)).isTrue();
        assertThat(logs.slot(null)).isEqualTo(-1);
    }

    @Test
    void missingNameListsWhatExists() {
        SlotLogs logs = new SlotLogs(List.of("loss", "val_loss"));
        logs.put(0, 1.0);
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> logs.get("val_loss"));
        assertThat(e).hasMessageThat().contains("no value for \"val_loss\" now; the logs hold [loss]");
        assertThat(e).hasMessageThat().contains("Fit.validationSplit");
    }

    @Test
    void definedNamesGetNewSlotsWithoutMovingOldOnes() {
        SlotLogs logs = new SlotLogs(List.of("loss"));
        for (int i = 0; i < 20; i++) {
            logs.define("m" + i);
        }
        int lr = logs.define("learning_rate");
        assertThat(logs.define("learning_rate")).isEqualTo(lr);
        assertThat(logs.slot("loss")).isEqualTo(0);
        logs.put("learning_rate", 1e-3);
        logs.put(0, 2.0);
        assertThat(logs.names()).containsExactly("learning_rate", "loss").inOrder();
        logs.remove(lr);
        assertThat(logs.names()).containsExactly("loss");
        logs.clear();
        assertThat(logs.names()).isEmpty();
    }

    @Test
    void copyFromTakesValuesAndAbsence() {
        SlotLogs a = new SlotLogs(List.of("loss", "acc"));
        SlotLogs b = new SlotLogs(a);
        b.put(1, 3.0);
        a.put(0, 1.0);
        b.copyFrom(a);
        assertThat(b.toMap()).containsExactly("loss", 1.0);
    }

    @Test
    void historyHasNoPadding() {
        SlotLogs logs = new SlotLogs(List.of("loss", "val_loss"));
        HistoryRecorder r = new HistoryRecorder();
        logs.put(0, 1.0);
        logs.put(1, 2.0);
        r.record(0, logs);
        logs.clear();
        logs.put(0, 0.5);
        r.record(1, logs);
        History h = r.build();
        assertThat(h.epochs()).containsExactly(0, 1).inOrder();
        assertThat(h.get("loss")).containsExactly(1.0, 0.5).inOrder();
        assertThat(h.get("val_loss")).containsExactly(2.0);
        assertThat(h.last("loss")).isEqualTo(0.5);
        assertThat(h.metrics()).containsExactly("loss", "val_loss").inOrder();
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> h.get("accuracy"));
        assertThat(e).hasMessageThat().contains("[loss, val_loss]");
        assertThrows(UnsupportedOperationException.class, () -> h.get("loss").add(1.0));
    }
}
