package org.callbacks4j.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** For tests in other packages: what the event files of a TensorBoard run hold, and the atomic-write test seam. */
public final class EventFiles {

    private EventFiles() {}

    /**
     * Every scalar of the run folder {@code run} ({@code tb/train}), as {@code "tag step value"} lines in file and
     * record order; wall times are left out (they differ between runs).
     *
     * @throws IOException if a file cannot be read, a record fails its checksum or is cut short, or an event is not a
     *     scalar
     */
    public static List<String> scalars(Path run) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(run)) {
            return lines;
        }
        for (Path file : TensorBoardWriterTest.files(run)) {
            TfEventReader.Records records = TfEventReader.readRecords(Files.readAllBytes(file));
            if (records.truncated()) {
                throw new IOException(file + " ends with a record cut short");
            }
            List<TfEventReader.Event> events = TfEventReader.readEvents(file);
            for (TfEventReader.Event event : events.subList(1, events.size())) {
                for (TfEventReader.Value value : event.values()) {
                    lines.add(value.tag() + " " + event.step() + " " + value.scalar());
                }
            }
        }
        return lines;
    }

    /** How many event files of the run folder hold at least one scalar. */
    public static int filesWithScalars(Path run) throws IOException {
        int count = 0;
        if (Files.isDirectory(run)) {
            for (Path file : TensorBoardWriterTest.files(run)) {
                count += TfEventReader.readEvents(file).size() > 1 ? 1 : 0;
            }
        }
        return count;
    }

    /** How many event files the run folder holds. */
    public static int fileCount(Path run) throws IOException {
        return Files.isDirectory(run) ? TensorBoardWriterTest.files(run).size() : 0;
    }

    /**
     * Installs {@code hook} to run inside every {@link AtomicFiles#write} of this JVM, after the temporary file is
     * complete and forced and before it is renamed over the target; null removes it.
     */
    public static void beforeAtomicRename(AtomicFiles.IoConsumer<Path> hook) {
        AtomicFiles.beforeRename = hook;
    }
}
