package org.callbacks4j.internal.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Forces a log file to the device off the training thread. The writers hand each epoch's bytes to the operating
 * system on the training thread (one write call, so a killed process loses nothing written), and queue the
 * {@code fdatasync} here: on a small epoch it costs as much as the epoch itself (0.5 to 5 ms per file measured on a
 * virtual machine's disk against a 50 ms digits epoch), and only a power cut or an operating-system crash needs it.
 * {@link #now} forces synchronously where durability must be known: before a backup records the file's length, and
 * at close.
 *
 * <p>At most one force per file waits in the queue (a force covers everything written before it starts), so a slow
 * disk never builds a backlog. A failure of a background force is reported by the next call on the training thread.
 */
final class BackgroundForce {

    private static final ExecutorService FORCER = BackgroundThreads.single("callbacks4j-fsync");

    private final FileChannel channel;
    private final String what;
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile IOException failure;
    private Future<?> pending;

    /** @param what the file, for messages ("CSV log /runs/history.csv") */
    BackgroundForce(FileChannel channel, String what) {
        this.channel = channel;
        this.what = what;
    }

    /** Queues a force of everything written so far, unless one is already waiting to start. */
    void later() throws IOException {
        throwIfFailed();
        if (queued.compareAndSet(false, true)) {
            pending = FORCER.submit(() -> {
                queued.set(false); // writes from now on need the next force
                try {
                    channel.force(false);
                } catch (IOException e) {
                    failure = e;
                }
            });
        }
    }

    /** Waits for the queued force and forces now: everything written so far is on the device when this returns. */
    void now() throws IOException {
        awaitPending();
        throwIfFailed();
        channel.force(false);
    }

    /** Waits for the queued force, if any, so that the channel can be closed under no one. */
    void awaitPending() throws IOException {
        Future<?> f = pending;
        if (f != null) {
            BackgroundThreads.await(f, "cannot force " + what + " to the device");
        }
    }

    private void throwIfFailed() throws IOException {
        IOException e = failure;
        if (e != null) {
            throw new IOException("cannot force " + what + " to the device: " + e, e);
        }
    }
}
