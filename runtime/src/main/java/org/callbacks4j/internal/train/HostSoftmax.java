package org.callbacks4j.internal.train;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.callbacks4j.internal.io.NativeFloats;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A softmax output layer and its cross-entropy over one batch size's rows, computed in Java on ND4J's memory. For a
 * 128 x 10 batch inside training steps, libnd4j's {@code softmax} op took about 14 us and its
 * {@code softmax_cross_entropy_loss} op (which computes the softmax again) 22 to 26 us, most of it per-call work
 * around 1,280 values; here they take about 9 and 4 us (BENCHMARKS.md). The arithmetic is in double and rounded to
 * float once: each probability is {@code exp(z - max) / sum}, each row's loss
 * {@code sum_j y_j (max + log(sum) - z_j)}, which is {@code -sum(y log p)} without taking the log of a probability
 * that rounded to 0.
 *
 * <p>One instance per batch size, bound to the frame's logits and outputs once ({@link #of}), so a batch makes no
 * views of them; {@link #crossEntropy} scores the logits of the last {@link #softmax}.
 */
public final class HostSoftmax {

    // exp's range reduction x = (32 k + j) ln(2) / 32 + r, with fdlibm's split of ln 2 (n * LN2_HI / 32 is exact
    // here) and a table of 2^(j / 32).
    private static final double STEPS_PER_LN2 = 32 / Math.log(2);
    private static final double STEP_HI = 6.93147180369123816490e-01 / 32;
    private static final double STEP_LO = 1.90821492927058770002e-10 / 32;
    private static final double[] TWO_TO_THE_THIRTY_SECONDS = new double[32];
    /** Below this, e^x (under 1e-65) rounds to float 0 however it is computed. */
    private static final double EXP_FLOOR = -150;

    static {
        for (int j = 0; j < 32; j++) {
            TWO_TO_THE_THIRTY_SECONDS[j] = Math.pow(2, j / 32.0);
        }
    }

    private final FloatBuffer logitsIn;
    private final FloatBuffer probabilitiesOut;
    private final int rows;
    private final int classes;
    private final float[] logits;
    private final float[] labels;
    private final float[] probabilities;
    private final double[] exps;
    private final float[] rowMax;
    private final double[] rowSum;
    private boolean hasLogits;

    private HostSoftmax(FloatBuffer logitsIn, FloatBuffer probabilitiesOut, int rows, int classes) {
        this.logitsIn = logitsIn;
        this.probabilitiesOut = probabilitiesOut;
        this.rows = rows;
        this.classes = classes;
        this.logits = new float[rows * classes];
        this.labels = new float[rows * classes];
        this.probabilities = new float[rows * classes];
        this.exps = new double[classes];
        this.rowMax = new float[rows];
        this.rowSum = new double[rows];
    }

    /**
     * The softmax of {@code z}'s rows into {@code p} (both {@code [rows, classes]}), or null if either is not dense
     * float32 in C order of the same shape (then the caller runs ND4J's ops).
     */
    public static HostSoftmax of(INDArray z, INDArray p) {
        FloatBuffer in = NativeFloats.view(z);
        FloatBuffer out = NativeFloats.view(p);
        if (in == null || out == null || z.rank() != 2 || !Arrays.equals(z.shape(), p.shape())) {
            return null;
        }
        return new HostSoftmax(in, out, (int) z.size(0), (int) z.size(1));
    }

    /**
     * Writes the softmax of each row of the logits into the outputs and keeps the logits for {@link #crossEntropy}. A
     * row with a NaN gives NaN probabilities, as ND4J's.
     */
    public void softmax() {
        logitsIn.get(0, logits);
        for (int r = 0, base = 0; r < rows; r++, base += classes) {
            float max = logits[base];
            for (int c = 1; c < classes; c++) {
                max = Math.max(max, logits[base + c]); // NaN wins, and spreads through the row
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double e = exp((double) logits[base + c] - max);
                exps[c] = e;
                sum += e;
            }
            double scale = 1 / sum;
            for (int c = 0; c < classes; c++) {
                probabilities[base + c] = (float) (exps[c] * scale);
            }
            rowMax[r] = max;
            rowSum[r] = sum;
        }
        probabilitiesOut.put(0, probabilities);
        hasLogits = true;
    }

    /**
     * Writes each row's cross-entropy {@code -sum_j y_j log p_j} of the last {@link #softmax}'s logits against
     * {@code y} ({@code [rows, classes]}, one-hot or probability rows) into {@code lossOut} ({@code [rows, 1]});
     * returns false, writing nothing, if there was no such softmax or an array does not fit (then the caller runs
     * ND4J's loss op).
     */
    public boolean crossEntropy(INDArray y, INDArray lossOut) {
        FloatBuffer target = NativeFloats.column(lossOut);
        FloatBuffer in = y.rank() == 2 && y.size(0) == rows && y.size(1) == classes ? NativeFloats.view(y) : null;
        if (!hasLogits || in == null || target == null || lossOut.length() != rows) {
            return false;
        }
        in.get(0, labels);
        for (int r = 0, base = 0; r < rows; r++, base += classes) {
            double logPartition = rowMax[r] + Math.log(rowSum[r]);
            double loss = 0;
            for (int c = 0; c < classes; c++) {
                float label = labels[base + c];
                if (label != 0) { // a zero label adds nothing, even where the logit is -infinity
                    loss += label * (logPartition - logits[base + c]);
                }
            }
            target.put(r, (float) loss);
        }
        return true;
    }

    /**
     * {@code e^x} for {@code x <= 0} (NaN stays NaN), within 1e-15 of it, so that its float rounding is
     * {@code (float) Math.exp(x)}'s but for a value a hair from a float's rounding boundary. {@code Math.exp} costs
     * about 6.5 ns a call here, this about half that: a step from a table of 2^(j/32) and a polynomial of degree 6.
     */
    static double exp(double x) {
        if (x < EXP_FLOOR) {
            return 0;
        }
        double n = Math.rint(x * STEPS_PER_LN2);
        double r = (x - n * STEP_HI) - n * STEP_LO; // |r| <= ln(2) / 64
        // Taylor series to r^6: its remainder is below 3e-18 of e^r on that interval.
        double s = 1.0 / 720;
        s = s * r + 1.0 / 120;
        s = s * r + 1.0 / 24;
        s = s * r + 1.0 / 6;
        s = s * r + 0.5;
        s = s * r + 1;
        s = s * r + 1;
        int steps = (int) n; // in [-6925, 0]; NaN gives 0, and s is NaN
        double twoToTheK = Double.longBitsToDouble((long) ((steps >> 5) + 1023) << 52);
        return s * TWO_TO_THE_THIRTY_SECONDS[steps & 31] * twoToTheK;
    }
}
