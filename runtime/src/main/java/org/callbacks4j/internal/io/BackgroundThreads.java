package org.callbacks4j.internal.io;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** What {@link BackgroundForce} and {@link BackgroundWrites} share: their daemon thread, and waiting for its work. */
final class BackgroundThreads {

    private BackgroundThreads() {}

    /** A single daemon thread named {@code name}: its tasks run one at a time, in submission order. */
    static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Waits for {@code task} to finish, also when interrupted (the file work is under way and must not outlive its
     * owner; the interrupt is kept for the caller).
     *
     * @throws IOException {@code failure + ": " + cause} if the task failed
     */
    static void await(Future<?> task, String failure) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IOException(failure + ": " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
