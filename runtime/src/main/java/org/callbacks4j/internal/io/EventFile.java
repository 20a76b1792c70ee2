package org.callbacks4j.internal.io;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * One TensorBoard event file: created with its {@code file_version} event, then scalars appended as framed records.
 * Records are staged in a {@link TfRecordBuffer} and reach the file at {@link #flush}; a record is either wholly in
 * the file or not at all, except when the process dies inside a write, which readers tolerate as a truncated last
 * record.
 *
 * <p>Not thread-safe.
 */
final class EventFile implements Closeable {

    /** Distinguishes files created in the same second by the same process (TensorFlow's per-process counter). */
    private static final AtomicLong COUNTER = new AtomicLong();

    private final Path path;
    private final FileChannel channel;
    private final BackgroundForce force;
    private final TfRecordBuffer records = new TfRecordBuffer();
    /** The file's length and the CRC-32C of all its bytes, for a backup's {@link #length()} and {@link #crc32c()}. */
    private final CRC32C checksum;
    private long length;
    private boolean closed;

    private EventFile(Path path, FileChannel channel, CRC32C checksum, long length) {
        this.path = path;
        this.channel = channel;
        this.force = new BackgroundForce(channel, "TensorBoard event file " + path.toAbsolutePath());
        this.checksum = checksum;
        this.length = length;
    }

    /**
     * Reopens an event file this class created, to continue it where a backup left it: checks that it still starts
     * with the {@code length} bytes whose CRC-32C is {@code crc32c}, cuts off what was written after them, and appends
     * from there.
     *
     * @throws IOException naming the file if it is missing, shorter or changed since the backup
     */
    static EventFile resume(Path path, long length, int crc32c) throws IOException {
        CRC32C crc = FilePrefix.verify(path, length, crc32c, "TensorBoard event file");
        FilePrefix.truncate(path, length, "TensorBoard event file");
        return new EventFile(path, FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND), crc,
                length);
    }

    /** Checks, changing nothing, what {@link #resume} checks. */
    static void verify(Path path, long length, int crc32c) throws IOException {
        FilePrefix.verify(path, length, crc32c, "TensorBoard event file");
    }

    /** The number of bytes written to the file so far (staged records not included). */
    long length() {
        return length;
    }

    /** The CRC-32C of the file's {@link #length()} bytes. */
    int crc32c() {
        return (int) checksum.getValue();
    }

    /**
     * Creates a new event file in {@code dir} (creating {@code dir}), named as TensorBoard's own writers do:
     * {@code events.out.tfevents.<10-digit epoch seconds>.<host>.<pid>.<counter>.v2}, so files of a run sort in
     * creation order. Writes the {@code file_version} event and forces it, and the file's folder entry, to the device.
     */
    static EventFile create(Path dir) throws IOException {
        Files.createDirectories(dir);
        long seconds = System.currentTimeMillis() / 1000;
        while (true) {
            String name = String.format(Locale.ROOT, "events.out.tfevents.%010d.%s.%d.%d.v2", seconds, Host.NAME,
                    ProcessHandle.current().pid(), COUNTER.getAndIncrement());
            Path path = dir.resolve(name);
            FileChannel channel;
            try {
                channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                continue; // another writer (or a recycled pid) took the name: take the next counter
            }
            EventFile file = new EventFile(path, channel, new CRC32C(), 0);
            try {
                file.records.fileVersionEvent(wallTime());
                file.flush(true);
            } catch (IOException | RuntimeException e) {
                file.close();
                throw e;
            }
            AtomicFiles.fsyncDirectory(dir);
            return file;
        }
    }

    /** Stages a {@code simple_value} scalar; it reaches the file at the next {@link #flush}. */
    void scalar(double wallTime, long step, byte[] tag, float value) {
        records.simpleValueEvent(wallTime, step, tag, value);
    }

    /**
     * Writes the staged records to the file with one write call, then forces the file to the device in the
     * background ({@link BackgroundForce}): what a process that dies later wrote is in the file either way.
     *
     * @throws IOException naming the file
     */
    void flushForcingLater() throws IOException {
        flush(false);
        try {
            force.later();
        } catch (IOException e) {
            throw new IOException("cannot write TensorBoard event file " + path.toAbsolutePath() + ": " + e, e);
        }
    }

    /**
     * Writes the staged records to the file with one write call; with {@code force}, also to the device, now.
     *
     * @throws IOException naming the file
     */
    void flush(boolean force) throws IOException {
        try {
            if (records.size() > 0) {
                int staged = records.size();
                records.updateChecksum(checksum);
                records.drainTo(channel);
                length += staged;
            }
            if (force) {
                this.force.now();
            }
        } catch (IOException e) {
            records.clear();
            throw new IOException("cannot write TensorBoard event file " + path.toAbsolutePath() + ": " + e, e);
        }
    }

    Path path() {
        return path;
    }

    /** Flushes and forces what is staged, then closes. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush(true);
        } finally {
            force.awaitPending();
            channel.close();
        }
    }

    /** Seconds since the epoch, as TensorBoard's {@code wall_time}. */
    static double wallTime() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** The host name in file names, resolved once per JVM: the environment first, to avoid a DNS lookup. */
    private static final class Host {
        static final String NAME = resolve();

        private static String resolve() {
            for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
                String value = System.getenv(variable);
                if (value != null && !value.isBlank()) {
                    return sanitize(value);
                }
            }
            try {
                return sanitize(InetAddress.getLocalHost().getHostName());
            } catch (IOException | SecurityException e) {
                return "localhost";
            }
        }

        /** Keeps the name a single, portable path segment. */
        private static String sanitize(String host) {
            String clean = host.trim().replaceAll("[^A-Za-z0-9._-]", "_");
            return clean.isEmpty() ? "localhost" : clean;
        }
    }
}
