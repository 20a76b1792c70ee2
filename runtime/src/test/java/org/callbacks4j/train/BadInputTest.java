package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad input fails before training with a message that names the value and the fix. */
class BadInputTest {

    private static String message(Executable e) {
        return assertThrows(RuntimeException.class, e).getMessage();
    }

    private final Dataset blobs = Blobs.classification(20, 4, 3, 1);
    private final Trainer softmax = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).metrics("accuracy").build();

    private static Sequential classifier() {
        return Sequential.input(4).dense(5, Activation.RELU).dense(3, Activation.SOFTMAX).build();
    }

    @Test
    void fitSettings() {
        assertThat(message(() -> Fit.epochs(0))).isEqualTo("epochs 0 must be at least 1; pass e.g. Fit.epochs(10)");
        assertThat(message(() -> Fit.epochs(10).batchSize(0)))
                .isEqualTo("batchSize 0 must be at least 1; pass e.g. Fit.epochs(10).batchSize(32)");
        assertThat(message(() -> Fit.epochs(10).validationSplit(1.5)))
                .isEqualTo("validationSplit 1.5 is outside (0, 1); pass e.g. Fit.epochs(10).validationSplit(0.2)");
        assertThat(message(() -> Fit.epochs(10).validationSplit(0))).startsWith("validationSplit 0.0 is outside");
        assertThat(message(() -> Fit.epochs(10).validationSplit(Double.NaN))).startsWith("validationSplit NaN is");
        assertThat(message(() -> Fit.epochs(10).initialEpoch(10)))
                .contains("initialEpoch 10 is outside [0, 10)");
        assertThat(message(() -> Fit.epochs(10).initialEpoch(-1))).contains("initialEpoch -1 is outside [0, 10)");
        assertThat(message(() -> Fit.epochs(10).verbose(3))).contains("verbose 3 is not 0, 1 or 2");
        assertThat(message(() -> Fit.epochs(1).validationSplit(0.2).validationData(blobs)))
                .contains("after validationSplit(0.2); pass one or the other");
        assertThat(message(() -> Fit.epochs(1).validationData(blobs).validationSplit(0.2)))
                .contains("validationSplit(0.2) given after validationData(..)");
    }

    @Test
    void trainerAndOptimizerSettings() {
        assertThat(message(() -> Trainer.builder().build())).contains("no loss set");
        assertThat(message(() -> Trainer.builder().metrics("acc")))
                .isEqualTo("unknown metric \"acc\"; the known metrics are \"accuracy\", \"mse\", \"mae\"");
        assertThat(message(() -> Trainer.builder().metrics("mse", "mse"))).contains("\"mse\" is listed twice");
        assertThat(message(() -> Adam.lr(-1))).contains("Adam learning rate -1.0 must be a finite number >= 0");
        assertThat(message(() -> Adam.lr(1e-3).beta1(1))).contains("Adam beta1 1.0 is outside [0, 1)");
        assertThat(message(() -> Sgd.lr(0.1).nesterov())).contains("Nesterov momentum needs a momentum");
        assertThat(message(() -> RmsProp.lr(1e-3).epsilon(0))).contains("RmsProp epsilon 0.0 must be");
    }

    @Test
    void modelSettings() {
        assertThat(message(() -> Sequential.input(0))).contains("input width 0 must be at least 1");
        assertThat(message(() -> Sequential.input(3).dense(0, Activation.RELU)))
                .contains("dense layer 0 has 0 units");
        assertThat(message(() -> Sequential.input(3).build())).contains("a Sequential needs at least one layer");
        Sequential model = classifier();
        assertThat(message(() -> model.predict(blobs.labels())))
                .contains("features of shape [20, 3] do not fit this model, which takes 4 features per row");
        assertThat(message(() -> model.setParams(blobs.labels())))
                .contains("holds 60 values but this model has 43 parameters");
    }

    @Test
    void datasets() {
        assertThat(message(() -> Dataset.of(new float[2][3], new float[3][1])))
                .contains("2 feature rows but 3 label rows");
        assertThat(message(() -> Dataset.of(new float[0][3], new float[0][1]))).contains("x has no rows");
        assertThat(message(() -> Dataset.of(new float[][] {{1, 2}, {3}}, new float[2][1])))
                .contains("x[1] has 1 values but x[0] has 2");
        assertThat(message(() -> Dataset.classification(new float[2][3], new int[] {0, 3}, 3)))
                .contains("class 3 of example 1 is outside [0, 3)");
        assertThat(message(() -> blobs.split(1))).contains("split fraction 1.0 is outside (0, 1)");
    }

    @Test
    void widthsThatDoNotFitTheModel() {
        Sequential narrow = Sequential.input(3).dense(3, Activation.SOFTMAX).build();
        assertThat(message(() -> softmax.fit(narrow, blobs, Fit.epochs(1))))
                .isEqualTo("training features have 4 columns but the model takes 3 inputs; pass 3-column features "
                        + "or build the model with Sequential.input(4)");
        Sequential tenWay = Sequential.input(4).dense(10, Activation.SOFTMAX).build();
        assertThat(message(() -> softmax.fit(tenWay, blobs, Fit.epochs(1))))
                .contains("training labels have 3 columns but the model has 10 outputs; pass 10-column labels");
        Dataset wrongVal = Blobs.classification(5, 2, 3, 1);
        assertThat(message(() -> softmax.fit(classifier(), blobs, Fit.epochs(1).validationData(wrongVal))))
                .contains("validation features have 2 columns but the model takes 4 inputs");
        assertThat(message(() -> softmax.evaluate(classifier(), wrongVal)))
                .contains("evaluation features have 2 columns");
    }

    @Test
    void labelsAndOutputsThatDoNotFitTheLoss() {
        Sequential sigmoid3 = Sequential.input(4).dense(3, Activation.SIGMOID).build();
        assertThat(message(() -> softmax.fit(sigmoid3, blobs, Fit.epochs(1))))
                .contains("loss SOFTMAX_CROSS_ENTROPY needs a SOFTMAX output layer but the model's last layer is "
                        + "SIGMOID; end the model with .dense(3, Activation.SOFTMAX), or use Loss.BINARY_CROSS_ENTROPY");
        Sequential one = Sequential.input(4).dense(1, Activation.SOFTMAX).build();
        assertThat(message(() -> softmax.fit(one, Blobs.regression(4, 1), Fit.epochs(1))))
                .contains("needs at least 2 outputs");

        Dataset notOneHot = Dataset.of(new float[][] {{1, 2, 3, 4}, {1, 2, 3, 4}}, new float[][] {{1, 0, 0}, {1, 1, 0}});
        assertThat(message(() -> softmax.fit(classifier(), notOneHot, Fit.epochs(1))))
                .contains("needs one-hot label rows (each summing to 1) but training label row 1 sums to 2.0");

        Trainer bce = Trainer.builder().loss(Loss.BINARY_CROSS_ENTROPY).build();
        Sequential sigmoid = Sequential.input(2).dense(1, Activation.SIGMOID).build();
        assertThat(message(() -> bce.fit(sigmoid, Blobs.regression(10, 1), Fit.epochs(1))))
                .contains("loss BINARY_CROSS_ENTROPY needs labels in [0, 1] but the training labels range from");
        Sequential linear = Sequential.input(2).dense(1, Activation.IDENTITY).build();
        assertThat(message(() -> bce.fit(linear, Blobs.xor(10, 1), Fit.epochs(1))))
                .contains("needs a SIGMOID output layer but the model's last layer is IDENTITY");
    }

    @Test
    void validationSplitsThatLeaveAnEmptySide() {
        Dataset two = Dataset.of(new float[][] {{1, 2, 3, 4}, {1, 2, 3, 4}}, new float[][] {{1, 0, 0}, {0, 1, 0}});
        assertThat(message(() -> softmax.fit(classifier(), two, Fit.epochs(1).validationSplit(0.6))))
                .isEqualTo("validationSplit 0.6 of 2 rows leaves 0 training and 2 validation rows; pass a split "
                        + "that leaves rows on both sides (e.g. 0.2) or more data");
        assertThat(message(() -> softmax.fit(classifier(), blobs, Fit.epochs(1).validationSplit(1e-17))))
                .contains("leaves 20 training and 0 validation rows");
    }

    @Test
    void callbacksThatCannotBeDispatched() {
        assertThat(message(() -> softmax.fit(classifier(), blobs, Fit.epochs(1), (Object) null)))
                .contains("callback 0 is null");
        assertThat(message(() -> softmax.fit(classifier(), blobs, Fit.epochs(1), new Object())))
                .contains("java.lang.Object has no generated callbacks class");
    }

    @Test
    void failuresHappenBeforeAnyTrainingWork() {
        Sequential model = classifier();
        float[] before = model.params().toFloatVector();
        RecordingDispatcher first = new RecordingDispatcher(RecordingDispatcher.ALL);
        Sequential narrow = Sequential.input(3).dense(3, Activation.SOFTMAX).build();
        assertThrows(IllegalArgumentException.class,
                () -> softmax.fit(model, blobs, Fit.epochs(1), first, new Object()));
        assertThrows(IllegalArgumentException.class,
                () -> softmax.fit(narrow, blobs, Fit.epochs(1), first));
        assertThat(first.events()).isEmpty();
        assertThat(model.params().toFloatVector()).isEqualTo(before);
        assertThat(Hooks.TRAIN_BEGIN & first.hooks()).isNotEqualTo(0);
    }
}
