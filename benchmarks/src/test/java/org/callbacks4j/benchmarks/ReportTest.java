package org.callbacks4j.benchmarks;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir
    Path dir;

    @Test
    void mediansAndRatiosComeFromTheMeasuredEpochsOnly() throws IOException {
        String h = "config,omp_threads,openblas_env,network,variant,epoch,warmup,batches,seconds,alloc_bytes,hook_s,"
                + "hook_checkpoint_s,hook_csv_s,hook_tensorboard_s,hook_progress_s,loss,test_accuracy\n";
        StringBuilder csv = new StringBuilder(h);
        // Warm-up epochs are slow and must not count; measured: ours 1..5 (median 3), DL4J 10..14 (median 12).
        csv.append("c1,1,\"unset\",784-256-10,ours-none,-1,1,4,99,0,,,,,,1.0,\n");
        for (int e = 0; e < 5; e++) {
            csv.append("c1,1,\"unset\",784-256-10,ours-none,").append(e).append(",0,469,").append(e + 1)
                    .append(",469000,,,,,,0.5,\n");
            csv.append("c1,1,\"unset\",784-256-10,ours-full,").append(e).append(",0,469,3.03,469000,0.03,0.02,0.005,"
                    + "0.004,0.001,0.5,\n");
            csv.append("c1,1,\"unset\",784-256-10,dl4j,").append(e).append(",0,469,").append(10 + e)
                    .append(",0,,,,,,0.5,\n");
            csv.append("c1,1,\"unset\",784-256-10,gemm,").append(e).append(",0,469,1.5,0,,,,,,,\n");
        }
        // The default setting (no thread variables) and PyTorch's runs: the first table.
        for (int e = 0; e < 3; e++) {
            csv.append("auto,unset,\"unset\",784-256-10,ours-none,").append(e).append(",0,469,2,469000,,,,,,0.5,\n");
            csv.append("auto,unset,\"unset\",784-256-10,dl4j,").append(e).append(",0,469,8,0,,,,,,0.5,\n");
            csv.append("auto,unset,\"unset\",784-256-10,gemm,").append(e).append(",0,469,1.6,0,,,,,,,\n");
            csv.append("torch1-env,1/openblas1,\"unset\",784-256-10,pytorch,").append(e)
                    .append(",0,469,").append(3 + e).append(",,,,,,,0.5,\n");
            csv.append("torch2-env,2/openblas2,\"unset\",784-256-10,pytorch,").append(e)
                    .append(",0,469,5,,,,,,,0.5,\n");
        }
        csv.append("c1,1,\"unset\",784-256-10,ours-accuracy,0,0,469,,0,,,,,,0.6,0.85\n");
        csv.append("c1,1,\"unset\",784-256-10,ours-accuracy,1,0,469,,0,,,,,,0.4,0.881\n");
        Files.writeString(dir.resolve("e2e.csv"), csv);
        Files.writeString(dir.resolve("jmh.csv"), String.join("\n",
                "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\","
                        + "\"Param: hooks\"",
                "\"org.callbacks4j.benchmarks.dispatch.BatchDispatchBenchmark.generated\",\"avgt\",1,3,12.0,1.0,"
                        + "\"ns/op\",BATCH_LOSS",
                "\"org.callbacks4j.benchmarks.dispatch.BatchDispatchBenchmark.generated:gc.alloc.rate.norm\",\"avgt\","
                        + "1,3,0.0001,0.0,\"B/op\",BATCH_LOSS",
                "\"org.callbacks4j.benchmarks.dispatch.BatchDispatchBenchmark.handWritten\",\"avgt\",1,3,10.0,1.0,"
                        + "\"ns/op\",BATCH_LOSS",
                "\"org.callbacks4j.benchmarks.dispatch.BatchDispatchBenchmark.listeners\",\"avgt\",1,3,72.0,1.0,"
                        + "\"ns/op\",BATCH_LOSS",
                "\"org.callbacks4j.benchmarks.dispatch.BatchDispatchBenchmark.listeners:gc.alloc.rate.norm\","
                        + "\"avgt\",1,3,240.0,0.0,\"B/op\",BATCH_LOSS",
                "\"org.callbacks4j.benchmarks.dispatch.NoCallbacksBenchmark.batch\",\"avgt\",1,3,0.5,0.1,\"ns/op\",",
                ""));

        Report.main(new String[] {dir.toString()});

        String md = Files.readString(dir.resolve("results.md"));
        String json = Files.readString(dir.resolve("results.json"));
        // 5 measured epochs: median 3 s; DL4J / ours = 12 / 3; ours / gemm = 3 / 1.5; full set +1%.
        assertThat(md).contains("| `c1` | 3.000 (n=5, 1.00–5.00) | 3.030 (n=5, 3.03–3.03) "
                + "| 12.000 (n=5, 10.00–14.00) | 1.500 (n=5, 1.50–1.50) |  |  | +1.0% | 4.00x | 2.00x |");
        assertThat(json).contains("\"dl4j_over_ours\": 4.00000");
        // Bytes per batch below half a byte are JMH's bookkeeping: reported as 0 B.
        assertThat(md).contains("12.0 ± 1.0 ns, 0 B");
        assertThat(md).contains("72.0 ± 1.0 ns, 240 B");
        assertThat(md).contains("| 1.20x |  | 6.00x | +2.0, NaN, +62.0 ns |");
        assertThat(md).contains("First epoch at or above 88%: 2.");
        // At a glance, first: ours by default 2 s (also the best), PyTorch's best 4 s (1 thread, median of 3..5),
        // DL4J 8 s by default and at best, the gemm bound 1.6 s in the default setting.
        assertThat(md.indexOf("## At a glance")).isLessThan(md.indexOf("## Dispatch"));
        assertThat(md).contains("| 784-256-10 | 2.000 s | 2.000 s (`auto`) | 4.000 s (`torch1-env`) | 8.000 s "
                + "| 8.000 s (`auto`) | 1.600 s | 2.00x | 2.00x | 1.00x | 1.25x |");
        assertThat(md).contains("- `torch2-env`: PyTorch, 2 thread(s) (torch.set_num_threads, "
                + "OPENBLAS_NUM_THREADS=2), OpenBLAS env unset");
        assertThat(md).contains("- `auto`: no thread variables (our trainer chooses; DL4J gets ND4J's defaults)");
        assertThat(json).contains("\"pytorch_best_over_ours_default\": 2.00000");
        // 30 ms of 3.03 s in the hooks, of which 20 ms checkpoint.
        assertThat(md).contains("| 784-256-10 | `c1` | 30.0 ms | 1.0% | 20.0 ms | 5.0 ms | 4.0 ms | 1.0 ms |");
        assertThat(md).contains("| 784-256-10 | `c1` | 1.0 KB |");
    }
}
