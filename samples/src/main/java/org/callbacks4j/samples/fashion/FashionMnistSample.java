package org.callbacks4j.samples.fashion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.plot.HistoryPlot;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;

/**
 * A CNN on Fashion-MNIST (Zalando's 28x28 grey images of 10 kinds of clothing, 60,000 to train and 10,000 to test)
 * with {@link FashionTraining}'s callbacks. The data comes from Debian's {@code dataset-fashion-mnist}
 * ({@code /usr/share/datasets/fashion-mnist}, or the folder given as the first argument). Run it with
 * {@code mvn -q -pl samples -am -DskipTests package exec:exec
 * -Dexec.mainClass=org.callbacks4j.samples.fashion.FashionMnistSample}.
 */
public final class FashionMnistSample {

    /** Where Debian's package puts the four IDX files. */
    public static final Path DEFAULT_DATA = Path.of("/usr/share/datasets/fashion-mnist");
    static final int EPOCHS = 15;
    static final int CLASSES = 10;

    private FashionMnistSample() {}

    public static void main(String[] args) throws IOException {
        Path folder = args.length > 0 ? Path.of(args[0]) : DEFAULT_DATA;
        Dataset train = load(folder, "train");
        Dataset test = load(folder, "t10k");

        Sequential model = model();
        System.out.println(model.summary());
        History history = trainer().fit(model, train, fit(), new FashionTraining(System.out));

        Map<String, Double> scores = trainer().evaluate(model, test);
        System.out.printf("Test (%d images): loss %.4f  accuracy %.4f%n", test.size(), scores.get("loss"),
                scores.get("accuracy"));
        history.stoppedBy().ifPresent(by -> System.out.printf("Stopped by %s in epoch %d%n",
                by, history.stoppedEpoch().getAsInt() + 1));
        OptionalInt restored = history.earlyStopping().stream()
                .filter(History.EarlyStoppingOutcome::weightsRestored)
                .mapToInt(History.EarlyStoppingOutcome::bestEpoch)
                .findFirst();
        restored.ifPresent(epoch -> System.out.printf("Weights restored from epoch %d%n", epoch + 1));
        Path curves = Path.of(FashionTraining.RUN_DIR, "curves.png");
        HistoryPlot.write(history, curves, restored);
        System.out.println("Run folder " + FashionTraining.RUN_DIR + ": history.csv, tensorboard/, best.zip, "
                + curves.getFileName());
    }

    /** The {@code prefix} ("train" or "t10k") images and labels of the folder, as rows of 784 pixels in [0, 1]. */
    public static Dataset load(Path folder, String prefix) throws IOException {
        float[][] images = IdxFiles.images(folder.resolve(prefix + "-images-idx3-ubyte.gz"));
        int[] labels = IdxFiles.labels(folder.resolve(prefix + "-labels-idx1-ubyte.gz"));
        return Dataset.classification(images, labels, CLASSES);
    }

    /** Two convolution blocks (conv, batch norm, max pool), then dropout and a dense layer: 422,026 parameters. */
    public static Sequential model() {
        return Sequential.input(28, 28, 1)
                .conv2d(32, 3, 1, "same", Activation.RELU).batchNorm().maxPool(2)
                .conv2d(64, 3, 1, "same", Activation.RELU).batchNorm().maxPool(2)
                .flatten()
                .dropout(0.4)
                .dense(128, Activation.RELU)
                .dropout(0.3)
                .dense(CLASSES, Activation.SOFTMAX)
                .seed(42)
                .build();
    }

    public static Trainer trainer() {
        return Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY)
                .optimizer(Adam.lr(1e-3))
                .metrics("accuracy")
                .build();
    }

    static Fit fit() {
        return Fit.epochs(EPOCHS).batchSize(64).validationSplit(0.1).seed(42).verbose(0);
    }
}
