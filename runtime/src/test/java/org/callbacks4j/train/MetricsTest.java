package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;

import java.util.Map;
import java.util.Random;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Loss and metric values against Keras's formulas computed by hand from the model's predictions. */
class MetricsTest {

    private static final int ROWS = 70; // batches of 32, 32 and 6 in evaluate

    private static float[][] features(Random r) {
        float[][] x = new float[ROWS][3];
        for (float[] row : x) {
            for (int j = 0; j < 3; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void softmaxCrossEntropyAndCategoricalAccuracy() {
        Random r = new Random(1);
        float[][] x = features(r);
        int[] classes = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            classes[i] = r.nextInt(4);
        }
        Dataset data = Dataset.classification(x, classes, 4);
        Sequential model = Sequential.input(3).dense(4, Activation.SOFTMAX).seed(3).build();
        Trainer trainer = Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY).metrics("accuracy", "mse", "mae").build();

        float[][] p = model.predict(data.features()).toFloatMatrix();
        double ce = 0;
        double hits = 0;
        double se = 0;
        double ae = 0;
        for (int i = 0; i < ROWS; i++) {
            ce -= Math.log(p[i][classes[i]]);
            int argmax = 0;
            for (int j = 0; j < 4; j++) {
                if (p[i][j] > p[i][argmax]) {
                    argmax = j;
                }
                double y = j == classes[i] ? 1 : 0;
                se += (y - p[i][j]) * (y - p[i][j]) / 4;
                ae += Math.abs(y - p[i][j]) / 4;
            }
            hits += argmax == classes[i] ? 1 : 0;
        }
        Map<String, Double> eval = trainer.evaluate(model, data);
        assertThat(eval.keySet()).containsExactly("accuracy", "loss", "mae", "mse").inOrder();
        assertThat(eval.get("loss")).isWithin(1e-5).of(ce / ROWS);
        assertThat(eval.get("accuracy")).isWithin(1e-6).of(hits / ROWS);
        assertThat(eval.get("mse")).isWithin(1e-6).of(se / ROWS);
        assertThat(eval.get("mae")).isWithin(1e-6).of(ae / ROWS);
    }

    @Test
    void binaryCrossEntropyAndBinaryAccuracyAverageOverColumns() {
        Random r = new Random(2);
        float[][] x = features(r);
        float[][] y = new float[ROWS][2];
        for (float[] row : y) {
            row[0] = r.nextInt(2);
            row[1] = r.nextInt(2);
        }
        Dataset data = Dataset.of(x, y);
        Sequential model = Sequential.input(3).dense(2, Activation.SIGMOID).seed(4).build();
        Trainer trainer = Trainer.builder().loss(Loss.BINARY_CROSS_ENTROPY).metrics("accuracy").build();

        float[][] p = model.predict(data.features()).toFloatMatrix();
        double bce = 0;
        double acc = 0;
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < 2; j++) {
                bce -= (y[i][j] * Math.log(p[i][j]) + (1 - y[i][j]) * Math.log(1 - p[i][j])) / 2;
                acc += ((p[i][j] > 0.5 ? 1 : 0) == y[i][j] ? 1 : 0) / 2.0;
            }
        }
        Map<String, Double> eval = trainer.evaluate(model, data);
        assertThat(eval.get("loss")).isWithin(1e-5).of(bce / ROWS);
        assertThat(eval.get("accuracy")).isWithin(1e-6).of(acc / ROWS);
    }

    @Test
    void singleOutputAccuracyIsBinaryEvenWithMse() {
        float[][] x = {{1}, {2}, {3}, {4}};
        float[][] y = {{1}, {0}, {1}, {1}};
        Sequential model = Sequential.input(1).dense(1, Activation.IDENTITY).build();
        // output = 0.25 x -> [0.25, 0.5, 0.75, 1.0]; Keras thresholds with a strict p > 0.5
        model.setParams(org.nd4j.linalg.factory.Nd4j.create(new float[] {0.25f, 0f}));
        Trainer trainer = Trainer.builder().loss(Loss.MSE).metrics("accuracy").build();
        Map<String, Double> eval = trainer.evaluate(model, Dataset.of(x, y));
        // predictions 0, 0, 1, 1 vs labels 1, 0, 1, 1
        assertThat(eval.get("accuracy")).isWithin(1e-9).of(0.75);
        INDArray out = model.predict(Dataset.of(x, y).features());
        double mse = 0;
        for (int i = 0; i < 4; i++) {
            mse += Math.pow(y[i][0] - out.getDouble(i, 0), 2) / 4;
        }
        assertThat(eval.get("loss")).isWithin(1e-6).of(mse);
    }

    @Test
    void trainingLossIsTheExampleWeightedMeanOfBatchLosses() {
        // With learning rate 0 the model does not change, so the epoch loss equals evaluate on the training data,
        // whatever the batch sizes (32 + 32 + 6 rows).
        Random r = new Random(5);
        float[][] x = features(r);
        float[][] y = new float[ROWS][1];
        for (float[] row : y) {
            row[0] = (float) r.nextGaussian();
        }
        Dataset data = Dataset.of(x, y);
        Sequential model = Sequential.input(3).dense(1, Activation.IDENTITY).seed(1).build();
        Trainer trainer = Trainer.builder().loss(Loss.MSE).optimizer(Sgd.lr(0)).metrics("mae").build();
        var h = trainer.fit(model, data, Fit.epochs(1).batchSize(32).verbose(0));
        Map<String, Double> eval = trainer.evaluate(model, data);
        assertThat(h.last("loss")).isWithin(1e-6).of(eval.get("loss"));
        assertThat(h.last("mae")).isWithin(1e-6).of(eval.get("mae"));
    }
}
