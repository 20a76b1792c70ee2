package org.callbacks4j.train;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import org.callbacks4j.internal.io.NativeFloats;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * ND4J's Adam step ({@code adam_updater}), computed on Java arrays with the same float operations in the same order,
 * so its moments and updates are bit for bit those of ND4J's kernel ({@code AdamStepTest} holds it to that).
 *
 * <p>Why not call the kernel: in ND4J 1.0.0-M2.1 it is a scalar loop that takes about 1.3 ms per step of 203,530
 * parameters, as long as the forward and backward gemms of a 784-256-10 batch together. This loop is vectorised by
 * the JIT and takes about 0.1 ms, the copies of the gradient in and the update out included (BENCHMARKS.md). The
 * moments live on the Java heap; {@link #save} and {@link #load} move them to and from ND4J's flat state layout
 * (first moments, then second moments) for checkpoints.
 *
 * <p>ND4J's builds differ in one respect: those compiled for AVX2 (the oneDNN build the runtime loads on Linux
 * x86-64) contract each moment's {@code a * b + c * d} into a fused multiply-add, the generic build does not. Which
 * one is loaded is found once per JVM by stepping ND4J's kernel on a probe ({@link #kernelFusesMoments()}); the loop
 * then does the same ({@link Math#fma}). A build that matches neither gets ND4J's kernel itself
 * ({@link #matchesKernel()}).
 */
final class AdamStep {

    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float[] m;
    private final float[] v;
    private final float[] work;
    private final boolean fused;
    private INDArray lastGradient;
    private FloatBuffer lastGradientBuffer;

    /** Whether the loaded ND4J kernel fuses the moments' multiply-adds; null: it matches neither form. */
    private static final Boolean KERNEL_FUSES = probeKernel();

    AdamStep(org.nd4j.linalg.learning.config.Adam config, long paramCount) {
        if (paramCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(paramCount + " parameters are too many for one Adam step on the heap");
        }
        this.beta1 = (float) config.getBeta1();
        this.beta2 = (float) config.getBeta2();
        this.epsilon = (float) config.getEpsilon();
        this.m = new float[(int) paramCount];
        this.v = new float[(int) paramCount];
        this.work = new float[(int) paramCount];
        this.fused = kernelFusesMoments();
    }

    /** Whether this loop gives the loaded ND4J kernel's bits in one of its two forms (else use the kernel). */
    static boolean matchesKernel() {
        return KERNEL_FUSES != null;
    }

    private static boolean kernelFusesMoments() {
        if (KERNEL_FUSES == null) {
            throw new IllegalStateException("ND4J's Adam kernel matches neither form of the moments; use its updater");
        }
        return KERNEL_FUSES;
    }

    /**
     * Steps ND4J's own Adam kernel on a probe of gradients and moments over many magnitudes and compares its bits
     * with the loop's two forms.
     */
    private static Boolean probeKernel() {
        int n = 512;
        Random random = new Random(20261204);
        float[] g = new float[n];
        float[] flat = new float[2 * n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) (random.nextGaussian() * Math.pow(10, -1 - random.nextInt(6)));
            flat[i] = random.nextFloat() * 1e-3f;
            flat[n + i] = random.nextFloat() * 1e-3f;
        }
        org.nd4j.linalg.learning.config.Adam config = new org.nd4j.linalg.learning.config.Adam(1e-3);
        INDArray state = Nd4j.create(DataType.FLOAT, 1, 2L * n);
        GradientUpdater<?> kernel = config.instantiate(state, true); // zeroes the state: the moments go in after
        state.assign(Nd4j.create(flat, new long[] {1, 2L * n}, DataType.FLOAT));
        INDArray update = Nd4j.create(g, new long[] {1, n}, DataType.FLOAT);
        kernel.applyUpdater(update, 0, 0);
        float[] kernelUpdate = update.toFloatVector();
        float[] kernelMoments = state.toFloatVector();
        for (boolean fused : new boolean[] {true, false}) {
            AdamStep step = new AdamStep(config, n, fused);
            System.arraycopy(flat, 0, step.m, 0, n);
            System.arraycopy(flat, n, step.v, 0, n);
            System.arraycopy(g, 0, step.work, 0, n);
            step.loop(step.stepSize((float) config.getLearningRate(0, 0), 0));
            boolean same = Arrays.equals(step.work, kernelUpdate);
            for (int i = 0; same && i < n; i++) {
                same = Float.floatToIntBits(step.m[i]) == Float.floatToIntBits(kernelMoments[i])
                        && Float.floatToIntBits(step.v[i]) == Float.floatToIntBits(kernelMoments[n + i]);
            }
            if (same) {
                return fused;
            }
        }
        return null;
    }

    private AdamStep(org.nd4j.linalg.learning.config.Adam config, int paramCount, boolean fused) {
        this.beta1 = (float) config.getBeta1();
        this.beta2 = (float) config.getBeta2();
        this.epsilon = (float) config.getEpsilon();
        this.m = new float[paramCount];
        this.v = new float[paramCount];
        this.work = new float[paramCount];
        this.fused = fused;
    }

    /**
     * Turns {@code gradient} ({@code [1, n]} float32, contiguous) into the update {@code params -= update}, as ND4J's
     * kernel does at step {@code iteration} (counted from 0) with learning rate {@code learningRate}.
     */
    void apply(INDArray gradient, double learningRate, int iteration) {
        FloatBuffer buffer = hostView(gradient);
        buffer.get(0, work);
        loop(stepSize((float) learningRate, iteration));
        buffer.put(0, work);
    }

    /** The step on {@code work} (the gradient in, the update out) and the moments. */
    private void loop(float stepSize) {
        if (fused) {
            fusedLoop(stepSize);
            return;
        }
        float b1 = beta1;
        float b2 = beta2;
        float oneMinusB1 = 1 - b1;
        float oneMinusB2 = 1 - b2;
        float eps = epsilon;
        float[] g = work;
        float[] m1 = m;
        float[] m2 = v;
        for (int i = 0; i < g.length; i++) {
            float gi = g[i];
            float mi = b1 * m1[i] + gi * oneMinusB1;
            float vi = b2 * m2[i] + gi * gi * oneMinusB2;
            m1[i] = mi;
            m2[i] = vi;
            g[i] = (mi * stepSize) / ((float) Math.sqrt(vi) + eps);
        }
    }

    /** {@link #loop} as the AVX2 builds compile the kernel: each moment one fused multiply-add. */
    private void fusedLoop(float stepSize) {
        float b1 = beta1;
        float b2 = beta2;
        float oneMinusB1 = 1 - b1;
        float oneMinusB2 = 1 - b2;
        float eps = epsilon;
        float[] g = work;
        float[] m1 = m;
        float[] m2 = v;
        for (int i = 0; i < g.length; i++) {
            float gi = g[i];
            float mi = Math.fma(b1, m1[i], gi * oneMinusB1);
            float vi = Math.fma(b2, m2[i], gi * gi * oneMinusB2);
            m1[i] = mi;
            m2[i] = vi;
            g[i] = (mi * stepSize) / ((float) Math.sqrt(vi) + eps);
        }
    }

    /**
     * The bias-corrected step size, {@code lr sqrt(1 - beta2^t) / (1 - beta1^t)} with {@code t = iteration + 1}, in
     * the kernel's mix of float and double arithmetic; like the kernel, epsilon where that is 0, NaN or infinite.
     */
    private float stepSize(float learningRate, int iteration) {
        float t = (float) iteration + 1;
        float beta1T = (float) Math.pow(beta1, t);
        float beta2T = (float) Math.pow(beta2, t);
        float root = (float) Math.sqrt((float) (1.0 - beta2T));
        float stepSize = (float) ((learningRate * root) / (1.0 - beta1T));
        return Float.isNaN(stepSize) || stepSize == 0 || Float.isInfinite(stepSize) ? epsilon : stepSize;
    }

    /** Writes the moments into {@code flat}, {@code [1, 2n]}: first moments, then second moments (ND4J's layout). */
    void save(INDArray flat) {
        FloatBuffer buffer = checkedView(flat, 2L * m.length);
        buffer.put(0, m);
        buffer.put(m.length, v);
    }

    /** Reads the moments from {@code flat}, laid out as {@link #save} writes them. */
    void load(INDArray flat) {
        FloatBuffer buffer = checkedView(flat, 2L * m.length);
        buffer.get(0, m);
        buffer.get(m.length, v);
    }

    private FloatBuffer hostView(INDArray gradient) {
        if (gradient != lastGradient) {
            lastGradientBuffer = checkedView(gradient, work.length);
            lastGradient = gradient;
        }
        return lastGradientBuffer;
    }

    /** The native memory of {@code array}, which must be a dense float32 vector of {@code length} values. */
    private static FloatBuffer checkedView(INDArray array, long length) {
        FloatBuffer view = array.length() == length ? NativeFloats.view(array) : null;
        if (view == null) {
            throw new IllegalArgumentException("Adam needs a dense float32 vector of " + length + " values; got "
                    + array.shapeInfoToString().replace('\n', ' '));
        }
        return view;
    }
}
