package org.callbacks4j.benchmarks.dispatch;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The reference for "no batch hooks": the trainer's batch loop of a fit with no callbacks at all (no dispatcher, hook
 * mask 0). {@link BatchDispatchBenchmark#generated} with {@code NO_BATCH_HOOKS} should cost the same per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class NoCallbacksBenchmark {

    private Fixture f;
    private int epoch;

    @Setup
    public void setUp() {
        f = new Fixture(Fixture.Case.NO_BATCH_HOOKS);
    }

    @Benchmark
    @OperationsPerInvocation(Fixture.BATCHES)
    public int batch(Blackhole bh) {
        return f.noCallbacks.trainEpoch(epoch++, bh);
    }

    @Benchmark
    public int epoch() {
        f.noCallbacks.epoch(epoch);
        return epoch++;
    }
}
