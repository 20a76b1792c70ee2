package org.callbacks4j.internal.train;

import java.util.Map;
import java.util.Objects;
import org.callbacks4j.model.Layer;
import org.callbacks4j.model.Sequential;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native thread counts a fit runs with, chosen once per fit and applied through ND4J's runtime calls: the threads
 * of ND4J's own ops (its thread pool, {@code Nd4j.getEnvironment().setMaxMasterThreads}, and OpenMP,
 * {@code NativeOps.setOmpNumThreads}) and those of OpenBLAS's matrix products ({@code Nd4j.factory().blas()
 * .setMaxThreads}, OpenBLAS's {@code openblas_set_num_threads}).
 *
 * <p>ND4J's own defaults use every core for both, which suits large arrays; a dense network's ops on a batch are
 * short (a ReLU over 128 x 256 floats takes microseconds), and splitting them makes every op wait at a barrier for a
 * thread that another process may hold: on the 2-core machine of {@code BENCHMARKS.md} ND4J's defaults made a
 * 784-256-10 epoch 3 to 4 times slower than one thread. So, unless the user said otherwise:
 *
 * <ul>
 *   <li>ND4J's own ops get one thread per {@value #ELEMENTS_PER_OP_THREAD} elements of the largest activation
 *       (batch x widest layer), at least one and at most the cores: one thread for every dense network benchmarked;
 *   <li>the matrix products get one thread per {@value #MACS_PER_PRODUCT_THREAD} multiply-adds of the largest
 *       product of a batch (batch x inputs x units of the widest layer), at least one and at most the cores:
 *       784-256-10 at batch 128 (25.7 million) one, 784-512-256-10 (51.4 million) two where there are two cores.
 *       In the oneDNN build (the runtime's default on Linux x86-64) the products and convolutions run on OpenMP's
 *       threads, so OpenMP gets that count (or the ops' count, if larger) while ND4J's own ops keep theirs: the
 *       products of 784-512-256-10 on two threads and the small ops around them on one made its epoch 9 to 11%
 *       faster than all on one (BENCHMARKS.md, "2026-12-06"), where all on two thrash. In ND4J's generic build the
 *       products are OpenBLAS's, which gets that count;
 *   <li>OpenBLAS gets one thread in the oneDNN build, since it then runs only the update's streaming {@code axpy},
 *       where a second thread spin-waiting between calls costs the other threads more than it saves
 *       (784-512-256-10: 1.11 to 1.16 s an epoch against 1.22 to 1.29 s with two, three alternating runs).
 * </ul>
 *
 * <p>What the user set wins: {@code Trainer.builder().threads(n)} sets all three ({@code threads(ops, blas)}: OpenMP
 * as the ops); otherwise {@code OMP_NUM_THREADS}, which ND4J applies to all three when it loads, is kept for all, and
 * {@code OPENBLAS_NUM_THREADS} (which ND4J would otherwise override) sets OpenBLAS's. The settings are process-wide and
 * stay after the fit; each change is logged at INFO, with where each count came from.
 */
public final class NativeThreads {

    private static final Logger log = LoggerFactory.getLogger(NativeThreads.class);

    static final String OMP_NUM_THREADS = "OMP_NUM_THREADS";
    static final String OPENBLAS_NUM_THREADS = "OPENBLAS_NUM_THREADS";
    /** ND4J's own ops: one thread per this many elements of the largest activation of a batch. */
    static final long ELEMENTS_PER_OP_THREAD = 1L << 18;
    /** The products' library: one thread per this many multiply-adds of the largest matrix product of a batch. */
    static final long MACS_PER_PRODUCT_THREAD = 1L << 24;

    /** The last settings applied in this process (logged only when they change). */
    private static Choice applied;

    private NativeThreads() {}

    /**
     * Thread counts and where each came from ({@code "chosen for ..."}, {@code "OMP_NUM_THREADS=1"},
     * {@code "Trainer.builder().threads(2)"}): ND4J's own ops ({@code ops}, its thread pool), OpenMP's threads
     * ({@code openMp}: ND4J's OpenMP loops and, in the oneDNN build, the matrix products and convolutions) and
     * OpenBLAS's ({@code blas}).
     */
    public record Choice(int ops, int openMp, int blas, String opsSource, String openMpSource, String blasSource) {

        /** ND4J's ops and OpenMP on the same count, as ND4J itself applies {@code OMP_NUM_THREADS}. */
        public Choice(int ops, int blas, String opsSource, String blasSource) {
            this(ops, ops, blas, opsSource, opsSource, blasSource);
        }

        @Override
        public String toString() {
            return "ND4J ops on " + count(ops) + " (" + opsSource + "), "
                    + (openMp != ops ? "oneDNN's products on " + count(openMp) + " (" + openMpSource + "), " : "")
                    + "OpenBLAS on " + count(blas) + " (" + blasSource + ")";
        }

        private static String count(int threads) {
            return threads + (threads == 1 ? " thread" : " threads");
        }
    }

    /**
     * The thread counts for training {@code model} in batches of {@code batchSize} on {@code cores} cores, given the
     * builder's {@code requested} counts (ND4J's ops and OpenBLAS; 0: none) and the process environment {@code env}.
     */
    public static Choice choose(int requested, int requestedBlas, Map<String, String> env, int cores, Sequential model,
            int batchSize) {
        return choose(requested, requestedBlas, env, cores, model, batchSize, productsOnOpenBlas());
    }

    /**
     * As {@link #choose(int, int, Map, int, Sequential, int)}, for a build whose matrix products run on OpenBLAS
     * ({@code productsOnOpenBlas}) or on oneDNN.
     */
    public static Choice choose(int requested, int requestedBlas, Map<String, String> env, int cores, Sequential model,
            int batchSize, boolean productsOnOpenBlas) {
        Objects.requireNonNull(env, "env");
        if (requested > 0) {
            String source = "Trainer.builder().threads(" + requested
                    + (requestedBlas != requested ? ", " + requestedBlas : "") + ")" + overriding(env);
            return new Choice(requested, requestedBlas, source, source);
        }
        int omp = positive(env, OMP_NUM_THREADS);
        int openblas = positive(env, OPENBLAS_NUM_THREADS);
        long widest = 0;
        long largestProduct = 0;
        for (Layer layer : model.layers()) {
            widest = Math.max(widest, layer.units());
            largestProduct = Math.max(largestProduct, (long) layer.inputs() * layer.units());
        }
        int cpus = Math.max(1, cores);
        long elements = widest * batchSize;
        long macs = largestProduct * batchSize;
        String inCores = ", " + cpus + (cpus == 1 ? " core" : " cores");
        int ops;
        String opsSource;
        if (omp > 0) {
            ops = omp;
            opsSource = OMP_NUM_THREADS + "=" + omp;
        } else {
            ops = clamp(elements / ELEMENTS_PER_OP_THREAD, cpus);
            opsSource = "chosen: " + elements + " elements per activation" + inCores;
        }
        // Whichever library runs the products gets one thread per MACS_PER_PRODUCT_THREAD of the largest: OpenBLAS in
        // the generic build, OpenMP (oneDNN's threads) in the oneDNN build, where the ops' count is its floor.
        int forProducts = clamp(macs / MACS_PER_PRODUCT_THREAD, cpus);
        String productsSource = "chosen: " + macs + " multiply-adds in the largest product" + inCores;
        int openMp = ops;
        String openMpSource = opsSource;
        if (omp == 0 && !productsOnOpenBlas && forProducts > ops) {
            openMp = forProducts;
            openMpSource = productsSource;
        }
        int blas;
        String blasSource;
        if (openblas > 0) {
            blas = openblas;
            blasSource = OPENBLAS_NUM_THREADS + "=" + openblas;
        } else if (omp > 0) {
            blas = omp;
            blasSource = OMP_NUM_THREADS + "=" + omp;
        } else if (!productsOnOpenBlas) {
            blas = 1;
            blasSource = "chosen: the products run on oneDNN";
        } else {
            blas = forProducts;
            blasSource = productsSource;
        }
        return new Choice(ops, openMp, blas, opsSource, openMpSource, blasSource);
    }

    /**
     * Applies what a trainer without {@code threads(n)} chooses for {@code model} at {@code batchSize} (the benchmarks
     * run their gemm bound with it) and returns the choice as text.
     */
    public static String applyDefault(Sequential model, int batchSize) {
        Choice c = choose(0, 0, System.getenv(), Runtime.getRuntime().availableProcessors(), model, batchSize);
        apply(c);
        return c.toString();
    }

    /** Applies {@code choice} to ND4J and OpenBLAS (process-wide); logs it when it differs from the last one. */
    public static synchronized void apply(Choice choice) {
        // ND4J sizes its pool when it loads (OMP_NUM_THREADS, else the cores) and caps the count at that size;
        // OpenMP is capped with the ops where it is their count, and keeps a count of its own.
        int pool = Nd4j.getEnvironment().maxThreads();
        Choice effective = choice;
        if (choice.ops() > pool) {
            String capped = choice.opsSource() + "; capped at ND4J's pool of " + pool + ", sized when ND4J loaded";
            effective = choice.openMp() == choice.ops()
                    ? new Choice(pool, choice.blas(), capped, choice.blasSource())
                    : new Choice(pool, choice.openMp(), choice.blas(), capped, choice.openMpSource(),
                            choice.blasSource());
        }
        Nd4j.getEnvironment().setMaxMasterThreads(effective.ops());
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(effective.openMp());
        Nd4j.factory().blas().setMaxThreads(effective.blas());
        if (!effective.equals(applied)) {
            log.info("native threads: {}; set them with Trainer.builder().threads(n) or .threads(ops, blas)",
                    effective);
            applied = effective;
        }
    }

    /**
     * The settings in force as ND4J reports them: its ops' thread count, OpenMP's (for the calling thread), OpenBLAS's,
     * and the size of ND4J's pool (the most the first can be).
     */
    public static int[] current() {
        return new int[] {
            Nd4j.getEnvironment().maxMasterThreads(),
            NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(),
            Nd4j.factory().blas().getMaxThreads(),
            Nd4j.getEnvironment().maxThreads()
        };
    }

    /**
     * Whether the loaded ND4J build runs matrix products on OpenBLAS: false where it was built with oneDNN and may use
     * it (ND4J's "helpers"), whose {@code matmul} and convolutions then run instead.
     */
    public static boolean productsOnOpenBlas() {
        String build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        return !(build.contains("HAVE_ONEDNN") && Nd4j.getEnvironment().helpersAllowed());
    }

    private static int clamp(long threads, int cores) {
        return (int) Math.max(1, Math.min(cores, threads));
    }

    private static String overriding(Map<String, String> env) {
        StringBuilder s = new StringBuilder();
        for (String name : new String[] {OMP_NUM_THREADS, OPENBLAS_NUM_THREADS}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                s.append(s.length() == 0 ? ", over " : " and ").append(name).append('=').append(value.strip());
            }
        }
        return s.toString();
    }

    /** The variable's value if it is a positive whole number; 0 if unset; logs and ignores anything else. */
    private static int positive(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        log.warn("{}={} is not a positive whole number: ignored; the trainer chooses the thread count (set e.g. "
                + "{}=1, or Trainer.builder().threads(n))", name, value, name);
        return 0;
    }
}
