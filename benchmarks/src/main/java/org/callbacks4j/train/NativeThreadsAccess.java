package org.callbacks4j.train;

import org.callbacks4j.model.Sequential;

/**
 * The trainer's thread settings, for the end-to-end benchmark: the gemm bound runs with the settings the trainer
 * chooses for the same network, and DL4J with ND4J's own (restored after our fits changed them). It lives in the
 * runtime's package (the benchmarks run on the class path) because the choice is internal to the trainer.
 */
public final class NativeThreadsAccess {

    private NativeThreadsAccess() {}

    /** Applies what a trainer without {@code threads(n)} chooses for {@code model} at {@code batchSize}. */
    public static String applyTrainerChoice(Sequential model, int batchSize) {
        NativeThreads.Choice c = NativeThreads.choose(0, 0, System.getenv(),
                Runtime.getRuntime().availableProcessors(), model, batchSize);
        NativeThreads.apply(c);
        return c.toString();
    }

    /** ND4J's ops threads, OpenMP's (this thread), OpenBLAS's, ND4J's pool size. */
    public static int[] current() {
        return NativeThreads.current();
    }

    /** Sets ND4J's ops (pool and OpenMP) to {@code ops} threads and OpenBLAS to {@code blas}, as the trainer does. */
    public static void set(int ops, int blas) {
        NativeThreads.apply(new NativeThreads.Choice(ops, blas, "benchmark", "benchmark"));
    }
}
