package org.callbacks4j.benchmarks.dispatch;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-batch cost of dispatch: one invocation runs the batch loop of a whole Fashion-MNIST epoch (469 batches) with the
 * train step replaced by a {@link Blackhole} call, so the score is nanoseconds per batch of everything the trainer and
 * the callbacks do around the train step. With {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class BatchDispatchBenchmark {

    @Param({"NO_BATCH_HOOKS", "BATCH_LOSS", "FULL_SET"})
    public String hooks;

    private Fixture f;
    private int epoch;

    @Setup
    public void setUp() {
        f = new Fixture(Fixture.Case.valueOf(hooks));
    }

    /** The generated {@code _Callbacks} class, driven by the trainer's loop. */
    @Benchmark
    @OperationsPerInvocation(Fixture.BATCHES)
    public int generated(Blackhole bh) {
        return f.generated.trainEpoch(epoch++, bh);
    }

    /** The floor: the user's methods called by hand from the loop. */
    @Benchmark
    @OperationsPerInvocation(Fixture.BATCHES)
    public int handWritten(Blackhole bh) {
        return f.handWritten.trainEpoch(epoch++, bh);
    }

    /** Cached {@code Method} objects and {@code Method.invoke}, driven by the trainer's loop. */
    @Benchmark
    @OperationsPerInvocation(Fixture.BATCHES)
    public int reflection(Blackhole bh) {
        return f.reflection.trainEpoch(epoch++, bh);
    }

    /** A listener list with a fresh {@code Map<String, Double>} of logs per end event. */
    @Benchmark
    @OperationsPerInvocation(Fixture.BATCHES)
    public int listeners(Blackhole bh) {
        return f.listeners.trainEpoch(epoch++, bh);
    }
}
