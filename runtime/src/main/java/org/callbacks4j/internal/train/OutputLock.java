package org.callbacks4j.internal.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on one output path of a fit (the backup folder, the CSV file, the TensorBoard folder, the
 * checkpoint folder), held for the whole fit so that a second fit on the same path fails at once instead of
 * interleaving its writes with the first's.
 *
 * <p>Two layers: an operating-system lock ({@link FileChannel#tryLock()}) on a lock file beside the path,
 * {@code .<name>.lock} in the same parent folder (beside, not inside, so that a folder the fit deletes at its end can
 * go), which keeps other processes out, also on another host sharing the folder where the file system supports
 * locks; and a registry in this JVM, because file locks belong to the whole JVM and do not keep a second thread out.
 * The lock file holds the holder's process id, host, thread and start time, for the refusal message, and is emptied
 * when the lock is released. It is not deleted: a file deleted while another fit has it open but not yet locked would
 * let two fits each lock a different file. A file left by a killed process holds no lock (the OS releases it with the
 * process), and the next fit takes it over; deleting lock files while no fit runs is safe.
 *
 * <p>Shared by every trainer (the runtime's {@code Trainer}, callbacks4j-dl4j's), through {@link FitLocks}, so that
 * they refuse each other's paths with the same messages.
 */
public final class OutputLock implements AutoCloseable {

    /** Lock files held by fits in this JVM, by absolute path, with the holder's description. */
    private static final ConcurrentHashMap<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code path}: {@code .<name>.lock} in its parent folder. */
    public static Path lockFileOf(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null) {
            return absolute.resolve(".callbacks4j.lock");
        }
        return parent.resolve("." + absolute.getFileName() + ".lock");
    }

    /**
     * Takes the lock of {@code path} for this fit, or fails at once.
     *
     * @param what the path's role in messages, e.g. {@code "@CsvLogger file"}
     * @throws IllegalStateException naming the path and who holds it (process id and host, or a thread of this JVM)
     *     if another fit holds it
     * @throws UncheckedIOException if the lock file cannot be created
     */
    public static OutputLock acquire(Path path, String what) {
        Path lockFile = lockFileOf(path);
        String me = holder();
        String other = HELD.putIfAbsent(lockFile, me);
        if (other != null) {
            throw inUse(path, what, lockFile, other + ", in this JVM");
        }
        try {
            Files.createDirectories(lockFile.getParent());
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                String holder = readHolder(channel);
                channel.close();
                throw inUse(path, what, lockFile, holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new OutputLock(lockFile, channel, lock);
        } catch (IOException e) {
            HELD.remove(lockFile, me);
            throw new UncheckedIOException("cannot lock " + what + " " + path.toAbsolutePath().normalize()
                    + " (lock file " + lockFile + "): " + e + "; check that the folder " + lockFile.getParent()
                    + " can be written", e);
        } catch (RuntimeException e) {
            HELD.remove(lockFile, me);
            throw e;
        }
    }

    /** Empties the lock file (it names no holder any more) and releases the lock; the empty file stays. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
        } catch (IOException e) {
            // A stale holder in a file nobody locks is harmless: the next fit takes it over and rewrites it.
        }
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel releases it too.
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
        HELD.remove(lockFile);
    }

    private static IllegalStateException inUse(Path path, String what, Path lockFile, String holder) {
        return new IllegalStateException(what + " " + path.toAbsolutePath().normalize() + " is in use by another "
                + "fit: " + holder + " holds its lock " + lockFile + ". Two fits writing the same files would corrupt "
                + "them: wait for that fit to end, or give this one other paths (e.g. another run folder)");
    }

    private static String holder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return "process " + ProcessHandle.current().pid() + " on " + host + " (thread \""
                + Thread.currentThread().getName() + "\", since " + Instant.now() + ")";
    }

    private static String readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(512);
            int read = channel.read(buffer, 0);
            String text = read <= 0 ? "" : new String(buffer.array(), 0, read, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "another process" : text;
        } catch (IOException e) {
            return "another process";
        }
    }
}
