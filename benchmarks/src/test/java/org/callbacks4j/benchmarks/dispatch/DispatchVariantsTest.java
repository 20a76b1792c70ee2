package org.callbacks4j.benchmarks.dispatch;

import static com.google.common.truth.Truth.assertThat;

import java.util.function.Function;
import org.callbacks4j.internal.dispatch.Hooks;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The four dispatch variants must do the same user-visible work, or the benchmark compares different things: after
 * the same epochs, each variant's training object holds the same values. Each variant runs in a fixture of its own
 * (as each benchmark runs in a JVM of its own), since the context is shared within a fixture.
 */
class DispatchVariantsTest {

    private static final Blackhole BH = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    private enum Variant {
        GENERATED, HAND_WRITTEN, REFLECTION, LISTENERS
    }

    /** Runs three epochs (batch loop and epoch phases) with one variant; returns that variant's training object. */
    private static Object run(Fixture.Case c, Variant v) {
        Fixture f = new Fixture(c);
        for (int epoch = 0; epoch < 3; epoch++) {
            int rows = switch (v) {
                case GENERATED -> f.generated.trainEpoch(epoch, BH);
                case HAND_WRITTEN -> f.handWritten.trainEpoch(epoch, BH);
                case REFLECTION -> f.reflection.trainEpoch(epoch, BH);
                case LISTENERS -> f.listeners.trainEpoch(epoch, BH);
            };
            assertThat(rows).isEqualTo(Fixture.ROWS);
            switch (v) {
                case GENERATED -> f.generated.epoch(epoch);
                case HAND_WRITTEN -> f.handWritten.epoch(epoch);
                case REFLECTION -> f.reflection.epoch(epoch);
                case LISTENERS -> f.listeners.epoch(epoch);
            }
        }
        return switch (v) {
            case GENERATED -> f.generatedTraining;
            case HAND_WRITTEN -> f.floorTraining;
            case REFLECTION -> f.reflectionTraining;
            case LISTENERS -> f.listenerTraining;
        };
    }

    private static <T> void assertSame(Fixture.Case c, Function<Object, T> state) {
        T expected = state.apply(run(c, Variant.HAND_WRITTEN));
        for (Variant v : Variant.values()) {
            assertThat(state.apply(run(c, v))).isEqualTo(expected);
        }
    }

    @Test
    void epochOnlyVariantsSeeTheSameEpochLogs() {
        assertSame(Fixture.Case.NO_BATCH_HOOKS, t -> {
            EpochOnlyTraining e = (EpochOnlyTraining) t;
            return e.epochs + " " + e.lastLoss;
        });
        assertThat(((EpochOnlyTraining) run(Fixture.Case.NO_BATCH_HOOKS, Variant.GENERATED)).epochs).isEqualTo(3);
    }

    @Test
    void batchLossVariantsSeeTheSameRunningLoss() {
        assertSame(Fixture.Case.BATCH_LOSS, t -> {
            BatchLossTraining b = (BatchLossTraining) t;
            return b.lossSum + " " + b.bestLoss + " " + b.bestBatch + " " + b.lastLoss + " " + b.epochs;
        });
        BatchLossTraining generated = (BatchLossTraining) run(Fixture.Case.BATCH_LOSS, Variant.GENERATED);
        assertThat(generated.lossSum).isGreaterThan(0.0);
    }

    @Test
    void fullSetVariantsTakeTheSamePolicyDecisions() {
        assertSame(Fixture.Case.FULL_SET, t -> {
            FullSetTraining s = (FullSetTraining) t;
            return s.checkpoint.saves() + " " + s.checkpoint.lastSaved() + " " + s.earlyStop.waitCount() + " "
                    + s.plateau.waitCount() + " " + s.terminateOnNaN.outcome();
        });
        FullSetTraining generated = (FullSetTraining) run(Fixture.Case.FULL_SET, Variant.GENERATED);
        assertThat(generated.checkpoint.saves()).isGreaterThan(0);
        assertThat(generated.checkpoint.lastSaved()).startsWith("runs/bench/ckpt-");
    }

    @Test
    void noBatchHooksMeansNoBatchWorkForTheTrainer() {
        Fixture f = new Fixture(Fixture.Case.NO_BATCH_HOOKS);
        assertThat(f.generated.hooks() & (Hooks.BATCH_BEGIN | Hooks.BATCH_END | Hooks.BATCH_LOGS)).isEqualTo(0);
        assertThat(f.noCallbacks.hooks()).isEqualTo(0);
    }

    @Test
    void reflectiveDispatcherReportsTheGeneratedHooks() {
        for (Fixture.Case c : Fixture.Case.values()) {
            Fixture f = new Fixture(c);
            assertThat(f.reflection.hooks()).isEqualTo(f.generated.hooks());
        }
    }
}
