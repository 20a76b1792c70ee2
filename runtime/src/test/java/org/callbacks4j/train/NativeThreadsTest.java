package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.train.NativeThreads;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

class NativeThreadsTest {

    private static final Map<String, String> NO_ENV = Map.of();

    private static Sequential dense(int... widths) {
        Sequential.Builder b = Sequential.input(widths[0]);
        for (int l = 1; l < widths.length - 1; l++) {
            b.dense(widths[l], Activation.RELU);
        }
        return b.dense(widths[widths.length - 1], Activation.SOFTMAX).seed(1).build();
    }

    /** The choice for a build whose products run on OpenBLAS (ND4J's generic build). */
    private static NativeThreads.Choice onOpenBlas(Map<String, String> env, int cores, Sequential model, int batch) {
        return NativeThreads.choose(0, 0, env, cores, model, batch, true);
    }

    @Test
    void smallLayersGetOneThreadForOpsAndBlasThreadsForLargeProducts() {
        // 784-256-10 at batch 128: 32,768 elements per activation, 25.7 million multiply-adds: one thread each.
        NativeThreads.Choice small = onOpenBlas(NO_ENV, 2, dense(784, 256, 10), 128);
        assertThat(small.ops()).isEqualTo(1);
        assertThat(small.blas()).isEqualTo(1);
        assertThat(small.opsSource()).startsWith("chosen");
        // 784-512-256-10: 51.4 million multiply-adds in the first product: OpenBLAS on both cores, ops on one.
        NativeThreads.Choice wide = onOpenBlas(NO_ENV, 2, dense(784, 512, 256, 10), 128);
        assertThat(wide.ops()).isEqualTo(1);
        assertThat(wide.blas()).isEqualTo(2);
        // Never more than the cores, never fewer than one.
        NativeThreads.Choice huge = onOpenBlas(NO_ENV, 4, dense(4096, 4096, 10), 1024);
        assertThat(huge.ops()).isEqualTo(4);
        assertThat(huge.blas()).isEqualTo(4);
        NativeThreads.Choice oneCore = onOpenBlas(NO_ENV, 1, dense(4096, 4096, 10), 1024);
        assertThat(oneCore.ops()).isEqualTo(1);
        assertThat(oneCore.blas()).isEqualTo(1);
        assertThat(onOpenBlas(NO_ENV, 16, dense(4, 8, 3), 1).blas()).isEqualTo(1);
    }

    @Test
    void openBlasGetsOneThreadWhereTheProductsRunOnOneDnn() {
        // The oneDNN build runs matmul and conv2d itself (on OpenMP's threads); OpenBLAS only the axpy.
        NativeThreads.Choice huge = NativeThreads.choose(0, 0, NO_ENV, 4, dense(4096, 4096, 10), 1024, false);
        assertThat(huge.ops()).isEqualTo(4);
        assertThat(huge.blas()).isEqualTo(1);
        assertThat(huge.blasSource()).isEqualTo("chosen: the products run on oneDNN");
        assertThat(huge.openMp()).isEqualTo(4);
        // A variable the user set still wins.
        NativeThreads.Choice set = NativeThreads.choose(0, 0, Map.of("OPENBLAS_NUM_THREADS", "2"), 4,
                dense(4096, 4096, 10), 1024, false);
        assertThat(set.blas()).isEqualTo(2);
    }

    @Test
    void largeProductsGetOpenMpThreadsOfTheirOwnWhereTheyRunOnOneDnn() {
        // 784-512-256-10 at batch 128: 51.4 million multiply-adds in the first product, so oneDNN's products (OpenMP)
        // get both cores while ND4J's own ops (65,536 elements per activation) keep one.
        NativeThreads.Choice wide = NativeThreads.choose(0, 0, NO_ENV, 2, dense(784, 512, 256, 10), 128, false);
        assertThat(wide.ops()).isEqualTo(1);
        assertThat(wide.openMp()).isEqualTo(2);
        assertThat(wide.blas()).isEqualTo(1);
        assertThat(wide.openMpSource()).isEqualTo("chosen: 51380224 multiply-adds in the largest product, 2 cores");
        assertThat(wide.toString()).isEqualTo("ND4J ops on 1 thread (chosen: 65536 elements per activation, 2 cores), "
                + "oneDNN's products on 2 threads (chosen: 51380224 multiply-adds in the largest product, 2 cores), "
                + "OpenBLAS on 1 thread (chosen: the products run on oneDNN)");
        // 784-256-10 (25.7 million): one, as the ops; the log then names one count for both.
        NativeThreads.Choice small = NativeThreads.choose(0, 0, NO_ENV, 2, dense(784, 256, 10), 128, false);
        assertThat(small.openMp()).isEqualTo(1);
        assertThat(small.toString()).doesNotContain("oneDNN's products");
        // One core: one. The generic build: OpenMP stays with the ops, the products' count goes to OpenBLAS.
        assertThat(NativeThreads.choose(0, 0, NO_ENV, 1, dense(784, 512, 256, 10), 128, false).openMp()).isEqualTo(1);
        NativeThreads.Choice generic = onOpenBlas(NO_ENV, 2, dense(784, 512, 256, 10), 128);
        assertThat(generic.openMp()).isEqualTo(1);
        assertThat(generic.blas()).isEqualTo(2);
        // What the user set is kept for OpenMP too: OMP_NUM_THREADS, or the builder's count.
        NativeThreads.Choice omp =
                NativeThreads.choose(0, 0, Map.of("OMP_NUM_THREADS", "1"), 2, dense(784, 512, 256, 10), 128, false);
        assertThat(omp.openMp()).isEqualTo(1);
        assertThat(omp.openMpSource()).isEqualTo("OMP_NUM_THREADS=1");
        NativeThreads.Choice built = NativeThreads.choose(1, 1, NO_ENV, 2, dense(784, 512, 256, 10), 128, false);
        assertThat(built.openMp()).isEqualTo(1);
    }

    @Test
    void theOneDnnBuildRunsTheProductsUnlessItsHelpersAreOff() {
        // The runtime's default build on Linux x86-64 is the oneDNN one; a CPU without AVX2 loads the generic build.
        assumeTrue(NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN"));
        assertThat(NativeThreads.productsOnOpenBlas()).isFalse();
        Nd4j.getEnvironment().allowHelpers(false);
        try {
            assertThat(NativeThreads.productsOnOpenBlas()).isTrue();
        } finally {
            Nd4j.getEnvironment().allowHelpers(true);
        }
    }

    @Test
    void variablesTheUserSetAreKept() {
        Sequential wide = dense(784, 512, 256, 10);
        // ND4J applies OMP_NUM_THREADS to both when it loads; the trainer keeps it for both.
        NativeThreads.Choice omp = onOpenBlas(Map.of("OMP_NUM_THREADS", "3"), 2, wide, 128);
        assertThat(omp.ops()).isEqualTo(3);
        assertThat(omp.blas()).isEqualTo(3);
        assertThat(omp.opsSource()).isEqualTo("OMP_NUM_THREADS=3");
        assertThat(omp.blasSource()).isEqualTo("OMP_NUM_THREADS=3");
        // OPENBLAS_NUM_THREADS sets OpenBLAS's alone.
        NativeThreads.Choice both =
                onOpenBlas(Map.of("OMP_NUM_THREADS", "1", "OPENBLAS_NUM_THREADS", "2"), 2, dense(784, 256, 10), 128);
        assertThat(both.ops()).isEqualTo(1);
        assertThat(both.blas()).isEqualTo(2);
        assertThat(both.blasSource()).isEqualTo("OPENBLAS_NUM_THREADS=2");
        NativeThreads.Choice blasOnly = onOpenBlas(Map.of("OPENBLAS_NUM_THREADS", "1"), 2, wide, 128);
        assertThat(blasOnly.ops()).isEqualTo(1);
        assertThat(blasOnly.opsSource()).startsWith("chosen");
        assertThat(blasOnly.blas()).isEqualTo(1);
        // A value that is not a positive number is ignored (and logged): the trainer chooses.
        NativeThreads.Choice bad = onOpenBlas(Map.of("OPENBLAS_NUM_THREADS", "many"), 2, wide, 128);
        assertThat(bad.blas()).isEqualTo(2);
        assertThat(bad.blasSource()).startsWith("chosen");
    }

    @Test
    void theBuilderOverridesTheVariables() {
        NativeThreads.Choice c =
                NativeThreads.choose(2, 2, Map.of("OMP_NUM_THREADS", "1"), 8, dense(784, 256, 10), 128);
        assertThat(c.ops()).isEqualTo(2);
        assertThat(c.blas()).isEqualTo(2);
        assertThat(c.opsSource()).isEqualTo("Trainer.builder().threads(2), over OMP_NUM_THREADS=1");
        NativeThreads.Choice split = NativeThreads.choose(1, 4, NO_ENV, 8, dense(784, 256, 10), 128);
        assertThat(split.ops()).isEqualTo(1);
        assertThat(split.blas()).isEqualTo(4);
        assertThat(split.blasSource()).isEqualTo("Trainer.builder().threads(1, 4)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().threads(0));
        assertThat(e).hasMessageThat().contains("threads 0 must be at least 1");
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().threads(1, -2));
        assertThat(e).hasMessageThat().contains("threads -2 must be at least 1");
    }

    @Test
    void fitAppliesTheCountsToNd4jAndOpenBlas() {
        Dataset data = Blobs.classification(64, 4, 3, 1);
        // ND4J cannot grow its pool after it loaded (the tests run with OMP_NUM_THREADS=1): its ops get at most that.
        int pool = NativeThreads.current()[3];
        for (int n : new int[] {2, 1, 3}) {
            Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2))
                    .threads(n).build();
            trainer.fit(dense(4, 8, 3), data, Fit.epochs(1).batchSize(16).verbose(0));
            // ND4J's ops and OpenMP (on this, the training thread), capped by the pool, and OpenBLAS, as ND4J
            // reports them.
            int ops = Math.min(n, pool);
            assertThat(NativeThreads.current()).asList().containsExactly(ops, ops, n, pool).inOrder();
        }
        // evaluate applies them too; ops and OpenBLAS apart.
        Trainer split = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).threads(1, 2).build();
        split.evaluate(dense(4, 8, 3), data);
        assertThat(NativeThreads.current()).asList().containsExactly(1, 1, 2, pool).inOrder();
        // OpenMP apart from ND4J's ops, as the oneDNN build's choice for large products sets it.
        NativeThreads.apply(new NativeThreads.Choice(1, 2, 1, "test", "test", "test"));
        assertThat(NativeThreads.current()).asList().containsExactly(1, 2, 1, pool).inOrder();
        NativeThreads.apply(new NativeThreads.Choice(1, 1, "test", "test"));
        assertThat(NativeThreads.current()).asList().containsExactly(1, 1, 1, pool).inOrder();
    }
}
