package org.callbacks4j.internal.policy;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.callbacks4j.internal.state.IncompatibleStateException;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;
import org.callbacks4j.internal.state.Stateful;
import org.junit.jupiter.api.Test;

/**
 * Every policy's saved state, piece by piece: a run cut in two (state saved after the first part, restored into a
 * fresh instance that then runs the second part, as a resumed process does) decides exactly as the run in one piece;
 * a state restored into a policy configured differently is refused; a fit that does not resume still resets.
 */
class PolicyStateTest {

    private static final String MONITOR = "val_loss";
    /** Improves, plateaus, improves late, plateaus: every counter moves. */
    private static final double[] VALUES = {1.0, 0.8, 0.81, 0.82, 0.7, 0.75, 0.76, 0.77, 0.78, 0.5, 0.6, 0.61};

    /** Saves {@code from} and restores the bytes into {@code into}, through a section as the dispatchers do. */
    private static void transfer(Stateful from, Stateful into) {
        byte[] bytes = new StateWriter().putSection("policy", from).toByteArray();
        StateReader in = new StateReader(bytes, "test state");
        in.readSection("policy", into);
        in.finish();
    }

    /** What a run of an early stop decided, epoch by epoch, and its end. */
    private static List<String> earlyStopRun(EarlyStopping first, EarlyStopping second, FakeWeights weights,
            int cutAfter) {
        List<String> events = new ArrayList<>();
        FakeLogs logs = new FakeLogs("loss", MONITOR);
        FakeContext context = new FakeContext(0.01);
        FakePlan plan = new FakePlan(logs, context, true);
        EarlyStopping policy = first;
        policy.prepare(plan);
        policy.onTrainBegin(context);
        for (int epoch = 0; epoch < VALUES.length; epoch++) {
            if (epoch == cutAfter) {
                // The process dies here; a new one restores the state into a fresh policy and resumes.
                FakePlan resumed = new FakePlan(logs, context, true);
                resumed.resuming = true;
                second.prepare(resumed);
                transfer(policy, second);
                policy = second;
                plan = resumed;
                policy.onTrainBegin(context);
            }
            weights.fill(epoch);
            logs.clear().put("loss", 1.0).put(MONITOR, VALUES[epoch]);
            policy.onEpochEnd(epoch, logs, context);
            events.add(epoch + ": wait " + policy.waitCount() + (context.isStopRequested() ? " stop" : ""));
            if (context.isStopRequested()) {
                break;
            }
        }
        policy.onTrainEnd(logs, context);
        events.add("outcome " + policy.outcome() + ", weights " + weights.live.getDouble(0));
        return events;
    }

    private static EarlyStopping earlyStop(int patience, FakeWeights weights) {
        return new EarlyStopping(MONITOR, false, 0.0, patience, Double.NaN, true, 1, 0, context -> weights,
                new RecordingLog());
    }

    @Test
    void earlyStoppingWaitBestValueBestEpochAndBestWeightsSurviveAResume() {
        FakeWeights whole = new FakeWeights();
        List<String> expected = earlyStopRun(earlyStop(4, whole), null, whole, -1);
        assertThat(expected.get(expected.size() - 2)).endsWith("stop"); // the run stops: the stop is resumed too
        for (int cut = 1; cut < 9; cut++) {
            FakeWeights weights = new FakeWeights();
            assertThat(earlyStopRun(earlyStop(4, weights), earlyStop(4, weights), weights, cut))
                    .containsExactlyElementsIn(expected).inOrder();
        }
    }

    @Test
    void aStateIsRefusedByAPolicyConfiguredDifferently() {
        FakeWeights weights = new FakeWeights();
        IncompatibleStateException e = assertThrows(IncompatibleStateException.class,
                () -> transfer(earlyStop(4, weights), earlyStop(5, weights)));
        assertThat(e).hasMessageThat().isEqualTo("test state, section policy: it was saved for EarlyStopping/1("
                + "monitor=val_loss, maximize=false, minDelta=-0.0, patience=4, baseline=NaN, restoreBestWeights=true,"
                + " startFromEpoch=1), but is being restored into EarlyStopping/1(monitor=val_loss, maximize=false, "
                + "minDelta=-0.0, patience=5, baseline=NaN, restoreBestWeights=true, startFromEpoch=1)");
        assertThrows(IncompatibleStateException.class, () -> transfer(earlyStop(4, weights),
                new ReduceLROnPlateau(MONITOR, false, 0.5, 1, 0.0, 0, 0.0, 0)));
    }

    @Test
    void withoutAResumeTrainBeginStillResetsTheRestoredState() {
        FakeWeights weights = new FakeWeights();
        EarlyStopping policy = earlyStop(1, weights);
        FakeLogs logs = new FakeLogs("loss", MONITOR);
        FakeContext context = new FakeContext(0.01);
        policy.prepare(new FakePlan(logs, context, true));
        policy.onTrainBegin(context);
        for (int epoch = 0; epoch < 4; epoch++) {
            policy.onEpochEnd(epoch, logs.clear().put(MONITOR, VALUES[epoch]), context);
        }
        EarlyStopping fresh = earlyStop(1, weights);
        fresh.prepare(new FakePlan(logs, context, true)); // resuming() false: a new fit
        transfer(policy, fresh);
        assertThat(fresh.waitCount()).isEqualTo(policy.waitCount());
        fresh.onTrainBegin(context);
        assertThat(fresh.waitCount()).isEqualTo(0);
        assertThat(fresh.outcome().monitored()).isFalse();
    }

    /** The learning rates a plateau policy sets, epoch by epoch, cut and resumed after {@code cutAfter}. */
    private static List<String> plateauRun(int cutAfter) {
        List<String> events = new ArrayList<>();
        FakeLogs logs = new FakeLogs("loss", MONITOR);
        FakeContext context = new FakeContext(0.01);
        FakePlan plan = new FakePlan(logs, context, true);
        ReduceLROnPlateau policy = new ReduceLROnPlateau(MONITOR, false, 0.5, 1, 0.0, 2, 1e-3, 0);
        policy.prepare(plan);
        policy.onTrainBegin(context);
        for (int epoch = 0; epoch < VALUES.length; epoch++) {
            if (epoch == cutAfter) {
                ReduceLROnPlateau fresh = new ReduceLROnPlateau(MONITOR, false, 0.5, 1, 0.0, 2, 1e-3, 0);
                FakePlan resumed = new FakePlan(logs, context, true);
                resumed.resuming = true;
                fresh.prepare(resumed);
                transfer(policy, fresh);
                policy = fresh;
                policy.onTrainBegin(context);
            }
            logs.clear().put("loss", 1.0).put(MONITOR, VALUES[epoch]);
            policy.onEpochEnd(epoch, logs, context);
            events.add(epoch + ": lr " + context.learningRate() + " wait " + policy.waitCount() + " cooldown "
                    + policy.cooldownCounter() + " reductions " + policy.reductions());
        }
        return events;
    }

    @Test
    void reduceLrOnPlateauWaitCooldownAndBestSurviveAResume() {
        List<String> expected = plateauRun(-1);
        assertThat(expected.get(expected.size() - 1)).doesNotContain("reductions 0");
        for (int cut = 1; cut < VALUES.length; cut++) {
            assertThat(plateauRun(cut)).containsExactlyElementsIn(expected).inOrder();
        }
    }

    /** The saves of a batch-level, best-only checkpoint over 3 epochs of 5 batches, resumed after batch {@code cut}. */
    private static List<String> checkpointRun(int cut) {
        FakeLogs logs = new FakeLogs("loss");
        FakeContext context = new FakeContext(0.01);
        FakePlan plan = new FakePlan(logs, context, false);
        ModelCheckpoint policy = new ModelCheckpoint("ckpt-{epoch}-{batch}.zip", "loss", false, true, false, 3,
                Double.NaN, 0);
        policy.prepare(plan);
        double[] losses = {0.9, 0.8, 0.85, 0.7, 0.75, 0.9, 0.6, 0.65, 0.66, 0.67, 0.5, 0.7, 0.58, 0.4, 0.45};
        int global = 0;
        for (int epoch = 0; epoch < 3; epoch++) {
            policy.onEpochBegin(epoch, context);
            for (int batch = 0; batch < 5; batch++, global++) {
                if (global == cut) {
                    ModelCheckpoint fresh = new ModelCheckpoint("ckpt-{epoch}-{batch}.zip", "loss", false, true,
                            false, 3, Double.NaN, 0);
                    FakePlan resumed = new FakePlan(logs, context, false);
                    resumed.resuming = true;
                    fresh.prepare(resumed);
                    transfer(policy, fresh);
                    resumed.saves.addAll(plan.saves);
                    policy = fresh;
                    plan = resumed;
                }
                policy.onBatchEnd(epoch, batch, logs.clear().put("loss", losses[global]), context);
            }
        }
        List<String> events = new ArrayList<>(plan.saves);
        events.add("best " + policy.best() + " saves " + policy.saves() + " last " + policy.lastSaved());
        return events;
    }

    @Test
    void checkpointBestValueAndBatchCounterSurviveAResume() {
        List<String> expected = checkpointRun(-1);
        // Saves at batches 3, 9 and 15 (improvements); 6 and 12 do not improve on the best.
        assertThat(expected).hasSize(4);
        for (int cut = 1; cut < 15; cut++) {
            assertThat(checkpointRun(cut)).containsExactlyElementsIn(expected).inOrder();
        }
    }

    @Test
    void terminateOnNaNOutcomeSurvivesAResume() {
        FakeLogs logs = new FakeLogs("loss");
        FakeContext context = new FakeContext(0.01);
        TerminateOnNaNPolicy policy = new TerminateOnNaNPolicy(new RecordingLog());
        policy.prepare(new FakePlan(logs, context, false));
        policy.onTrainBegin(context);
        policy.onBatchEnd(3, 7, logs.clear().put("loss", Double.POSITIVE_INFINITY), context);

        TerminateOnNaNPolicy fresh = new TerminateOnNaNPolicy(new RecordingLog());
        FakePlan resumed = new FakePlan(logs, context, false);
        resumed.resuming = true;
        fresh.prepare(resumed);
        transfer(policy, fresh);
        fresh.onTrainBegin(context);
        assertThat(fresh.outcome()).isEqualTo(new TerminateOnNaNPolicy.Outcome(true, 3, 7, Double.POSITIVE_INFINITY));
    }

    @Test
    void policiesWithoutStateSaveNothingButTheirConfiguration() {
        for (Stateful stateless : List.of(new CustomMetric("gap"), new LearningRateScheduler("T.warmup(int)", 0),
                new BackupAndRestorePolicy("bak", 0, true))) {
            byte[] bytes = new StateWriter().putSection("p", stateless).toByteArray();
            StateReader in = new StateReader(bytes, "test");
            assertThat(in.beginSection("p")).isEqualTo(stateless.stateConfiguration());
            in.endSection();
            in.finish();
        }
    }
}
