package org.callbacks4j.samples.dl4j;

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
import org.callbacks4j.samples.digits.DigitsSample;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;

/** The DL4J digits sample as its users run it, with the processor on Maven's annotationProcessorPaths. */
class DigitsCnnSampleTest {

    @Test
    void processorGeneratedTheDispatcher() {
        assertThat(Dispatchers.of(new DigitsCnnTraining(System.out)).getClass().getName())
                .isEqualTo("org.callbacks4j.samples.dl4j.DigitsCnnTraining_Callbacks");
    }

    @Test
    void theCnnTrainsToAtLeast95PercentAndItsBestCheckpointReloadsIntoDl4j() throws IOException {
        Path run = Path.of(DigitsCnnTraining.RUN_DIR);
        if (Files.exists(run)) {
            try (Stream<Path> all = Files.walk(run)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Dataset.Split parts = DigitsSample.splits();
        Dataset.Split trainParts = parts.head().split(0.2);
        MultiLayerNetwork net = DigitsCnnSample.network();

        History history = org.callbacks4j.dl4j.Dl4jTrainer.fit(net, DigitsCnnSample.iterator(trainParts.head()),
                DigitsCnnSample.fit(DigitsCnnSample.iterator(trainParts.tail())).verbose(0),
                new DigitsCnnTraining(out));

        List<Double> valF1 = history.get("val_f1");
        double best = valF1.stream().max(Double::compare).orElseThrow();
        assertThat(best).isAtLeast(0.95);
        assertThat(net.evaluate(DigitsCnnSample.iterator(parts.tail())).accuracy()).isAtLeast(0.95);
        assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("Epoch   1  loss ");
        // The best checkpoint (saveBestOnly on val_f1) is DL4J's zip; with restoreBestWeights the network ends at
        // the same epoch's weights, so both predict alike.
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(run.resolve("best.zip").toFile(), true);
        if (history.earlyStopping().get(0).weightsRestored()) {
            assertThat(restored.params()).isEqualTo(net.params());
        }
        assertThat(Files.readAllLines(run.resolve("history.csv"))).hasSize(history.epochs().size() + 1);
    }
}
