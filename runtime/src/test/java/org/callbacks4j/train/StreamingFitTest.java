package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.callbacks4j.History;
import org.callbacks4j.data.BadDataException;
import org.callbacks4j.data.BatchSource;
import org.callbacks4j.data.DataFiles;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.data.IdxSource;
import org.callbacks4j.data.NpySource;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fits on streamed sources: a memory-mapped file trains exactly as the same values in memory; gzipped files train
 * reproducibly through the shuffle buffer; bad data fails before training with the file and row; validationFreq,
 * classWeight and sampleWeight follow Keras.
 */
class StreamingFitTest {

    static final Dataset ALL = Blobs.classification(300, 6, 3, 11);
    static final Dataset DATA = ALL.rows(0, 240);
    static final Dataset VALIDATION = ALL.rows(240, 300);

    @TempDir
    Path dir;

    static Sequential model() {
        return Sequential.input(6).dense(16, Activation.RELU).dense(3, Activation.SOFTMAX).seed(3).build();
    }

    static Trainer trainer() {
        return Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(5e-3)).metrics("accuracy").build();
    }

    /** {@code data} as a features .npy (float32) and a labels .npy (int64 class indices). */
    static NpySource npy(Path dir, String name, Dataset data, boolean gzip) throws IOException {
        float[] x = data.features().reshape(data.features().length()).toFloatVector();
        float[][] y = data.labels().toFloatMatrix();
        long[] classes = new long[y.length];
        for (int i = 0; i < y.length; i++) {
            for (int k = 0; k < y[i].length; k++) {
                if (y[i][k] == 1f) {
                    classes[i] = k;
                }
            }
        }
        String z = gzip ? ".gz" : "";
        return NpySource.classification(
                DataFiles.npy(dir.resolve(name + "-x.npy" + z), "<f4", DataFiles.floats(x), gzip, data.size(),
                        data.featureWidth()),
                DataFiles.npy(dir.resolve(name + "-y.npy" + z), "<i8", DataFiles.longs(classes), gzip, data.size()),
                data.labelWidth());
    }

    private static float[] fit(BatchSource train, BatchSource validation, Fit fit, History[] history) {
        Sequential model = model();
        history[0] = trainer().fit(model, train, fit.validationData(validation));
        return model.params().toFloatVector();
    }

    @Test
    void aMappedFileTrainsBitIdenticallyToTheSameValuesInMemory() throws IOException {
        Fit fit = Fit.epochs(4).batchSize(16).seed(7).verbose(0);
        History[] memory = new History[1];
        History[] streamed = new History[1];
        float[] expected = fit(DATA, VALIDATION, fit, memory);
        float[] actual = fit(npy(dir, "train", DATA, false), npy(dir, "val", VALIDATION, false), fit, streamed);
        assertThat(actual).isEqualTo(expected);
        assertThat(streamed[0].asMap()).isEqualTo(memory[0].asMap());
    }

    /**
     * A CNN reads each row as a channels-last image: an image file ({@code [n, 4, 4, 1]} .npy, flattened in C order)
     * trains a conv / batch-norm / dropout network to the same bits as the same rows in memory, weighted too.
     */
    @Test
    void aCnnTrainsOnAnImageFileBitIdenticallyToTheSameRowsInMemory() throws IOException {
        Dataset images = Blobs.classification(120, 16, 3, 5);
        float[] x = images.features().reshape(images.features().length()).toFloatVector();
        long[] classes = new long[images.size()];
        float[][] y = images.labels().toFloatMatrix();
        for (int i = 0; i < y.length; i++) {
            classes[i] = y[i][1] == 1f ? 1 : y[i][2] == 1f ? 2 : 0;
        }
        NpySource file = NpySource.classification(
                DataFiles.npy(dir.resolve("img-x.npy"), "<f4", DataFiles.floats(x), false, 120, 4, 4, 1),
                DataFiles.npy(dir.resolve("img-y.npy"), "<i8", DataFiles.longs(classes), false, 120), 3);
        assertThat(file.featureWidth()).isEqualTo(16);
        Fit plain = Fit.epochs(3).batchSize(16).seed(7).verbose(0);
        // In memory: batch views of the Dataset, or (weighted) its rows streamed with their weights.
        for (Fit fit : new Fit[] {plain, plain.classWeight(Map.of(1, 2.0))}) {
            float[][] params = new float[2][];
            History[] histories = new History[2];
            BatchSource[] sources = {images, file};
            for (int i = 0; i < 2; i++) {
                Sequential cnn = Sequential.input(4, 4, 1).conv2d(4, 3, 1, "same", Activation.RELU).batchNorm()
                        .maxPool(2).flatten().dropout(0.25).dense(3, Activation.SOFTMAX).seed(9).build();
                histories[i] = trainer().fit(cnn, sources[i], fit);
                params[i] = cnn.params().toFloatVector();
            }
            assertThat(params[1]).isEqualTo(params[0]);
            assertThat(histories[1].asMap()).isEqualTo(histories[0].asMap());
        }
    }

    /** Unshuffled, every source hands out the rows in file order: CSV and an iterator train as the Dataset does. */
    @Test
    void csvAndIteratorSourcesTrainInOrderBitIdenticallyToTheDataset() throws IOException {
        Fit fit = Fit.epochs(2).batchSize(16).shuffle(false).verbose(0);
        Sequential expected = model();
        trainer().fit(expected, DATA, fit);
        float[][] x = DATA.features().toFloatMatrix();
        float[][] y = DATA.labels().toFloatMatrix();
        StringBuilder csv = new StringBuilder("class,f0,f1,f2,f3,f4,f5\n");
        for (int i = 0; i < x.length; i++) {
            int c = y[i][0] == 1f ? 0 : y[i][1] == 1f ? 1 : 2;
            csv.append(c);
            for (float v : x[i]) {
                csv.append(',').append(v); // Float.toString reads back to the same float
            }
            csv.append('\n');
        }
        Path file = java.nio.file.Files.writeString(dir.resolve("data.csv"), csv);
        Sequential fromCsv = model();
        trainer().fit(fromCsv, org.callbacks4j.data.CsvSource.classification(file, 0, 3).header(true), fit);
        assertThat(fromCsv.params().toFloatVector()).isEqualTo(expected.params().toFloatVector());
        Sequential fromIterator = model();
        trainer().fit(fromIterator, org.callbacks4j.data.IteratorSource.of(
                new org.nd4j.linalg.dataset.api.iterator.TestDataSetIterator(
                        new org.nd4j.linalg.dataset.DataSet(DATA.features().dup(), DATA.labels().dup()), 50)), fit);
        assertThat(fromIterator.params().toFloatVector()).isEqualTo(expected.params().toFloatVector());
    }

    @Test
    void sampleWeightWithAValidationSplitWeighsOnlyTheTrainingRows() {
        Fit fit = Fit.epochs(1).batchSize(300).shuffle(false).validationSplit(0.2).verbose(0);
        float[] weights = new float[300];
        java.util.Arrays.fill(weights, 0, 240, 2f); // the held-out rows' weights (0) are not used
        Sequential model = model();
        History weighted = trainer().fit(model, ALL, fit.sampleWeight(weights));
        History plain = trainer().fit(model(), ALL, fit);
        assertThat(weighted.get("loss").get(0)).isEqualTo(2 * plain.get("loss").get(0));
        // Validation is unweighted (the held-out rows' zero weights would make it 0).
        assertThat(weighted.get("val_loss").get(0))
                .isWithin(1e-6).of(trainer().evaluate(model, VALIDATION).get("loss"));
    }

    @Test
    void evaluateOnAFileEqualsEvaluateInMemory() throws IOException {
        Sequential model = model();
        trainer().fit(model, DATA, Fit.epochs(2).verbose(0));
        assertThat(trainer().evaluate(model, npy(dir, "v", VALIDATION, true)))
                .isEqualTo(trainer().evaluate(model, VALIDATION));
    }

    @Test
    void gzippedFilesTrainReproduciblyThroughTheShuffleBuffer() throws IOException {
        Fit fit = Fit.epochs(3).batchSize(16).seed(7).verbose(0);
        NpySource train = npy(dir, "train", DATA, true).shuffleBuffer(50);
        History[] a = new History[1];
        History[] b = new History[1];
        float[] first = fit(train, npy(dir, "val", VALIDATION, true), fit, a);
        float[] second = fit(train, npy(dir, "val", VALIDATION, true), fit, b);
        assertThat(second).isEqualTo(first);
        assertThat(b[0].asMap()).isEqualTo(a[0].asMap());
        // It learns: the blobs are separable.
        assertThat(a[0].last("val_accuracy")).isGreaterThan(0.9);
        // A different seed shuffles differently.
        float[] other = fit(train, npy(dir, "val", VALIDATION, true), fit.seed(8), new History[1]);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void nanInAFileFailsBeforeTrainingWithFileRowAndFix() throws IOException {
        float[] x = DATA.features().reshape(DATA.features().length()).toFloatVector();
        x[17 * 6 + 4] = Float.NaN;
        Path features = DataFiles.npy(dir.resolve("x.npy"), "<f4", DataFiles.floats(x), false, 240, 6);
        long[] y = new long[240];
        Path labels = DataFiles.npy(dir.resolve("y.npy"), "<i8", DataFiles.longs(y), false, 240);
        Sequential model = model();
        float[] before = model.params().toFloatVector();
        RecordingDispatcher hooks = new RecordingDispatcher(0xFF);
        BadDataException e = assertThrows(BadDataException.class, () -> trainer().fit(model,
                NpySource.classification(features, labels, 3), Fit.epochs(1).verbose(0), hooks));
        assertThat(e.getMessage()).contains(features.toAbsolutePath().toString());
        assertThat(e.getMessage()).contains("feature 4 of row 17 is NaN");
        assertThat(e.getMessage()).contains("numpy.nan_to_num");
        assertThat(e.row()).isEqualTo(17);
        assertThat(hooks.events()).isEmpty();
        assertThat(model.params().toFloatVector()).isEqualTo(before);
    }

    @Test
    void nanIsRefusedInValidationFilesInEvaluationAndInADatasetThatStreamsBecauseItIsWeighted() throws IOException {
        float[] x = VALIDATION.features().reshape(VALIDATION.features().length()).toFloatVector();
        x[5 * 6 + 2] = Float.POSITIVE_INFINITY;
        Path features = DataFiles.npy(dir.resolve("vx.npy"), "<f4", DataFiles.floats(x), false, 60, 6);
        Path labels = DataFiles.npy(dir.resolve("vy.npy"), "<i8", DataFiles.longs(new long[60]), false, 60);
        NpySource badValidation = NpySource.classification(features, labels, 3);
        RecordingDispatcher hooks = new RecordingDispatcher(0xFF);
        BadDataException validation = assertThrows(BadDataException.class, () -> trainer().fit(model(), DATA,
                Fit.epochs(1).verbose(0).validationData(badValidation), hooks));
        assertThat(validation.getMessage()).startsWith("validation data NpySource(");
        assertThat(validation.getMessage()).contains("feature 2 of row 5 is Infinity");
        assertThat(hooks.events()).isEmpty();
        BadDataException evaluation = assertThrows(BadDataException.class,
                () -> trainer().evaluate(model(), badValidation));
        assertThat(evaluation.getMessage()).startsWith("evaluation data NpySource(");
        // An in-memory Dataset keeps the trainer's own check (issue 11), also when weights make it stream.
        float[][] rows = DATA.features().toFloatMatrix();
        rows[9][1] = Float.NaN;
        Dataset nan = Dataset.of(rows, DATA.labels().toFloatMatrix());
        IllegalArgumentException memory = assertThrows(IllegalArgumentException.class, () -> trainer().fit(model(),
                nan, Fit.epochs(1).verbose(0).classWeight(Map.of(0, 2.0)), hooks));
        assertThat(memory.getMessage()).contains("training features hold 1 value that is NaN or infinite, the first "
                + "at row 9, column 1");
        assertThat(hooks.events()).isEmpty();
    }

    @Test
    void aLabelOutOfRangeOrAWidthMismatchFailsBeforeTraining() throws IOException {
        byte[] pixels = new byte[4 * 6];
        Path images = DataFiles.idxBytes(dir.resolve("i"), pixels, false, 4, 6);
        Path labels = DataFiles.idxBytes(dir.resolve("l"), new byte[] {0, 1, 2, 3}, false, 4);
        RecordingDispatcher hooks = new RecordingDispatcher(0xFF);
        BadDataException e = assertThrows(BadDataException.class, () -> trainer().fit(model(),
                IdxSource.classification(images, labels, 3), Fit.epochs(1).verbose(0), hooks));
        assertThat(e.getMessage()).contains("the label of row 3 is 3.0, outside the 3 classes");
        assertThat(hooks.events()).isEmpty();
        Path wide = DataFiles.idxBytes(dir.resolve("w"), new byte[4 * 7], false, 4, 7);
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class, () -> trainer().fit(model(),
                IdxSource.classification(wide, labels, 3), Fit.epochs(1).verbose(0)));
        assertThat(width.getMessage()).contains("has 7 features per row but the model takes 6 inputs");
        assertThat(width.getMessage()).contains("Sequential.input(7)");
    }

    @Test
    void validationSplitNeedsADataset() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer().fit(model(),
                npy(dir, "t", DATA, false), Fit.epochs(1).validationSplit(0.2).verbose(0)));
        assertThat(e.getMessage()).contains("Fit.validationData(source)");
    }

    @Test
    void validationFreqValidatesEveryNthEpoch() throws IOException {
        History h = trainer().fit(model(), npy(dir, "t", DATA, false),
                Fit.epochs(5).batchSize(32).validationData(npy(dir, "v", VALIDATION, false)).validationFreq(2)
                        .verbose(0));
        assertThat(h.epochs()).containsExactly(0, 1, 2, 3, 4).inOrder();
        assertThat(h.epochsOf("val_loss")).containsExactly(1, 3).inOrder();
        assertThat(h.epochsOf("loss")).hasSize(5);
        History memory = trainer().fit(model(), DATA,
                Fit.epochs(3).batchSize(32).validationData(VALIDATION).validationFreq(3).verbose(0));
        assertThat(memory.epochsOf("val_accuracy")).containsExactly(2);
    }

    /**
     * Keras: the loss of a batch is {@code sum(w_i * loss_i) / rows}, metrics are {@code sum(w_i * m_i) / sum(w_i)}.
     * With one batch per epoch, epoch 0's logs are those of the initial weights, which evaluate() measures per class.
     */
    @Test
    void classWeightWeighsLossAsSumOverBatchSizeAndMetricsAsWeightedMeans() {
        Fit fit = Fit.epochs(1).batchSize(DATA.size()).shuffle(false).verbose(0);
        History weighted = trainer().fit(model(), DATA, fit.classWeight(Map.of(0, 3.0, 2, 0.5)));
        double[] loss = new double[3];
        double[] accuracy = new double[3];
        int[] rows = new int[3];
        for (int c = 0; c < 3; c++) {
            Dataset part = classRows(DATA, c);
            Map<String, Double> r = trainer().evaluate(model(), part);
            loss[c] = r.get("loss");
            accuracy[c] = r.get("accuracy");
            rows[c] = part.size();
        }
        double[] w = {3.0, 1.0, 0.5};
        double lossSum = 0;
        double accuracySum = 0;
        double weightSum = 0;
        for (int c = 0; c < 3; c++) {
            lossSum += w[c] * loss[c] * rows[c];
            accuracySum += w[c] * accuracy[c] * rows[c];
            weightSum += w[c] * rows[c];
        }
        assertThat(weighted.get("loss").get(0)).isWithin(1e-5).of(lossSum / DATA.size());
        assertThat(weighted.get("accuracy").get(0)).isWithin(1e-6).of(accuracySum / weightSum);
    }

    @Test
    void sampleWeightScalesLossAndGradientPerRow() {
        Fit fit = Fit.epochs(1).batchSize(DATA.size()).shuffle(false).verbose(0);
        float[] twos = new float[DATA.size()];
        java.util.Arrays.fill(twos, 2f);
        Sequential plainModel = model();
        Sequential weightedModel = model();
        float[] start = plainModel.params().toFloatVector();
        Trainer sgd = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Sgd.lr(0.1)).metrics("accuracy")
                .build();
        History plain = sgd.fit(plainModel, DATA, fit);
        History weighted = sgd.fit(weightedModel, DATA, fit.sampleWeight(twos));
        assertThat(weighted.get("loss").get(0)).isEqualTo(2 * plain.get("loss").get(0));
        assertThat(weighted.get("accuracy")).isEqualTo(plain.get("accuracy"));
        // Plain SGD: the step of a doubled loss is twice the step.
        float[] p = plainModel.params().toFloatVector();
        float[] q = weightedModel.params().toFloatVector();
        for (int i = 0; i < p.length; i++) {
            assertThat((double) q[i] - start[i]).isWithin(1e-5).of(2.0 * (p[i] - start[i]));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sgd.fit(model(), DATA, fit.sampleWeight(new float[5])));
        assertThat(e.getMessage()).contains("sampleWeight has 5 weights but the training data has 240 rows");
        assertThrows(IllegalArgumentException.class, () -> fit.sampleWeight(twos).classWeight(Map.of(0, 2.0)));
    }

    /** Keras weighs each row's loss, then adds the regularisation once: {@code sum(w_i * loss_i) / rows + penalty}. */
    @Test
    void sampleWeightLeavesTheL2PenaltyUnweighted() {
        Fit fit = Fit.epochs(1).batchSize(DATA.size()).shuffle(false).verbose(0);
        float[] twos = new float[DATA.size()];
        java.util.Arrays.fill(twos, 2f);
        Sequential plainModel = Sequential.input(6).dense(3, Activation.SOFTMAX).l2(0.1).seed(3).build();
        Sequential weightedModel = Sequential.input(6).dense(3, Activation.SOFTMAX).l2(0.1).seed(3).build();
        INDArray kernel = plainModel.weights(0);
        double penalty = 0.1 * kernel.mul(kernel).sumNumber().doubleValue();
        assertThat(penalty).isGreaterThan(0.05); // large enough to tell weighted from unweighted
        History plain = trainer().fit(plainModel, DATA, fit);
        History weighted = trainer().fit(weightedModel, DATA, fit.sampleWeight(twos));
        // Epoch 0's one batch is scored with the initial weights: plain = L + P, weighted = 2 L + P.
        double dataLoss = plain.get("loss").get(0) - penalty;
        assertThat(weighted.get("loss").get(0)).isWithin(1e-4).of(2 * dataLoss + penalty);
    }

    private static Dataset classRows(Dataset data, int c) {
        float[][] x = data.features().toFloatMatrix();
        float[][] y = data.labels().toFloatMatrix();
        List<float[]> xs = new java.util.ArrayList<>();
        List<float[]> ys = new java.util.ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (y[i][c] == 1f) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        return Dataset.of(xs.toArray(new float[0][]), ys.toArray(new float[0][]));
    }
}
