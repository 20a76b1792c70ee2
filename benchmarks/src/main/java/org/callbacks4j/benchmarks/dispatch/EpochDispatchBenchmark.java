package org.callbacks4j.benchmarks.dispatch;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-epoch cost of dispatch: one invocation is the trainer's work around an epoch's batch loop (epoch begin, the
 * epoch means put into the logs, validation end, epoch end) with the case's hooks. The policies of the full set run
 * their real decisions (early stopping, best-only checkpoint path, plateau LR) on a loss series with improvements and
 * plateaus; nothing is written to disk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class EpochDispatchBenchmark {

    @Param({"NO_BATCH_HOOKS", "BATCH_LOSS", "FULL_SET"})
    public String hooks;

    private Fixture f;
    private int epoch;

    @Setup
    public void setUp() {
        f = new Fixture(Fixture.Case.valueOf(hooks));
    }

    @Benchmark
    public int generated() {
        f.generated.epoch(epoch);
        return epoch++;
    }

    @Benchmark
    public int handWritten() {
        f.handWritten.epoch(epoch);
        return epoch++;
    }

    @Benchmark
    public int reflection() {
        f.reflection.epoch(epoch);
        return epoch++;
    }

    @Benchmark
    public int listeners() {
        f.listeners.epoch(epoch);
        return epoch++;
    }
}
