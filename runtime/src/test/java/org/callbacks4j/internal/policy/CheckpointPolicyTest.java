package org.callbacks4j.internal.policy;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CheckpointPolicy against reference sections 5.3-5.6 and 12.1; expectations worked out from those rules. */
class CheckpointPolicyTest {

    private static final String MONITOR = "val_loss";

    private final RecordingLog log = new RecordingLog();

    /** Runs epoch-level decisions over {@code values} ({@code -} absent, {@code nan}); returns the paths saved. */
    private static List<String> epochs(CheckpointPolicy policy, String values) {
        FakeLogs logs = new FakeLogs("loss", MONITOR);
        policy.prepare(new FakePlan(logs, true));
        List<String> saved = new ArrayList<>();
        String[] tokens = values.trim().split("\\s+");
        for (int epoch = 0; epoch < tokens.length; epoch++) {
            logs.clear().put("loss", 1.0);
            if (!tokens[epoch].equals("-")) {
                logs.put(MONITOR, tokens[epoch].equals("nan") ? Double.NaN : Double.parseDouble(tokens[epoch]));
            }
            policy.onEpochBegin(epoch);
            assertThat(policy.onBatchEnd(0, logs)).isNull(); // epoch-level: batches never save
            String path = policy.onEpochEnd(epoch, logs);
            if (path != null) {
                saved.add(path);
                policy.onSaved(path);
            }
        }
        return saved;
    }

    private static List<String> paths(String epochsOneBased) {
        return epochsOneBased.isBlank()
                ? List.of()
                : Arrays.stream(epochsOneBased.trim().split("\\s+")).map(e -> "m-" + e + ".zip")
                        .collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // case                               | best only | max   | threshold | values                 | saved (1-based)
        "saves every epoch without best-only  | false     | false | NaN       | 1.0 2.0 3.0            | 1 2 3",
        "without best-only the monitor is moot| false     | false | NaN       | - - nan                | 1 2 3",
        "min: improvements only, ties skipped | true      | false | NaN       | 1.0 0.8 0.8 0.9 0.5    | 1 2 5",
        "max                                  | true      | true  | NaN       | 0.5 0.6 0.6 0.7        | 1 2 4",
        "threshold must be beaten first       | true      | false | 0.7       | 1.0 0.8 0.6 0.65 0.5   | 3 5",
        "threshold never beaten               | true      | false | 0.5       | 1.0 0.9                | ''",
        "threshold tie is not a save          | true      | true  | 0.9       | 0.9 0.95               | 2",
        "NaN first saves and is never beaten  | true      | false | NaN       | nan 0.5 0.4            | 1",
        "NaN later is skipped                 | true      | false | NaN       | 1.0 nan 0.9            | 1 3",
        "absent monitor: skipped, not saved   | true      | false | NaN       | - 1.0 - 0.9            | 2 4",
        "float32 tie                          | true      | false | NaN       | 1.0 0.999999999        | 1",
    })
    void decidesEpochLevelSaves(String name, boolean saveBestOnly, boolean maximize, double threshold,
            String values, String saved) {
        CheckpointPolicy policy = new CheckpointPolicy("m-{epoch}.zip", MONITOR, maximize, saveBestOnly,
                CheckpointPolicy.SAVE_EVERY_EPOCH, threshold, 0, log);

        assertThat(epochs(policy, values)).isEqualTo(paths(saved));
    }

    @Test
    void bestIsKeptAcrossFitsAsKeras() {
        CheckpointPolicy policy = new CheckpointPolicy("m-{epoch}.zip", MONITOR, false, true,
                CheckpointPolicy.SAVE_EVERY_EPOCH, Double.NaN, 0, log);
        epochs(policy, "0.5");

        assertThat(epochs(policy, "0.6 0.4")).containsExactly("m-2.zip");
        assertThat(policy.best()).isEqualTo(0.4);
    }

    @Test
    void verboseMessagesAsKeras() {
        CheckpointPolicy policy = new CheckpointPolicy("ckpt-{epoch}.zip", MONITOR, false, true,
                CheckpointPolicy.SAVE_EVERY_EPOCH, Double.NaN, 1, log);

        epochs(policy, "0.51234 0.49876 0.5");

        assertThat(log.at("INFO")).containsExactly(
                "Epoch 1: val_loss improved from None to 0.51234, saving model to ckpt-1.zip",
                "Epoch 1: finished saving model to ckpt-1.zip",
                "Epoch 2: val_loss improved from 0.51234 to 0.49876, saving model to ckpt-2.zip",
                "Epoch 2: finished saving model to ckpt-2.zip",
                "Epoch 3: val_loss did not improve from 0.49876").inOrder();
    }

    @Test
    void verboseWithThresholdAndWithoutBestOnly() {
        CheckpointPolicy best = new CheckpointPolicy("c.zip", MONITOR, false, true,
                CheckpointPolicy.SAVE_EVERY_EPOCH, 0.6, 1, log);
        epochs(best, "0.512345");
        CheckpointPolicy every = new CheckpointPolicy("c{epoch}.zip", MONITOR, false, false,
                CheckpointPolicy.SAVE_EVERY_EPOCH, Double.NaN, 0, log);
        epochs(every, "1.0");

        // 0.512345 is 0.51234500000000005 in binary, so .5f rounds it up
        assertThat(log.at("INFO")).contains(
                "Epoch 1: val_loss improved from 0.60000 to 0.51235, saving model to c.zip");
        assertThat(log.at("DEBUG")).contains("Epoch 1: saving model to c1.zip");
    }

    /** Runs batch-level decisions; the batch indices of each epoch are separated by {@code /}; returns the paths. */
    private static List<String> batches(CheckpointPolicy policy, FakeLogs logs, String batchesPerEpoch) {
        List<String> saved = new ArrayList<>();
        String[] epochs = batchesPerEpoch.split("/");
        for (int epoch = 0; epoch < epochs.length; epoch++) {
            policy.onEpochBegin(epoch);
            for (String token : epochs[epoch].trim().split("\\s+")) {
                int batch = Integer.parseInt(token);
                String path = policy.onBatchEnd(batch, logs);
                if (path != null) {
                    saved.add(path);
                }
            }
            assertThat(policy.onEpochEnd(epoch, logs)).isNull(); // batch-level: epoch ends never save
        }
        return saved;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // case                                 | freq | batch indices per epoch              | saved (b-epoch-batch, 1-based)
        "counts across epoch ends               | 3    | 0 1 2 3 / 0 1 2 3 / 0 1 2 3           | b-1-3 b-2-2 b-3-1 b-3-4",
        "every batch                            | 1    | 0 1 / 0                               | b-1-1 b-1-2 b-2-1",
        "grouped steps (steps_per_execution 2)  | 4    | 1 3 5 / 1 3 5                         | b-1-4 b-2-2 b-2-6",
        "fewer batches than freq in an epoch    | 5    | 0 1 / 0 1 / 0 1                       | b-3-1",
    })
    void countsBatchesAsKeras(String name, int saveFreq, String batchIndices, String saved) {
        CheckpointPolicy policy = new CheckpointPolicy("b-{epoch}-{batch}", MONITOR, false, false, saveFreq,
                Double.NaN, 0, log);
        FakeLogs logs = new FakeLogs("loss").put("loss", 1.0);
        policy.prepare(new FakePlan(logs, false));

        assertThat(batches(policy, logs, batchIndices)).isEqualTo(Arrays.asList(saved.trim().split("\\s+")));
    }

    @Test
    void batchCountContinuesIntoTheNextFit() {
        CheckpointPolicy policy = new CheckpointPolicy("b-{epoch}-{batch}", "loss", false, false, 5, Double.NaN, 0,
                log);
        FakeLogs logs = new FakeLogs("loss").put("loss", 1.0);
        policy.prepare(new FakePlan(logs, false));
        assertThat(batches(policy, logs, "0 1 2")).isEmpty();

        policy.prepare(new FakePlan(logs, false));
        assertThat(batches(policy, logs, "0 1 2")).containsExactly("b-1-2");
    }

    @Test
    void batchLevelSaveBestOnlyWorks() {
        // Keras 3.11+ raises TypeError here (monitor_op resolved only at epoch end); the direction is known upfront.
        CheckpointPolicy policy = new CheckpointPolicy("b-{batch}", "loss", false, true, 1, Double.NaN, 0, log);
        FakeLogs logs = new FakeLogs("loss");
        policy.prepare(new FakePlan(logs, false));
        policy.onEpochBegin(0);
        List<String> saved = new ArrayList<>();
        double[] losses = {1.0, 0.9, 0.95, 0.8};
        for (int batch = 0; batch < losses.length; batch++) {
            String path = policy.onBatchEnd(batch, logs.put("loss", losses[batch]));
            if (path != null) {
                saved.add(path);
            }
        }

        assertThat(saved).containsExactly("b-1", "b-2", "b-4").inOrder();
    }

    @Test
    void batchLevelSaveBestOnlyWithThreshold() {
        CheckpointPolicy policy = new CheckpointPolicy("b-{batch}", "loss", false, true, 1, 0.85, 0, log);
        FakeLogs logs = new FakeLogs("loss");
        policy.prepare(new FakePlan(logs, false));
        policy.onEpochBegin(0);

        assertThat(policy.onBatchEnd(0, logs.put("loss", 0.9))).isNull();
        assertThat(policy.onBatchEnd(1, logs.put("loss", 0.8))).isEqualTo("b-2");
    }

    @Test
    void pathMetricAbsentAtASaveIsAnError() {
        CheckpointPolicy policy = new CheckpointPolicy("c-{val_loss:.2f}.zip", MONITOR, false, false,
                CheckpointPolicy.SAVE_EVERY_EPOCH, Double.NaN, 0, log);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> epochs(policy, "0.5 -"));
        assertThat(e).hasMessageThat().contains("{val_loss:.2f} at index 2 has no value in epoch 2 (1-based)");
    }

    @Test
    void validationPlaceholderWithoutValidationIsRejectedBeforeTraining() {
        CheckpointPolicy policy = new CheckpointPolicy("ckpt-{val_loss:.2f}.zip", "loss", false, false,
                CheckpointPolicy.SAVE_EVERY_EPOCH, Double.NaN, 0, log);

        IllegalStateException e =
                assertThrows(IllegalStateException.class,
                        () -> policy.prepare(new FakePlan(new FakeLogs("loss", MONITOR), false)));
        assertThat(e).hasMessageThat().isEqualTo("@Checkpoint path \"ckpt-{val_loss:.2f}.zip\" placeholder "
                + "{val_loss} needs validation data; pass Fit.validationSplit(..) or Fit.validationData(..)");
    }

    @Test
    void validationMonitorWithoutValidationIsRejectedOnlyForSaveBestOnly() {
        FakeLogs logs = new FakeLogs("loss", MONITOR);
        new CheckpointPolicy("c.zip", MONITOR, false, false, CheckpointPolicy.SAVE_EVERY_EPOCH, Double.NaN, 0, log)
                .prepare(new FakePlan(logs, false));

        CheckpointPolicy best = new CheckpointPolicy("c.zip", MONITOR, false, true,
                CheckpointPolicy.SAVE_EVERY_EPOCH, Double.NaN, 0, log);
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> best.prepare(new FakePlan(logs, false)));
        assertThat(e).hasMessageThat().isEqualTo("@Checkpoint monitor \"val_loss\" needs validation data; pass "
                + "Fit.validationSplit(..) or Fit.validationData(..)");
    }

    @Test
    void validationValuesAreRejectedInBatchLevelCheckpoints() {
        FakeLogs logs = new FakeLogs("loss", MONITOR);
        CheckpointPolicy inPath = new CheckpointPolicy("c-{val_loss}.zip", "loss", false, false, 10, Double.NaN, 0,
                log);
        CheckpointPolicy asMonitor = new CheckpointPolicy("c.zip", MONITOR, false, true, 10, Double.NaN, 0, log);

        assertThat(assertThrows(IllegalStateException.class, () -> inPath.prepare(new FakePlan(logs, true))))
                .hasMessageThat().isEqualTo("@Checkpoint path \"c-{val_loss}.zip\" placeholder {val_loss} has no "
                        + "value when saving every 10 batches: batch logs have no validation values; save at epoch "
                        + "end (saveFreq = 0) or use a training metric such as \"loss\"");
        assertThat(assertThrows(IllegalStateException.class, () -> asMonitor.prepare(new FakePlan(logs, true))))
                .hasMessageThat().startsWith("@Checkpoint monitor \"val_loss\" (saveBestOnly) has no value when "
                        + "saving every 10 batches");
    }

    @Test
    void unknownPathMetricIsRejectedBeforeTraining() {
        CheckpointPolicy policy = new CheckpointPolicy("c-{acc}.zip", "loss", false, false,
                CheckpointPolicy.SAVE_EVERY_EPOCH, Double.NaN, 0, log);

        assertThat(assertThrows(IllegalStateException.class,
                        () -> policy.prepare(new FakePlan(new FakeLogs("loss"), true))))
                .hasMessageThat().startsWith("@Checkpoint path \"c-{acc}.zip\" placeholder {acc} names a metric "
                        + "this fit does not produce");
    }

    @Test
    void badConstructionIsRejected() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy("c-{batch}.zip",
                        MONITOR, false, false, CheckpointPolicy.SAVE_EVERY_EPOCH, Double.NaN, 0)))
                .hasMessageThat().isEqualTo("@Checkpoint path \"c-{batch}.zip\" uses {batch}, which only has a "
                        + "value when saving every N batches; set saveFreq to a batch count or remove {batch}");
        assertThat(assertThrows(IllegalArgumentException.class,
                        () -> new CheckpointPolicy("c.zip", MONITOR, false, false, -1, Double.NaN, 0)))
                .hasMessageThat().contains("saveFreq must be 0 (every epoch) or a number of batches > 0, got -1");
        assertThat(assertThrows(IllegalArgumentException.class,
                        () -> new CheckpointPolicy("c-{epoch:.2d}.zip", MONITOR, false, false, 0, Double.NaN, 0)))
                .hasMessageThat().startsWith("checkpoint path template \"c-{epoch:.2d}.zip\", in {epoch:.2d}:");
    }

    @Test
    void decisionsBeforePrepareFailLoudly() {
        CheckpointPolicy policy = new CheckpointPolicy("c.zip", MONITOR, false, false, 0, Double.NaN, 0, log);

        assertThrows(IllegalStateException.class, () -> policy.onEpochEnd(0, new FakeLogs("loss")));
    }
}
