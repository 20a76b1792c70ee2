package org.callbacks4j.internal.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader, or a crash, sees either the old file or the complete new one, never a mix: the bytes
 * go to a temporary file in the target's folder, are forced to the device, and the temporary file is renamed over the
 * target. Every file the project writes at a final path (checkpoints, backups) goes through {@link #write}.
 *
 * <p>{@link #checkWritable} and {@link #checkWritableDirectory} are the preflight checks run before the first epoch, so
 * that a bad path fails the fit at once instead of after an hour of training.
 *
 * <p>The temporary file is {@code .<name>.<pid>.<random>.tmp}, hidden, next to the target. A process killed during a
 * write leaves it behind; the next write of the same target in that folder deletes the temporaries of processes that
 * no longer run ({@link #deleteStaleTemporaries}), and a resumed backup sweeps its folder the same way. (On a folder
 * shared by several hosts a pid names a process of this host only: there, a temporary is deleted only by the host that
 * wrote it or left for the user.)
 *
 * <p>Thread-safe: no shared state. Concurrent writes to the same target each succeed; the last rename wins.
 */
public final class AtomicFiles {

    private static final String TMP_SUFFIX = ".tmp";
    private static final long PID = ProcessHandle.current().pid();
    /** The name of the write checks' probe files, {@code .callbacks4j-write-check.<pid>.<hex>.tmp}. */
    static final String PROBE_NAME = "callbacks4j-write-check";

    /**
     * Test seam: runs after the temporary file is complete and forced, just before the rename, with the target. The
     * kill test pauses there so that a SIGKILL lands inside a write. Null in production.
     */
    static volatile IoConsumer<Path> beforeRename;

    /** The body of an atomic write; receives a buffered stream it must not close. */
    @FunctionalInterface
    public interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Replaces {@code target} with what {@code body} writes, atomically. Creates missing parent folders. On any failure
     * (from {@code body} or from the file system) the temporary file is deleted, {@code target} keeps its old content
     * (or stays absent), and the exception propagates.
     */
    public static void write(Path target, IoConsumer<? super OutputStream> body) throws IOException {
        Path dir = parentOf(target);
        Files.createDirectories(dir);
        deleteStaleTemporaries(dir, target.getFileName().toString());
        Path tmp = null;
        FileChannel created = null;
        while (created == null) {
            // Hidden, same folder (rename across file systems would not be atomic), unique per call, with the pid so
            // that leftovers of killed processes can be told from writes in progress. Not Files.createTempFile: its
            // owner-only permissions would end up on the final file; this gets the umask's.
            tmp = dir.resolve("." + target.getFileName() + "." + PID + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TMP_SUFFIX);
            try {
                created = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                // taken by a concurrent write: draw another name
            }
        }
        boolean moved = false;
        try {
            try (FileChannel channel = created) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                body.accept(new NonClosingOutputStream(out));
                out.flush();
                channel.force(true);
            }
            IoConsumer<Path> hook = beforeRename;
            if (hook != null) {
                hook.accept(target);
            }
            move(tmp, target);
            moved = true;
            fsyncDirectory(dir);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // The original failure matters more; a leftover hidden .tmp is harmless.
                }
            }
        }
    }

    /** Replaces {@code target} with {@code bytes}, atomically (see {@link #write(Path, IoConsumer)}). */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Deletes the temporary files that writes by processes no longer running left in {@code dir}: all of them, or
     * with {@code targetName} only those of that target. Temporaries of running processes (this one included) are
     * kept: they may be writes in progress.
     *
     * @return how many files were deleted
     * @throws IOException if {@code dir} cannot be listed
     */
    public static int deleteStaleTemporaries(Path dir, String targetName) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        String prefix = targetName == null ? "." : "." + targetName + ".";
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                p -> isStaleTemporary(p.getFileName().toString(), prefix, targetName == null))) {
            for (Path stale : entries) {
                try {
                    if (Files.deleteIfExists(stale)) {
                        deleted++;
                    }
                } catch (IOException e) {
                    // Not ours to fail a write over: a leftover hidden file is harmless.
                }
            }
        }
        return deleted;
    }

    /** {@code .<name>.<pid>.<hex>.tmp} of a pid that does not run; any name when {@code anyName}. */
    private static boolean isStaleTemporary(String file, String prefix, boolean anyName) {
        if (!file.startsWith(prefix) || !file.endsWith(TMP_SUFFIX)) {
            return false;
        }
        String middle = file.substring(0, file.length() - TMP_SUFFIX.length());
        int random = middle.lastIndexOf('.');
        int pidStart = random <= 0 ? -1 : middle.lastIndexOf('.', random - 1);
        if (pidStart < 0 || (!anyName && pidStart + 1 != prefix.length())) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(middle.substring(pidStart + 1, random));
            Long.parseUnsignedLong(middle.substring(random + 1), 16);
        } catch (NumberFormatException e) {
            return false; // not one of ours
        }
        return pid != PID && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // Only on file systems without atomic rename; the data itself is already on the device.
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Forces a folder's entries (a file created or renamed in it) to the device. A no-op where the platform cannot open
     * a folder for reading (Windows), since there the rename is already durable or cannot be made so.
     */
    static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort by design: see the method comment.
        }
    }

    /**
     * Preflight for a file the fit will write: creates the missing parent folders and proves that a file can be created
     * in the parent. Run it before the first epoch.
     *
     * @param what what the file is for, for the message, e.g. {@code "CSV log"}
     * @throws IOException naming the path and what to do if {@code target} is a folder, if a parent is a file, or if
     *     the parent folder is not writable
     */
    public static void checkWritable(Path target, String what) throws IOException {
        if (Files.isDirectory(target)) {
            throw new IOException(what + " path " + target.toAbsolutePath()
                    + " is a folder; pass the path of a file (inside it, or elsewhere)");
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            // /dev/stdout, a pipe, a socket, a device: no temporary-and-rename, no cutting back on resume.
            throw new IOException(what + " path " + target.toAbsolutePath() + " exists and is not a regular file "
                    + "(a device, pipe or socket such as /dev/stdout); it is written atomically and cut back on "
                    + "resume, which needs a regular file: pass the path of a file");
        }
        if (Files.exists(target) && !Files.isWritable(target)) {
            throw new IOException(what + " file " + target.toAbsolutePath() + " exists and is not writable; "
                    + "fix its permissions or choose another path");
        }
        checkWritableDirectory(parentOf(target), what);
    }

    /**
     * Preflight for a folder the fit will write into: creates it (and its parents) if missing and proves that a file
     * can be created in it.
     *
     * @throws IOException naming the folder and what to do if it cannot be created or written
     */
    public static void checkWritableDirectory(Path dir, String what) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Path blocker = firstNonDirectoryAncestor(absolute);
        if (blocker != null) {
            throw new IOException(what + " folder " + absolute + " cannot be created: " + blocker
                    + " is a file, not a folder; choose another path or move that file away");
        }
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new IOException(what + " folder " + absolute + " cannot be created (" + e
                    + "); choose a path where you may create folders", e);
        }
        // A probe named as the temporaries (".<name>.<pid>.<hex>.tmp"): those left by killed processes are deleted.
        deleteStaleTemporaries(absolute, PROBE_NAME);
        Path probe;
        try {
            // Files.isWritable misses ACLs, read-only mounts and full disks; creating a file does not.
            probe = Files.createFile(absolute.resolve("." + PROBE_NAME + "." + PID + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TMP_SUFFIX));
        } catch (IOException e) {
            throw new IOException(what + " folder " + absolute + " is not writable (" + e
                    + "); fix its permissions or choose another path", e);
        }
        Files.deleteIfExists(probe);
    }

    /** The nearest existing ancestor of {@code path} (or the path itself) if it exists and is not a folder. */
    private static Path firstNonDirectoryAncestor(Path path) {
        for (Path p = path; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? null : p;
            }
        }
        return null;
    }

    private static Path parentOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("path " + target + " has no parent folder; pass a file path");
        }
        return parent;
    }

    /** Keeps a body from closing the channel before the data is forced. */
    private static final class NonClosingOutputStream extends FilterOutputStream {
        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
