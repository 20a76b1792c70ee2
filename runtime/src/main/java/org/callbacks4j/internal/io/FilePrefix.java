package org.callbacks4j.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checksums of the start of an append-only file (a CSV log, an event file), so that a run resumed from a backup can
 * check that the file still begins with exactly what the backup saw before it cuts off what came after.
 */
final class FilePrefix {

    private static final Logger log = LoggerFactory.getLogger(FilePrefix.class);

    private FilePrefix() {}

    /**
     * The CRC-32C of the first {@code length} bytes of {@code file}, ready to be updated with what is appended next.
     *
     * @param what what the file is, for messages (e.g. {@code "CSV log"})
     * @throws IOException naming the file if it is missing, shorter than {@code length}, or cannot be read
     */
    static CRC32C checksum(Path file, long length, String what) throws IOException {
        CRC32C crc = new CRC32C();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() < length) {
                throw new IOException(what + " " + file.toAbsolutePath() + " has " + channel.size() + " bytes, fewer "
                        + "than the " + length + " it had when the backup was taken; it was truncated or replaced");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(1 << 16, Math.max(1, length)));
            long at = 0;
            while (at < length) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), length - at));
                int n = channel.read(buffer, at);
                if (n < 0) {
                    throw new IOException(what + " " + file.toAbsolutePath() + " ended early while reading it");
                }
                buffer.flip();
                crc.update(buffer);
                at += n;
            }
        } catch (NoSuchFileException e) {
            throw new IOException(what + " " + file.toAbsolutePath() + " does not exist any more; it existed when "
                    + "the backup was taken", e);
        }
        return crc;
    }

    /**
     * Checks that {@code file} starts with the {@code length} bytes whose CRC-32C is {@code crc32c}, and returns the
     * checksum state after them.
     *
     * @throws IOException naming the file and what differs
     */
    static CRC32C verify(Path file, long length, int crc32c, String what) throws IOException {
        CRC32C crc = checksum(file, length, what);
        if ((int) crc.getValue() != crc32c) {
            throw new IOException(what + " " + file.toAbsolutePath() + ": its first " + length + " bytes are not those "
                    + "the backup recorded (CRC-32C " + hex((int) crc.getValue()) + ", expected " + hex(crc32c)
                    + "); it was changed or replaced after the backup");
        }
        return crc;
    }

    /**
     * Cuts {@code file} to {@code length} bytes (what a killed run wrote after the backup) and forces that, with a
     * warning naming the file and the number of bytes cut; {@code what} names the file's kind.
     */
    static void truncate(Path file, long length, String what) throws IOException {
        long size = Files.size(file);
        if (size == length) {
            return;
        }
        log.warn("{} {}: cutting the {} bytes written after the backup (from byte {} on); the resumed run writes "
                + "that part again", what, file.toAbsolutePath(), size - length, length);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
            channel.force(true);
        }
    }

    static String hex(int crc) {
        return String.format("%08x", crc);
    }
}
