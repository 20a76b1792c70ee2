package org.callbacks4j.internal.io;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writeCreatesParentFoldersAndTheFile() throws IOException {
        Path target = dir.resolve("a/b/ckpt.bin");

        AtomicFiles.write(target, "hello".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(target)).isEqualTo("hello");
        assertThat(listing(target.getParent())).containsExactly("ckpt.bin");
    }

    @Test
    void aWriteDeletesTheTemporariesThatKilledProcessesLeftForTheSameTarget() throws IOException {
        long dead = 999_999_999L; // above any Linux pid_max: no such process
        long alive = ProcessHandle.current().pid();
        Path deadSame = Files.writeString(dir.resolve(".ckpt.zip." + dead + ".0123abcd.tmp"), "partial");
        Path aliveSame = Files.writeString(dir.resolve(".ckpt.zip." + alive + ".0123abcd.tmp"), "in progress");
        Path deadOther = Files.writeString(dir.resolve(".other.zip." + dead + ".0123abcd.tmp"), "partial");
        Path notOurs = Files.writeString(dir.resolve(".ckpt.zip.notes.tmp"), "someone else's");

        AtomicFiles.write(dir.resolve("ckpt.zip"), new byte[] {1});

        assertThat(Files.exists(deadSame)).isFalse();
        assertThat(Files.exists(aliveSame)).isTrue(); // a write in progress, perhaps
        assertThat(Files.exists(deadOther)).isTrue(); // another target: its own next write sweeps it
        assertThat(Files.exists(notOurs)).isTrue();
        assertThat(AtomicFiles.deleteStaleTemporaries(dir, null)).isEqualTo(1);
        assertThat(listing(dir)).containsExactly(".ckpt.zip." + alive + ".0123abcd.tmp", ".ckpt.zip.notes.tmp",
                "ckpt.zip");
    }

    @Test
    void theTestSeamRunsAfterTheTemporaryFileIsCompleteAndBeforeTheRename() throws IOException {
        Path target = dir.resolve("ckpt.zip");
        List<String> seen = new java.util.ArrayList<>();
        EventFiles.beforeAtomicRename(t -> {
            seen.add(t.getFileName() + " exists=" + Files.exists(t));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    seen.add(p.getFileName().toString().replaceAll("\\.[0-9a-f]+\\.tmp$", ".<random>.tmp") + " "
                            + Files.size(p));
                }
            }
        });
        try {
            AtomicFiles.write(target, new byte[] {1, 2, 3});
        } finally {
            EventFiles.beforeAtomicRename(null);
        }
        assertThat(seen).containsExactly("ckpt.zip exists=false",
                ".ckpt.zip." + ProcessHandle.current().pid() + ".<random>.tmp 3").inOrder();
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("ckpt.bin");
        Files.writeString(target, "old");

        AtomicFiles.write(target, out -> {
            out.write("new ".getBytes(StandardCharsets.UTF_8));
            out.close(); // a body that closes its stream must not lose the data or the force
            out.write("content".getBytes(StandardCharsets.UTF_8));
        });

        assertThat(Files.readString(target)).isEqualTo("new content");
        assertThat(listing(dir)).containsExactly("ckpt.bin");
    }

    @Test
    void theFileGetsTheSamePermissionsAsAnyNewFileNotOwnerOnly() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path atomic = dir.resolve("atomic.txt");

        AtomicFiles.write(atomic, new byte[] {1});

        assertThat(Files.getPosixFilePermissions(atomic)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void aFailingBodyKeepsTheOldFileAndDeletesTheTemporaryFile() throws IOException {
        Path target = dir.resolve("ckpt.bin");
        Files.writeString(target, "old");

        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]); // more than the buffer, so part of it reached the temporary file
            throw new IOException("disk full");
        }));

        assertThat(thrown).hasMessageThat().isEqualTo("disk full");
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(listing(dir)).containsExactly("ckpt.bin");
    }

    @Test
    void aFailingBodyLeavesNoFileWhereThereWasNone() throws IOException {
        Path target = dir.resolve("ckpt.bin");

        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
            throw new IllegalStateException("boom");
        }));

        assertThat(Files.exists(target)).isFalse();
        assertThat(listing(dir)).isEmpty();
    }

    @Test
    void checkWritableCreatesMissingParentFolders() throws IOException {
        Path target = dir.resolve("runs/digits/history.csv");

        AtomicFiles.checkWritable(target, "CSV log");

        assertThat(Files.isDirectory(target.getParent())).isTrue();
        assertThat(listing(target.getParent())).isEmpty(); // the probe file is gone
    }

    @Test
    void checkWritableRejectsAFolderAsTarget() throws IOException {
        Path target = Files.createDirectories(dir.resolve("history.csv"));

        IOException e = assertThrows(IOException.class, () -> AtomicFiles.checkWritable(target, "CSV log"));

        assertThat(e).hasMessageThat().contains(target.toAbsolutePath().toString());
        assertThat(e).hasMessageThat().contains("is a folder; pass the path of a file");
    }

    @Test
    void checkWritableRejectsAFileWhereAParentFolderMustBe() throws IOException {
        Path file = Files.writeString(dir.resolve("runs"), "not a folder");

        IOException e = assertThrows(IOException.class,
                () -> AtomicFiles.checkWritable(dir.resolve("runs/digits/history.csv"), "CSV log"));

        assertThat(e).hasMessageThat().contains(file.toAbsolutePath() + " is a file, not a folder");
    }

    @Test
    void checkWritableDirectoryRejectsAReadOnlyFolder() throws IOException {
        Path readOnly = Files.createDirectories(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(readOnly), "running as root: permissions are not enforced");

            IOException e = assertThrows(IOException.class,
                    () -> AtomicFiles.checkWritableDirectory(readOnly, "TensorBoard log"));

            assertThat(e).hasMessageThat().contains("TensorBoard log folder " + readOnly.toAbsolutePath());
            assertThat(e).hasMessageThat().contains("is not writable");
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
