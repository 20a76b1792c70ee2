package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertWithMessage;

import java.util.Map;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Every batch size from 1 up, and data sizes that leave a last batch of one row, with every hidden activation and
 * every output/loss pair: training, validation, evaluate and predict all run and give finite values. A batch of one
 * row once crashed in ND4J's fused {@code relu_layer} op (issue 11).
 */
@Tag("reliability")
class EveryBatchSizeTest {

    private record Head(Activation output, Loss loss, int outputs) {}

    private static final Head[] HEADS = {
        new Head(Activation.SOFTMAX, Loss.SOFTMAX_CROSS_ENTROPY, 3),
        new Head(Activation.SIGMOID, Loss.BINARY_CROSS_ENTROPY, 1),
        new Head(Activation.IDENTITY, Loss.MSE, 3),
    };

    private static Dataset data(int rows, Head head) {
        Dataset blobs = Blobs.classification(rows, 4, 3, 7);
        if (head.outputs() == 3) {
            return blobs;
        }
        INDArray firstClass = blobs.labels().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1)).dup();
        return Dataset.of(blobs.features().toFloatMatrix(), firstClass.toFloatMatrix());
    }

    @Test
    void everyBatchSizeAndOneRowLeftOverTrainsValidatesEvaluatesAndPredicts() {
        for (Activation hidden : Activation.values()) {
            for (Head head : HEADS) {
                Trainer trainer = Trainer.builder().loss(head.loss()).optimizer(Adam.lr(1e-2)).metrics("accuracy", "mse")
                        .build();
                for (int batchSize = 1; batchSize <= 5; batchSize++) {
                    // 1 row; batchSize + 1 rows (one left over); validation data of one row, and of batchSize + 1.
                    for (int rows : new int[] {1, batchSize + 1, 2 * batchSize + 1}) {
                        String what = hidden + " hidden, " + head.output() + " output, batch " + batchSize + ", "
                                + rows + " rows";
                        Sequential model = Sequential.input(4).dense(5, hidden).dense(4, hidden)
                                .dense(head.outputs(), head.output()).seed(3).build();
                        Dataset train = data(rows, head);
                        Dataset validation = data(rows == 1 ? 1 : batchSize + 1, head);
                        History history = trainer.fit(model, train,
                                Fit.epochs(2).batchSize(batchSize).validationData(validation).verbose(0));
                        for (String key : history.metrics()) {
                            for (double v : history.get(key)) {
                                assertWithMessage("%s: %s", what, key).that(Double.isFinite(v)).isTrue();
                            }
                        }
                        Map<String, Double> evaluated = trainer.evaluate(model, train);
                        assertWithMessage("%s: evaluate", what).that(Double.isFinite(evaluated.get("loss"))).isTrue();
                        INDArray oneRow = train.features().get(NDArrayIndex.interval(0, 1), NDArrayIndex.all());
                        INDArray predicted = trainer.predict(model, oneRow);
                        assertWithMessage("%s: predict shape", what).that(predicted.shape())
                                .isEqualTo(new long[] {1, head.outputs()});
                        assertWithMessage("%s: predict", what)
                                .that(Double.isFinite(predicted.sumNumber().doubleValue())).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void layersOneUnitWideWithEveryBatchSize() {
        // libnd4j also calls [n, 1] arrays vectors: one input column, and ReLU layers of one unit.
        float[][] x = new float[7][1];
        float[][] y = new float[7][1];
        for (int i = 0; i < 7; i++) {
            x[i][0] = i - 3;
            y[i][0] = i % 2;
        }
        Dataset data = Dataset.of(x, y);
        Trainer trainer = Trainer.builder().loss(Loss.BINARY_CROSS_ENTROPY).metrics("accuracy").build();
        for (Activation hidden : Activation.values()) {
            for (int batchSize = 1; batchSize <= 4; batchSize++) {
                Sequential model = Sequential.input(1).dense(1, hidden).dense(3, hidden).dense(1, hidden)
                        .dense(1, Activation.SIGMOID).seed(5).build();
                History history = trainer.fit(model, data, Fit.epochs(2).batchSize(batchSize).validationData(data)
                        .verbose(0));
                assertWithMessage("%s, batch %s", hidden, batchSize)
                        .that(Double.isFinite(history.last("val_loss"))).isTrue();
            }
        }
    }

    @Test
    void evaluateOnASetWhoseSizeLeavesOneRowOverItsBatchesOf32() {
        Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).metrics("accuracy").build();
        Sequential model = Sequential.input(4).dense(8, Activation.RELU).dense(3, Activation.SOFTMAX).seed(1).build();
        Dataset set = Blobs.classification(33, 4, 3, 2);
        Map<String, Double> evaluated = trainer.evaluate(model, set);
        assertWithMessage("loss").that(Double.isFinite(evaluated.get("loss"))).isTrue();
    }

    @Test
    void validationSplitLeavingOneRowInEachPart() {
        Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).metrics("accuracy").build();
        Sequential model = Sequential.input(4).dense(8, Activation.RELU).dense(3, Activation.SOFTMAX).seed(1).build();
        // 33 rows, 0.5 split: 17 / 16 rows; batch 16 leaves one training row over, validation one batch.
        History history = trainer.fit(model, Blobs.classification(33, 4, 3, 2),
                Fit.epochs(2).batchSize(16).validationSplit(0.5).verbose(0));
        assertWithMessage("val_loss").that(Double.isFinite(history.get("val_loss").get(1))).isTrue();
    }
}
