package org.callbacks4j.benchmarks.data;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.train.DataChecks;
import org.callbacks4j.internal.train.FiniteDataCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What {@code fit}'s data checks cost on Fashion-MNIST-sized data (70,000 rows of 784 features in [0, 1], 10 one-hot
 * classes, synthetic): the NaN and infinity check of the features alone (a sum), the exact count it falls back to when
 * the sum is not finite, every value check {@code fit} runs on its training data (NaN and infinities in features and
 * labels, label range, one-hot rows; the shape checks before them compare two numbers), and, for scale, one
 * plain ND4J sum over the features (a single read of the 219 MB). Milliseconds per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class DataCheckBenchmark {

    private static final int ROWS = 70_000;
    private static final int FEATURES = 784;
    private static final int CLASSES = 10;

    private Dataset data;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(11);
        float[] pixels = new float[ROWS * FEATURES];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256) / 255f;
        }
        INDArray x = Nd4j.create(pixels, new long[] {ROWS, FEATURES}, DataType.FLOAT);
        INDArray y = Nd4j.create(DataType.FLOAT, ROWS, CLASSES);
        for (int i = 0; i < ROWS; i++) {
            y.putScalar(i, random.nextInt(CLASSES), 1f);
        }
        data = Dataset.of(x, y);
    }

    @Benchmark
    public void finiteCheckOfFeatures() {
        FiniteDataCheck.check("training", "features", data.features());
    }

    @Benchmark
    public void allChecksOfFit() {
        // What fit checks for Loss.SOFTMAX_CROSS_ENTROPY: labels in [0, 1] and one-hot rows.
        DataChecks.checkValues("training", data.features(), data.labels(), true, true, "SOFTMAX_CROSS_ENTROPY");
    }

    /** The exact count of NaN and infinities that the check falls back to when the sum is not finite. */
    @Benchmark
    public long matchConditionNotFinite() {
        return FiniteDataCheck.countNotFinite(data.features());
    }

    @Benchmark
    public double sumOfFeatures() {
        return data.features().sumNumber().doubleValue();
    }
}
