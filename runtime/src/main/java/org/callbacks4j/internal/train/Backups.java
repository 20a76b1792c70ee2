package org.callbacks4j.internal.train;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.callbacks4j.internal.io.AtomicFiles;
import org.callbacks4j.internal.io.ZipEntries;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The backup files of {@code @BackupAndRestore}: one zip file per save, {@code backup-<generation>.zip} (8 or more
 * digits, so that names sort by generation) in the backup folder; the newest two are kept.
 *
 * <h2>File format, version {@value #FORMAT_VERSION}</h2>
 * A zip archive with these entries, in this order:
 * <dl>
 *   <dt>{@code manifest.json}</dt>
 *   <dd><pre>{@code
 * {
 *   "format": "callbacks4j-backup", "formatVersion": 1,
 *   "generation": 12,                               // 1 for the first save of a run, then +1 per save
 *   "position": {"epoch": 3, "batchesDone": 5},     // 0-based epoch training continues in; batches of it done
 *   "complete": true,                               // only in the completion record of a run that ended normally
 *   "entries": [ {"name": "configuration.txt", "size": 812, "crc32c": "1c2d3e4f"}, ... ]
 * }
 *   }</pre>
 *   Every other entry is listed with its size and CRC-32C; a reader rejects a file where one is missing, has another
 *   size or checksum, or is not listed.</dd>
 *   <dt>{@code configuration.txt}</dt>
 *   <dd>UTF-8 text, one line per setting the state depends on: the model's layers, the loss, optimizer and metrics,
 *   the fit's batch size, shuffling, seed and validation, checksums of the data, and each callback's class and
 *   configuration. A fit resumes only from a backup whose text equals its own.</dd>
 *   <dt>{@code trainer.state}</dt>
 *   <dd>The trainer's state in the {@link org.callbacks4j.internal.state.StateWriter} encoding: parameters, optimizer state,
 *   step count and learning rate, position, the epoch's accumulators, the History so far, the last epoch's logs and
 *   who asked to stop.</dd>
 *   <dt>{@code callbacks.state}</dt>
 *   <dd>Every callback's state in the same encoding: one section per callback object (its generated dispatcher with a
 *   section per policy, and the object itself when it is {@link org.callbacks4j.internal.state.Stateful}).</dd>
 * </dl>
 *
 * <p>Files are written with {@link AtomicFiles#write} (temporary file, fsync, rename, folder fsync); the zip's own
 * CRC-32 of each entry is checked on reading as well.
 */
public final class Backups {

    /** The version of the file format this class writes, and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    static final String FORMAT = "callbacks4j-backup";
    static final String MANIFEST = "manifest.json";
    static final String CONFIGURATION = "configuration.txt";
    public static final String TRAINER = "trainer.state";
    public static final String CALLBACKS = "callbacks.state";

    private static final Pattern NAME = Pattern.compile("backup-(\\d{8,18})\\.zip");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Backups() {}

    /** One backup file, read and verified. */
    public static final class Backup {

        private final Path file;
        private final long generation;
        private final int epoch;
        private final int batchesDone;
        private final String configuration;
        private final byte[] trainerState;
        private final byte[] callbackState;
        private final boolean complete;

        Backup(Path file, long generation, int epoch, int batchesDone, String configuration, byte[] trainerState,
                byte[] callbackState, boolean complete) {
            this.complete = complete;
            this.file = file;
            this.generation = generation;
            this.epoch = epoch;
            this.batchesDone = batchesDone;
            this.configuration = configuration;
            this.trainerState = trainerState;
            this.callbackState = callbackState;
        }

        public Path file() {
            return file;
        }

        /** 1 for the first save of a run, then one more per save. */
        public long generation() {
            return generation;
        }

        /** The 0-based epoch a resumed run continues in. */
        public int epoch() {
            return epoch;
        }

        /** How many batches of {@link #epoch()} were done (0: the epoch starts from its first batch). */
        public int batchesDone() {
            return batchesDone;
        }

        /**
         * Whether this is the completion record of a run that ended normally (written after train end): a fit that
         * finds it returns the run's History and parameters instead of training again.
         */
        public boolean complete() {
            return complete;
        }

        /** The text of {@code configuration.txt}: what the backup was written for. */
        public String configuration() {
            return configuration;
        }

        /** The trainer's part ({@code trainer.state}), in the {@link org.callbacks4j.internal.state.StateWriter} encoding. */
        public byte[] trainerState() {
            return trainerState;
        }

        /** Every callback's state ({@code callbacks.state}). */
        public byte[] callbackState() {
            return callbackState;
        }

        @Override
        public String toString() {
            return file + " (generation " + generation + ", epoch " + epoch + ", batches done " + batchesDone
                    + (complete ? ", run complete" : "") + ")";
        }
    }

    /**
     * Reads and verifies a backup file: the manifest, every entry's size and CRC-32C, the zip's own checksums.
     *
     * @throws IOException naming the file and the damage if it is not a complete, intact backup of a supported version
     */
    public static Backup read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String where = "backup " + file.toAbsolutePath();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            throw new IOException(where + (Files.exists(file) ? " is not a regular file" : " does not exist"));
        }
        // ZipFile reads the central directory at the end of the file: a file cut anywhere is refused.
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
                ZipEntry e = all.nextElement();
                try (InputStream in = zip.getInputStream(e)) {
                    if (entries.put(e.getName(), readAll(in)) != null) {
                        throw new IOException(where + " is damaged: entry " + e.getName() + " appears twice");
                    }
                }
            }
        } catch (ZipException | EOFException | IllegalArgumentException e) {
            throw new IOException(where + " is damaged or truncated: " + e.getMessage(), e);
        }
        byte[] manifestBytes = entries.remove(MANIFEST);
        if (manifestBytes == null) {
            throw new IOException(where + " is damaged or truncated: it has no " + MANIFEST + " (entries found: "
                    + entries.keySet() + ")");
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(new String(manifestBytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IOException(where + " is damaged: malformed " + MANIFEST + ": " + e.getOriginalMessage(), e);
        }
        if (manifest == null || !FORMAT.equals(manifest.path("format").asText())) {
            throw new IOException(where + " is not a " + FORMAT + " file");
        }
        int version = manifest.path("formatVersion").asInt(-1);
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IOException(where + " has format version " + version + "; this callbacks4j reads versions 1 "
                    + "to " + FORMAT_VERSION + ": use a newer callbacks4j");
        }
        JsonNode listed = manifest.path("entries");
        if (!listed.isArray()) {
            throw new IOException(where + " is damaged: " + MANIFEST + " lists no entries");
        }
        Map<String, byte[]> unlisted = new LinkedHashMap<>(entries);
        for (JsonNode entry : listed) {
            String name = entry.path("name").asText();
            byte[] bytes = unlisted.remove(name);
            if (bytes == null) {
                throw new IOException(where + " is damaged or truncated: entry " + name + " is missing");
            }
            long size = entry.path("size").asLong(-1);
            if (bytes.length != size) {
                throw new IOException(where + " is damaged: entry " + name + " has " + bytes.length + " bytes, the "
                        + "manifest says " + size);
            }
            String crc = crc32c(bytes);
            if (!crc.equals(entry.path("crc32c").asText())) {
                throw new IOException(where + " is damaged: entry " + name + " has CRC-32C " + crc + ", the manifest "
                        + "says " + entry.path("crc32c").asText());
            }
        }
        if (!unlisted.isEmpty()) {
            throw new IOException(where + " is damaged: entries " + unlisted.keySet() + " are not in the manifest");
        }
        for (String required : List.of(CONFIGURATION, TRAINER, CALLBACKS)) {
            if (!entries.containsKey(required)) {
                throw new IOException(where + " is damaged: it has no " + required);
            }
        }
        JsonNode position = manifest.path("position");
        long generation = manifest.path("generation").asLong(-1);
        int epoch = position.path("epoch").asInt(-1);
        int batches = position.path("batchesDone").asInt(-1);
        if (generation < 1 || epoch < 0 || batches < 0) {
            throw new IOException(where + " is damaged: its manifest has no valid generation and position");
        }
        return new Backup(file, generation, epoch, batches,
                new String(entries.get(CONFIGURATION), StandardCharsets.UTF_8), entries.get(TRAINER),
                entries.get(CALLBACKS), manifest.path("complete").asBoolean(false));
    }

    /**
     * The backup files in {@code dir}, newest (highest generation) first; empty if the folder does not exist.
     *
     * @throws IOException if the folder cannot be listed
     */
    public static List<Path> files(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (generationOf(p) > 0 && Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        files.sort(Comparator.comparingLong(Backups::generationOf).reversed());
        return files;
    }

    /** The generation in a backup file's name, or -1 if it is not one. */
    public static long generationOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    public static Path fileOf(Path dir, long generation) {
        return dir.resolve(String.format("backup-%08d.zip", generation));
    }

    /** Writes generation {@code generation} to {@code dir}, atomically. */
    public static Path write(Path dir, long generation, int epoch, int batchesDone, String configuration,
            byte[] trainerState, byte[] callbackState) throws IOException {
        return write(dir, generation, epoch, batchesDone, configuration, trainerState, callbackState, false);
    }

    /**
     * Writes generation {@code generation} to {@code dir}, atomically; {@code complete}: the completion record of a
     * run that ended normally ({@code "complete": true} in the manifest).
     */
    public static Path write(Path dir, long generation, int epoch, int batchesDone, String configuration,
            byte[] trainerState, byte[] callbackState, boolean complete) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(CONFIGURATION, configuration.getBytes(StandardCharsets.UTF_8));
        entries.put(TRAINER, trainerState);
        entries.put(CALLBACKS, callbackState);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("formatVersion", FORMAT_VERSION);
        manifest.put("generation", generation);
        ObjectNode position = manifest.putObject("position");
        position.put("epoch", epoch);
        position.put("batchesDone", batchesDone);
        if (complete) {
            manifest.put("complete", true);
        }
        ArrayNode list = manifest.putArray("entries");
        entries.forEach((name, bytes) -> {
            ObjectNode e = list.addObject();
            e.put("name", name);
            e.put("size", bytes.length);
            e.put("crc32c", crc32c(bytes));
        });
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        Path file = fileOf(dir, generation);
        try {
            AtomicFiles.write(file, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                ZipEntries.deflated(zip, MANIFEST, manifestBytes);
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    ZipEntries.stored(zip, e.getKey(), e.getValue());
                }
                zip.finish(); // not close(): AtomicFiles forces and closes the file itself
            });
        } catch (IOException e) {
            throw new IOException("cannot write backup " + file.toAbsolutePath() + ": " + e, e);
        }
        return file;
    }

    /**
     * Deletes the backup files in {@code dir} other than generations {@code keep} and {@code alsoKeep}, and the
     * temporaries of killed writes.
     */
    public static void prune(Path dir, long keep, long alsoKeep) throws IOException {
        for (Path file : files(dir)) {
            long generation = generationOf(file);
            if (generation != keep && generation != alsoKeep) {
                Files.deleteIfExists(file);
            }
        }
        AtomicFiles.deleteStaleTemporaries(dir, null);
    }

    public static String crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return String.format("%08x", crc.getValue());
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
