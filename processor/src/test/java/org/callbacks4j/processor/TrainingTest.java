package org.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.callbacks4j.processor.Compilations.compile;
import static org.callbacks4j.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The whole path a user takes: a class compiled with the processor, loaded with its generated dispatcher, and trained
 * with the real trainer, which finds the dispatcher by name. Every call is recorded with its arguments; the expected
 * values come from the returned {@link History}, so the test pins the order and the wiring, not the numbers.
 */
class TrainingTest {

    private static final int EPOCHS = 3;
    private static final int BATCHES = 3; // 16 rows, a quarter held out, batches of 4

    private static final String RECORDER = """
            package com.example;

            import java.util.ArrayList;
            import java.util.List;
            import java.util.function.Supplier;
            import org.callbacks4j.*;
            import org.callbacks4j.model.Sequential;

            public class Recorder implements Supplier<List<String>> {
                final List<String> calls = new ArrayList<>();

                @Override
                public List<String> get() {
                    return calls;
                }

                @OnTrainBegin
                void trainBegin(TrainingContext context, Sequential model) {
                    calls.add("trainBegin epoch=" + context.epoch() + " epochs=" + context.epochs()
                            + " batches=" + context.batchesPerEpoch() + " params=" + model.paramCount());
                }

                @OnEpochBegin
                void epochBegin(int epoch) {
                    calls.add("epochBegin " + epoch);
                }

                @OnBatchBegin
                void batchBegin(int epoch, int batch) {
                    calls.add("batchBegin " + epoch + "/" + batch);
                }

                @OnBatchEnd
                void batchEnd(int batch, Logs logs, int epoch) {
                    calls.add("batchEnd " + epoch + "/" + batch + " " + logs.names());
                }

                @OnValidationEnd
                void validationEnd(Logs logs, int epoch) {
                    calls.add("validationEnd " + epoch + " " + logs.names());
                }

                @OnEpochEnd
                void epochEnd(int epoch, Logs logs) {
                    calls.add("epochEnd " + epoch + " loss=" + logs.get("loss") + " val_loss=" + logs.get("val_loss"));
                }

                @OnEpochEnd
                void afterEpochEnd(TrainingContext context) {
                    calls.add("afterEpochEnd " + context.epoch());
                }

                @OnTrainEnd
                void trainEnd(Logs logs, TrainingContext context) {
                    calls.add("trainEnd loss=" + logs.get("loss") + " stopped=" + context.isStopRequested());
                }
            }
            """;

    /** A nested class, found by the trainer as {@code Experiments_Stopper_Callbacks}. */
    private static final String STOPPER = """
            package com.example;

            import org.callbacks4j.*;

            public class Experiments {
                public static class Stopper extends Recorder {
                    @OnBatchEnd
                    void stopInSecondEpoch(int epoch, int batch, TrainingContext context) {
                        if (epoch == 1 && batch == 1) {
                            calls.add("stop " + epoch + "/" + batch);
                            context.stopTraining();
                        }
                    }
                }
            }
            """;

    @Test
    void runWithValidationCallsEveryHookInKerasOrder() {
        Object recorder = compiledInstance("com.example.Recorder");
        History history = train(recorder);

        List<String> expected = new ArrayList<>();
        expected.add("trainBegin epoch=-1 epochs=3 batches=3 params=58");
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            expectEpoch(expected, history, epoch, BATCHES, null);
        }
        expected.add("trainEnd loss=" + history.last("loss") + " stopped=false");
        assertThat(calls(recorder)).containsExactlyElementsIn(expected).inOrder();
    }

    @Test
    void runStoppedByAHookFinishesTheEpochAndEnds() {
        Object stopper = compiledInstance("com.example.Experiments$Stopper");
        History history = train(stopper);

        assertThat(history.epochs()).containsExactly(0, 1).inOrder();
        List<String> expected = new ArrayList<>();
        expected.add("trainBegin epoch=-1 epochs=3 batches=3 params=58");
        expectEpoch(expected, history, 0, BATCHES, null);
        // The stop ends the batch loop after batch 1; the epoch still validates and ends (Keras 3).
        expectEpoch(expected, history, 1, 2, "stop 1/1");
        expected.add("trainEnd loss=" + history.last("loss") + " stopped=true");
        assertThat(calls(stopper)).containsExactlyElementsIn(expected).inOrder();
    }

    private static void expectEpoch(
            List<String> expected, History history, int epoch, int batches, String afterLastBatch) {
        expected.add("epochBegin " + epoch);
        for (int batch = 0; batch < batches; batch++) {
            expected.add("batchBegin " + epoch + "/" + batch);
            expected.add("batchEnd " + epoch + "/" + batch + " [accuracy, loss]");
        }
        if (afterLastBatch != null) {
            expected.add(afterLastBatch);
        }
        expected.add("validationEnd " + epoch + " [accuracy, loss, val_accuracy, val_loss]");
        expected.add("epochEnd " + epoch + " loss=" + history.get("loss").get(epoch) + " val_loss="
                + history.get("val_loss").get(epoch));
        expected.add("afterEpochEnd " + epoch);
    }

    private static Object compiledInstance(String binaryName) {
        Compilation compilation =
                compile(source("com.example.Recorder", RECORDER), source("com.example.Experiments", STOPPER));
        assertThat(compilation).succeededWithoutWarnings();
        return new CompiledClasses(compilation).instantiate(binaryName);
    }

    private static History train(Object callbacks) {
        Random random = new Random(1);
        float[][] x = new float[16][4];
        int[] classes = new int[16];
        for (int i = 0; i < x.length; i++) {
            classes[i] = i % 2;
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) random.nextGaussian() + classes[i];
            }
        }
        Sequential model = Sequential.input(4).dense(8, Activation.RELU).dense(2, Activation.SOFTMAX).seed(1).build();
        return Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY)
                .optimizer(Adam.lr(1e-2))
                .metrics("accuracy")
                .build()
                .fit(
                        model,
                        Dataset.classification(x, classes, 2),
                        Fit.epochs(EPOCHS).batchSize(4).validationSplit(0.25).verbose(0),
                        callbacks);
    }

    @SuppressWarnings("unchecked")
    private static List<String> calls(Object recorder) {
        return ((Supplier<List<String>>) recorder).get();
    }
}
