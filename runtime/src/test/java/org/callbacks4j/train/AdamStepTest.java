package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/** {@link AdamStep} against ND4J's own Adam kernel: the same updates and moments, bit for bit. */
class AdamStepTest {

    private static final int PARAMS = 4_099;

    @Test
    void reproducesTheLoadedBuildsKernelSoTheFastLoopRuns() {
        // Else every fit would fall back to ND4J's slow kernel, and the tests below would compare it with itself.
        assertThat(AdamStep.matchesKernel()).isTrue();
    }

    @Test
    void updatesAndMomentsAreThoseOfNd4jsKernelBitForBit() {
        assertMatchesNd4j(Adam.lr(1e-3), 0, 60);
    }

    @Test
    void matchesWithOtherBetasAndEpsilonAndAfterManySteps() {
        // A late start exercises the bias correction where beta^t is far from 1.
        assertMatchesNd4j(Adam.lr(3e-2).beta1(0.5).beta2(0.99).epsilon(1e-4), 5_000, 20);
    }

    @Test
    void matchesAfterTheLearningRateChanges() {
        Random random = new Random(11);
        OptimizerState ours = new OptimizerState(Adam.lr(1e-2), PARAMS);
        Nd4jAdam reference = new Nd4jAdam(Adam.lr(1e-2));
        for (int step = 0; step < 30; step++) {
            if (step == 10) {
                ours.setLearningRate(2.5e-3);
                reference.config.setLrAndSchedule(2.5e-3, null);
            }
            if (step == 20) {
                // Zero: ND4J's kernel then steps by epsilon instead, and so must we.
                ours.setLearningRate(0);
                reference.config.setLrAndSchedule(0, null);
            }
            stepBoth(ours, reference, gradient(random), step);
        }
    }

    @Test
    void restoredMomentsContinueExactly() {
        Random random = new Random(5);
        OptimizerState first = new OptimizerState(Adam.lr(1e-3), PARAMS);
        for (int step = 0; step < 7; step++) {
            first.step(gradient(random), 0);
        }
        OptimizerState resumed = new OptimizerState(Adam.lr(1e-3), PARAMS);
        resumed.restore(first.flat().dup(), first.iterations());
        INDArray g = gradient(random);
        INDArray a = g.dup();
        INDArray b = g.dup();
        first.step(a, 0);
        resumed.step(b, 0);
        assertThat(b.toFloatVector()).isEqualTo(a.toFloatVector());
        assertThat(resumed.flat().toFloatVector()).isEqualTo(first.flat().toFloatVector());
    }

    @Test
    void refusesAGradientOfTheWrongLength() {
        OptimizerState state = new OptimizerState(Adam.lr(1e-3), PARAMS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> state.step(Nd4j.create(DataType.FLOAT, 1, PARAMS + 1), 0));
        assertThat(e).hasMessageThat().contains("dense float32 vector of " + PARAMS);
    }

    private static void assertMatchesNd4j(Adam adam, long startIteration, int steps) {
        Random random = new Random(startIteration + 3);
        OptimizerState ours = new OptimizerState(adam, PARAMS);
        Nd4jAdam reference = new Nd4jAdam(adam);
        INDArray start = Nd4j.rand(DataType.FLOAT, 1, 2L * PARAMS).muli(1e-3);
        reference.state.assign(start);
        ours.restore(start, startIteration);
        for (int step = 0; step < steps; step++) {
            stepBoth(ours, reference, gradient(random), (int) startIteration + step);
        }
    }

    private static void stepBoth(OptimizerState ours, Nd4jAdam reference, INDArray gradient, int iteration) {
        INDArray a = gradient.dup();
        INDArray b = gradient.dup();
        ours.step(a, 0);
        reference.updater.applyUpdater(b, iteration, 0);
        assertWithMessage("update at iteration %s", iteration).that(a.toFloatVector())
                .isEqualTo(b.toFloatVector());
        assertWithMessage("moments at iteration %s", iteration).that(ours.flat().toFloatVector())
                .isEqualTo(reference.state.toFloatVector());
    }

    /** Gradients over many magnitudes, with exact zeros and signs mixed, as real batches give. */
    private static INDArray gradient(Random random) {
        float[] g = new float[PARAMS];
        for (int i = 0; i < g.length; i++) {
            g[i] = i % 17 == 0 ? 0f : (float) (random.nextGaussian() * Math.pow(10, -1 - random.nextInt(7)));
        }
        return Nd4j.create(g, new long[] {1, PARAMS}, DataType.FLOAT);
    }

    /** ND4J's own updater over its own flat state. */
    private static final class Nd4jAdam {
        final org.nd4j.linalg.learning.config.IUpdater config;
        final INDArray state;
        final GradientUpdater<?> updater;

        Nd4jAdam(Adam adam) {
            config = adam.toNd4j();
            state = Nd4j.create(DataType.FLOAT, 1, 2L * PARAMS);
            updater = config.instantiate(state, true);
        }
    }
}
