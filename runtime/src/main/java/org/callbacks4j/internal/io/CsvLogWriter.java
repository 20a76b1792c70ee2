package org.callbacks4j.internal.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;
import org.callbacks4j.Logs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams epoch results to a CSV file as Keras's {@code CSVLogger} does, one writer per fit: open it at train begin,
 * call {@link #writeEpoch} at each epoch end, close it at train end.
 *
 * <p>What the file looks like (Keras 3 {@code csv_logger.py}):
 * <ul>
 *   <li>The columns are fixed at the first epoch end: {@code epoch}, then the sorted names in the logs; if none of them
 *       starts with {@code val_}, the same names prefixed with {@code val_} follow, in the same order (so an epoch
 *       that skipped validation, or a fit without it, still lines up). Names that appear only in later epochs are
 *       dropped.
 *   <li>{@code epoch} is the 0-based epoch; a column without a value in that epoch holds {@code NA}; values are
 *       written as Python's {@code repr(float)} ({@code 0.30000000000000004}, {@code 1e-05}, {@code nan}).
 *   <li>Python's {@code csv.excel} dialect with the given one-character separator: a field is quoted only if it
 *       holds the separator, a {@code "} (doubled) or a line break; lines end in {@code \r\n}. Valid RFC 4180.
 *   <li>{@code append=true} on an existing non-empty file adds rows without a header; otherwise the file starts over
 *       with a header.
 * </ul>
 *
 * <p>Crash safety: each row is written with one system call before {@link #writeEpoch} returns, so a process that
 * dies after epoch N leaves exactly N complete rows; the row is then forced to the device in the background
 * ({@link BackgroundForce}: an {@code fdatasync} costs 0.5 to 5 ms on a virtual machine's disk, as much as a small
 * epoch), and synchronously by {@link #position()} (before a backup records the length) and {@link #close()}. After
 * a power cut the last rows may be missing, never partly written as far as the file system keeps its promises.
 *
 * <p>Threading: not thread-safe. All calls happen on the training thread. {@link #writeEpoch} reads {@link Logs}
 * only while it runs and turns the row into bytes before writing, so the write could later move to a background
 * thread without changing this API. It starts no threads.
 */
public final class CsvLogWriter implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(CsvLogWriter.class);
    private static final String NA = "NA";
    private static final String LINE_END = "\r\n";

    private final Path file;
    private final char separator;
    private final FileChannel channel;
    private final BackgroundForce force;
    /** The file's length and the CRC-32C of all its bytes, kept up to date by every write, for {@link #position()}. */
    private final CRC32C crc;
    private long length;
    private boolean writeHeader;
    /** The header already in the file when appending, to warn when this fit's columns differ; else null. */
    private final String existingHeader;
    /** Bytes to write before the first row: a line end when an appended-to file stopped mid-line. */
    private String pendingPrefix;

    private String[] columns;
    private int[] slots;
    private final StringBuilder row = new StringBuilder(256);
    private boolean closed;

    private CsvLogWriter(Path file, char separator, FileChannel channel, CRC32C crc, long length, boolean writeHeader,
            String existingHeader, String pendingPrefix) {
        this.file = file;
        this.separator = separator;
        this.channel = channel;
        this.force = new BackgroundForce(channel, "CSV log " + file.toAbsolutePath());
        this.crc = crc;
        this.length = length;
        this.writeHeader = writeHeader;
        this.existingHeader = existingHeader;
        this.pendingPrefix = pendingPrefix;
    }

    /**
     * Opens {@code file} for a fit (Keras's {@code on_train_begin}): checks the path, creates missing folders, and
     * truncates the file unless {@code append} is set. Call it before the first epoch so that a bad path fails at once.
     *
     * @param separator the field separator, exactly one character other than {@code "}, CR and LF (Keras default
     *     {@code ","})
     * @throws IllegalArgumentException if {@code separator} is not a single allowed character
     * @throws IOException naming the path and the fix if the file cannot be written
     */
    public static CsvLogWriter open(Path file, String separator, boolean append) throws IOException {
        char sep = checkSeparator(separator);
        AtomicFiles.checkWritable(file, "CSV log");
        boolean existed = Files.exists(file);
        boolean appending = append && existed && Files.size(file) > 0;
        FileChannel channel;
        String existingHeader = null;
        String prefix = "";
        CRC32C crc = new CRC32C();
        long length = 0;
        if (appending) {
            length = Files.size(file);
            crc = FilePrefix.checksum(file, length, "CSV log");
            try (FileChannel existing = FileChannel.open(file, StandardOpenOption.READ)) {
                existingHeader = firstLine(existing);
                if (lastByte(existing) != '\n') {
                    // A file that stops mid-line (edited by hand, or cut by a crash) would glue our first row onto
                    // its last line; end that line instead and keep its bytes.
                    log.warn("CSV log {} does not end with a line break; ending its last line before appending",
                            file.toAbsolutePath());
                    prefix = LINE_END;
                }
            }
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } else {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }
        if (!existed) {
            AtomicFiles.fsyncDirectory(file.toAbsolutePath().getParent());
        }
        return new CsvLogWriter(file, sep, channel, crc, length, !appending, existingHeader, prefix);
    }

    /**
     * Where this writer is, forcing the file to the device first: the file's length and checksum, and what it still
     * has to decide or write (the header, the columns). A backup saves it; {@link #resume} continues from it.
     *
     * @throws IOException naming the file if forcing it fails
     */
    public Position position() throws IOException {
        force.now();
        return new Position(length, (int) crc.getValue(), writeHeader, columns == null ? null : List.of(columns),
                existingHeader, pendingPrefix);
    }

    /**
     * What {@link #position()} reports: enough to continue the file exactly where a backup left it.
     *
     * @param length the file's length in bytes
     * @param crc32c the CRC-32C of those bytes
     * @param headerPending whether the header is still to be written (no row written by this fit yet, new file)
     * @param columns the columns after {@code epoch}, or null while not fixed yet (no row written by this fit)
     * @param existingHeader the header the file had when it was opened to append, or null
     * @param pendingPrefix bytes to write before the next row (a line end for a file that stopped mid-line), or ""
     */
    public record Position(long length, int crc32c, boolean headerPending, List<String> columns, String existingHeader,
            String pendingPrefix) {}

    /**
     * Checks, without changing anything, that {@code file} still starts with the bytes {@code position} describes.
     *
     * @throws IOException naming the file and what differs, if it is missing, shorter or changed
     */
    public static void verify(Path file, Position position) throws IOException {
        FilePrefix.verify(file, position.length(), position.crc32c(), "CSV log");
    }

    /**
     * Reopens {@code file} to continue at {@code position} (what {@link #position()} returned when a backup was
     * taken): checks the file, cuts off whatever was written after that point (rows of epochs a killed run finished
     * after its last backup, which the resumed run writes again), and continues with the same columns, so that the
     * file ends up as an uninterrupted run writes it.
     *
     * @throws IOException naming the file if it is missing, shorter or changed since the backup, or cannot be written
     */
    public static CsvLogWriter resume(Path file, String separator, Position position) throws IOException {
        char sep = checkSeparator(separator);
        CRC32C crc = FilePrefix.verify(file, position.length(), position.crc32c(), "CSV log");
        FilePrefix.truncate(file, position.length(), "CSV log");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        CsvLogWriter writer = new CsvLogWriter(file, sep, channel, crc, position.length(), position.headerPending(),
                position.existingHeader(), position.pendingPrefix());
        if (position.columns() != null) {
            writer.columns = position.columns().toArray(new String[0]);
        }
        return writer;
    }

    /**
     * The separator character of {@code separator}, checked as {@link #open} checks it.
     *
     * @throws IllegalArgumentException if it is not exactly one character other than {@code "}, CR and LF
     */
    public static char checkSeparator(String separator) {
        if (separator == null || separator.length() != 1) {
            throw new IllegalArgumentException("CSV separator " + (separator == null ? "null" : "\"" + separator + "\"")
                    + " must be exactly one character, e.g. \",\", \";\" or \"\\t\"");
        }
        char c = separator.charAt(0);
        if (c == '"' || c == '\r' || c == '\n' || Character.isSurrogate(c)) {
            throw new IllegalArgumentException("CSV separator \"" + separator
                    + "\" cannot be a double quote or a line break; use e.g. \",\", \";\" or \"\\t\"");
        }
        return c;
    }

    /**
     * Writes the row for {@code epoch} (0-based) and forces it to the device. The first call fixes the columns (see
     * the class comment) and writes the header if the file is new.
     *
     * @throws IllegalStateException if the writer is closed
     * @throws IOException naming the file if the write fails
     */
    public void writeEpoch(int epoch, Logs logs) throws IOException {
        if (closed) {
            throw new IllegalStateException("CSV log " + file + " is closed; open a new writer for the next fit");
        }
        row.setLength(0);
        row.append(pendingPrefix);
        pendingPrefix = "";
        if (columns != null && slots == null) {
            resolveSlots(logs); // resumed: the columns came from the backup
        }
        if (columns == null) {
            fixColumns(logs);
            if (writeHeader) {
                row.append("epoch");
                for (String column : columns) {
                    row.append(separator);
                    appendField(column);
                }
                row.append(LINE_END);
                writeHeader = false;
            } else {
                warnIfHeaderDiffers();
            }
        }
        row.append(epoch);
        for (int i = 0; i < columns.length; i++) {
            row.append(separator);
            int slot = slots[i];
            double value = slot < 0 ? Double.NaN : logs.get(slot);
            // get(slot) is NaN both for a NaN value and for no value: has(slot) tells them apart.
            if (slot < 0 || (Double.isNaN(value) && !logs.has(slot))) {
                row.append(NA);
            } else {
                int start = row.length();
                PythonFloats.appendRepr(row, value);
                quoteIfNeeded(start);
            }
        }
        row.append(LINE_END);
        write(row);
    }

    private void fixColumns(Logs logs) {
        List<String> names = new ArrayList<>(logs.names());
        Collections.sort(names);
        boolean hasVal = false;
        for (String name : names) {
            hasVal |= name.startsWith("val_");
        }
        List<String> all = new ArrayList<>(names);
        if (!hasVal) {
            // Keras adds them so that a first epoch without validation (validation_freq > 1) keeps their columns.
            for (String name : names) {
                all.add("val_" + name);
            }
        }
        columns = all.toArray(new String[0]);
        resolveSlots(logs);
    }

    private void resolveSlots(Logs logs) {
        slots = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            slots[i] = logs.slot(columns[i]);
        }
    }

    private void warnIfHeaderDiffers() {
        StringBuilder saved = row;
        int start = saved.length();
        saved.append("epoch");
        for (String column : columns) {
            saved.append(separator);
            appendField(column);
        }
        String ours = saved.substring(start);
        saved.setLength(start);
        if (existingHeader != null && !existingHeader.equals(ours)) {
            log.warn("CSV log {}: appending columns [{}] under the existing header [{}]; the rows will not line up. "
                    + "Use append=false or a new file", file.toAbsolutePath(), ours, existingHeader);
        }
    }

    private void appendField(String text) {
        int start = row.length();
        row.append(text);
        quoteIfNeeded(start);
    }

    /** Python's QUOTE_MINIMAL with doublequote, applied to the field that starts at {@code start} in the row. */
    private void quoteIfNeeded(int start) {
        boolean quote = false;
        for (int i = start; i < row.length() && !quote; i++) {
            char c = row.charAt(i);
            quote = c == separator || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            return;
        }
        for (int i = row.length() - 1; i >= start; i--) {
            if (row.charAt(i) == '"') {
                row.insert(i, '"');
            }
        }
        row.insert(start, '"');
        row.append('"');
    }

    private void write(CharSequence text) throws IOException {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
        crc.update(bytes.duplicate());
        length += bytes.remaining();
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            // Data only (fdatasync, in the background): the size change that makes the row readable is included.
            force.later();
        } catch (IOException e) {
            throw new IOException("cannot write CSV log " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    /** The file this writer appends to. */
    public Path file() {
        return file;
    }

    /** The columns after {@code epoch}, fixed at the first epoch; empty before it. */
    public List<String> columns() {
        return columns == null ? List.of() : List.of(columns);
    }

    /** Forces the rows written to the device and closes the file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            force.now();
        } finally {
            force.awaitPending();
            channel.close();
        }
    }

    private static String firstLine(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 1 << 16));
        channel.read(buffer, 0);
        String head = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        int end = head.indexOf('\n');
        String line = end < 0 ? head : head.substring(0, end);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static int lastByte(FileChannel channel) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, channel.size() - 1);
        return one.get(0);
    }
}
