package org.callbacks4j.internal.policy;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LearningRateScheduler against reference section 6: applied at epoch begin, float32 storage, logged at epoch end. */
class LearningRateSchedulerTest {

    private static final String SCHEDULE = "Training.schedule(int, double)";

    private final FakeLogs logs = new FakeLogs("loss");
    private final RecordingLog log = new RecordingLog();

    /** Runs epochs 0..epochs-1 as the generated code would; returns the rate each schedule call received. */
    private List<Double> run(LearningRateScheduler scheduler, FakeContext context, int epochs,
            DoubleBinaryOperator schedule) {
        scheduler.prepare(new FakePlan(logs, context, false));
        List<Double> received = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            double lr = scheduler.currentLearningRate(context);
            received.add(lr);
            scheduler.onEpochBegin(epoch, schedule.applyAsDouble(epoch, lr), context);
            logs.clear().put("loss", 1.0);
            scheduler.onEpochEnd(epoch, logs, context);
        }
        return received;
    }

    @Test
    void appliesTheScheduleBeforeEachEpochAndLogsTheRateUsed() {
        LearningRateScheduler scheduler = new LearningRateScheduler(SCHEDULE, 1, log);
        FakeContext context = new FakeContext(0.5);

        run(scheduler, context, 3, (epoch, lr) -> epoch < 1 ? lr : lr * 0.5);

        assertThat(context.learningRate()).isEqualTo(0.125);
        assertThat(logs.get(ReduceLROnPlateau.LEARNING_RATE)).isEqualTo(0.125);
        assertThat(log.at("INFO")).containsExactly(
                "Epoch 1: LearningRateScheduler setting learning rate to 0.5.",
                "Epoch 2: LearningRateScheduler setting learning rate to 0.25.",
                "Epoch 3: LearningRateScheduler setting learning rate to 0.125.").inOrder();
    }

    @Test
    void storesFloat32AndPrintsTheReturnedDouble() {
        LearningRateScheduler scheduler = new LearningRateScheduler(SCHEDULE, 1, log);
        FakeContext context = new FakeContext(0.01);

        List<Double> received = run(scheduler, context, 2, (epoch, lr) -> lr * 0.1);

        // The schedule sees float32 values widened to double, as Keras's float(optimizer.learning_rate).
        assertThat(received).containsExactly(0.009999999776482582, 0.0009999999310821295).inOrder();
        assertThat(log.at("INFO")).containsExactly(
                "Epoch 1: LearningRateScheduler setting learning rate to 0.0009999999776482583.",
                "Epoch 2: LearningRateScheduler setting learning rate to 9.999999310821295e-05.").inOrder();
        assertThat(context.learningRate()).isEqualTo(9.99999901978299e-05);
        assertThat(logs.get(ReduceLROnPlateau.LEARNING_RATE)).isEqualTo(9.99999901978299e-05);
    }

    @Test
    void verboseZeroLogsAtDebug() {
        LearningRateScheduler scheduler = new LearningRateScheduler(SCHEDULE, 0, log);

        run(scheduler, new FakeContext(0.5), 1, (epoch, lr) -> 1e-3);

        assertThat(log.at("INFO")).isEmpty();
        assertThat(log.at("DEBUG")).containsExactly("Epoch 1: LearningRateScheduler setting learning rate to 0.001.");
    }

    @Test
    void zeroIsAValidRate() {
        FakeContext context = new FakeContext(0.5);

        run(new LearningRateScheduler(SCHEDULE, 0, log), context, 1, (epoch, lr) -> 0.0);

        assertThat(context.learningRate()).isEqualTo(0.0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "NaN       | Training.schedule(int, double) returned NaN for epoch=3; a learning rate must be a finite number >= 0",
        "-0.001    | Training.schedule(int, double) returned -0.001 for epoch=3; a learning rate must be a finite number >= 0",
        "Infinity  | Training.schedule(int, double) returned Infinity for epoch=3; a learning rate must be a finite number",
        "1.0E39    | Training.schedule(int, double) returned 1.0E39 for epoch=3, beyond the float32 range of learning rates",
    })
    void invalidRatesAreRejectedNamingEpochAndValue(double returned, String message) {
        LearningRateScheduler scheduler = new LearningRateScheduler(SCHEDULE, 0, log);
        FakeContext context = new FakeContext(0.5);
        scheduler.prepare(new FakePlan(logs, context, false));

        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> scheduler.onEpochBegin(3, returned, context));
        assertThat(e).hasMessageThat().startsWith(message);
        assertThat(context.learningRateSets).isEqualTo(0);
    }

    @Test
    void prepareDefinesLearningRateInTheLogs() {
        LearningRateScheduler scheduler = new LearningRateScheduler(SCHEDULE, 0, log);
        FakeLogs noSlot = new FakeLogs("loss");

        scheduler.prepare(new FakePlan(noSlot, false));

        assertThat(noSlot.slot(ReduceLROnPlateau.LEARNING_RATE)).isEqualTo(1);
    }

    @Test
    void epochEndBeforePrepareFailsLoudly() {
        LearningRateScheduler scheduler = new LearningRateScheduler(SCHEDULE, 0, log);

        assertThat(assertThrows(IllegalStateException.class,
                        () -> scheduler.onEpochEnd(0, logs, new FakeContext(0.1))))
                .hasMessageThat().contains("was not prepared");
    }
}
