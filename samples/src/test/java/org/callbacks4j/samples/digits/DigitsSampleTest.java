package org.callbacks4j.samples.digits;

import static com.google.common.truth.Truth.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.dispatch.Dispatchers;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Checkpoints;
import org.callbacks4j.train.SavedTraining;
import org.junit.jupiter.api.Test;

/**
 * The digits sample as its users run it: compiled by Maven with the processor on annotationProcessorPaths, so these
 * tests fail if the generated dispatcher is missing or does not call the hooks.
 */
class DigitsSampleTest {

    @Test
    void embeddedDataHasEveryImageAndDigit() {
        Dataset digits = DigitsData.load();

        assertThat(digits.size()).isEqualTo(1797);
        assertThat(digits.featureWidth()).isEqualTo(64);
        assertThat(digits.labelWidth()).isEqualTo(10);
        assertThat(digits.features().maxNumber().doubleValue()).isEqualTo(1.0);
        assertThat(digits.labels().sum(0).minNumber().intValue()).isGreaterThan(170); // every digit ~180 times
    }

    @Test
    void processorGeneratedTheDispatcher() {
        assertThat(Dispatchers.of(new DigitsTraining(System.out, 2)).getClass().getName())
                .isEqualTo("org.callbacks4j.samples.digits.DigitsTraining_Callbacks");
    }

    @Test
    void trainsToAtLeast95PercentWithItsPoliciesAndWritesTheRunFolder() throws IOException {
        Path run = Path.of(DigitsTraining.RUN_DIR);
        deleteRecursively(run); // the folder left by an earlier run or test
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Dataset.Split parts = DigitsSample.splits();
        Sequential model = DigitsSample.model();

        History history = DigitsSample.trainer().fit(model, parts.head(), DigitsSample.fit(),
                new DigitsTraining(out, DigitsSample.TARGET_VAL_ACCURACY));

        // @EarlyStop stopped the run and restored the epoch with the lowest val_loss.
        List<Double> valLoss = history.get("val_loss");
        int best = valLoss.indexOf(valLoss.stream().min(Double::compare).orElseThrow());
        assertThat(history.stoppedBy()).hasValue("EarlyStopping(monitor=val_loss)");
        assertThat(valLoss.size()).isLessThan(DigitsSample.EPOCHS);
        assertThat(DigitsSample.restoredEpoch(history)).hasValue(best);
        assertThat(history.get("val_accuracy").get(best)).isAtLeast(0.95);
        // The restored weights generalise: the held-out test images, never seen in training.
        assertThat(DigitsSample.trainer().evaluate(model, parts.tail()).get("accuracy")).isAtLeast(0.95);
        // @ReduceLrOnPlateau halved the rate at least once, and the rate is in the logs.
        assertThat(history.get("learning_rate").get(valLoss.size() - 1)).isLessThan(1e-3);

        // The hooks reported every epoch.
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertThat(printed).startsWith("Training " + DigitsSample.EPOCHS + " epochs of ");
        assertThat(printed.lines().filter(line -> line.startsWith("Epoch ")).count()).isEqualTo(valLoss.size());
        assertThat(printed).contains("Done: val_accuracy ");

        // The run folder: the CSV has a row per epoch, the best checkpoint predicts like the best epoch's weights.
        assertThat(Files.readAllLines(run.resolve("history.csv"))).hasSize(1 + valLoss.size());
        SavedTraining saved = Checkpoints.load(run.resolve("best.zip"));
        assertThat(saved.epoch()).isEqualTo(best);
        assertThat(saved.model().predict(parts.tail().features()).data().asFloat())
                .isEqualTo(model.predict(parts.tail().features()).data().asFloat());
        try (Stream<Path> events = Files.walk(run.resolve("tensorboard"))) {
            assertThat(events.filter(p -> p.getFileName().toString().contains("tfevents")).count()).isEqualTo(2);
        }
    }

    @Test
    void hookStopsTrainingOnceTheTargetIsReached() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        History history = DigitsSample.trainer().fit(DigitsSample.model(), DigitsSample.splits().head(),
                DigitsSample.fit(), new DigitsTraining(out, 0.9));

        assertThat(history.stoppedBy()).hasValue(History.STOPPED_BY_HOOK);

        // Stopped at the first epoch whose val_accuracy reached 0.9, and not before.
        List<Double> valAccuracy = history.get("val_accuracy");
        assertThat(valAccuracy.size()).isLessThan(DigitsSample.EPOCHS);
        assertThat(valAccuracy.get(valAccuracy.size() - 1)).isAtLeast(0.9);
        valAccuracy.subList(0, valAccuracy.size() - 1).forEach(v -> assertThat(v).isLessThan(0.9));
        assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("val_accuracy reached 0.90: stopping");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
