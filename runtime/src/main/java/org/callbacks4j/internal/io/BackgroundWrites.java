package org.callbacks4j.internal.io;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Writes files off the training thread, one at a time and in the order they were handed over. The caller snapshots
 * what to write (bytes, on the training thread) and hands over the write itself, which for a checkpoint is the slow
 * part: zip, write, fsync, rename ({@link AtomicFiles}, so a file is whole or absent whatever happens). A 784-512-256-10
 * checkpoint took 55 to 73 ms per epoch on the training thread, 3 to 5% of the epoch (BENCHMARKS.md).
 *
 * <p>At most one write is in flight: {@link #submit} first waits for the previous one (an epoch has passed, so it is
 * long done), which bounds the memory to one snapshot and keeps the order. A failed write is reported by the next
 * {@link #submit} or by {@link #drain}, naming the file. {@link #drain} waits until everything handed over is on the
 * device: the trainer calls it before a backup records what exists, and before the fit returns.
 */
public final class BackgroundWrites {

    /** A write to run off the training thread. */
    @FunctionalInterface
    public interface Write {
        void run() throws IOException;
    }

    private static final ExecutorService WRITER = BackgroundThreads.single("callbacks4j-writer");

    private Future<?> pending;
    private String pendingWhat;

    /**
     * Runs {@code write} on the writer thread, after the previous write has finished.
     *
     * @param what the file and its purpose, for messages ("checkpoint /runs/best.zip (epoch 3)")
     * @throws IOException if the previous write failed (this one is then not started)
     */
    public void submit(String what, Write write) throws IOException {
        Objects.requireNonNull(write, "write");
        drain();
        pendingWhat = Objects.requireNonNull(what, "what");
        pending = WRITER.submit(() -> {
            write.run();
            return null;
        });
    }

    /**
     * Waits until every write handed over has finished.
     *
     * @throws IOException naming the file, if the last write failed
     */
    public void drain() throws IOException {
        Future<?> f = pending;
        if (f == null) {
            return;
        }
        pending = null;
        BackgroundThreads.await(f, pendingWhat + " was not written");
    }
}
