package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.callbacks4j.internal.train.Backups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup files: format, checksums, damaged and truncated files, generations, clean-up. */
class BackupsTest {

    @TempDir
    Path dir;

    private static final byte[] TRAINER = "trainer state bytes".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CALLBACKS = "callback state bytes".getBytes(StandardCharsets.US_ASCII);

    private Path write(long generation) throws IOException {
        return Backups.write(dir, generation, 3, 5, "configuration\n", TRAINER, CALLBACKS);
    }

    @Test
    void aBackupReadsBackWithItsPositionConfigurationAndStateAndListsItsEntriesWithChecksums() throws IOException {
        Path file = write(12);
        assertThat(file.getFileName().toString()).isEqualTo("backup-00000012.zip");

        Backups.Backup backup = Backups.read(file);
        assertThat(backup.generation()).isEqualTo(12);
        assertThat(backup.epoch()).isEqualTo(3);
        assertThat(backup.batchesDone()).isEqualTo(5);
        assertThat(backup.configuration()).isEqualTo("configuration\n");
        assertThat(backup.trainerState()).isEqualTo(TRAINER);
        assertThat(backup.callbackState()).isEqualTo(CALLBACKS);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName).toList())
                    .containsExactly("manifest.json", "configuration.txt", "trainer.state", "callbacks.state")
                    .inOrder();
            String manifest = new String(zip.getInputStream(zip.getEntry("manifest.json")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(manifest).contains("\"format\" : \"callbacks4j-backup\"");
            assertThat(manifest).contains("\"crc32c\" : \"" + Backups.crc32c(TRAINER) + "\"");
        }
        assertThat(Files.readAllBytes(write(12))).isEqualTo(Files.readAllBytes(file)); // deterministic bytes
    }

    @Test
    void everyDamagedByteAndEveryTruncationIsDetected() throws IOException {
        Path file = write(1);
        byte[] good = Files.readAllBytes(file);
        Path damaged = dir.resolve("damaged.zip");
        for (int at = 0; at < good.length; at++) {
            byte[] bytes = good.clone();
            bytes[at] ^= 0x20;
            Files.write(damaged, bytes);
            if (!readFails(damaged) && !sameContent(damaged)) {
                throw new AssertionError("a flipped bit at byte " + at + " went unnoticed");
            }
        }
        for (int length = 0; length < good.length; length++) {
            Files.write(damaged, Arrays.copyOf(good, length));
            if (!readFails(damaged)) {
                throw new AssertionError("a file cut to " + length + " of " + good.length + " bytes was accepted");
            }
        }
    }

    /** Whether reading fails with a message that names the file. */
    private static boolean readFails(Path file) {
        try {
            Backups.read(file);
            return false;
        } catch (IOException e) {
            assertThat(e).hasMessageThat().contains(file.toAbsolutePath().toString());
            return true;
        }
    }

    /**
     * Whether the file still reads as exactly what was written: a flipped bit in zip metadata the reader does not use
     * (the central directory at the end, a timestamp) changes nothing that is restored.
     */
    private static boolean sameContent(Path file) throws IOException {
        Backups.Backup b = Backups.read(file);
        return b.generation() == 1 && b.epoch() == 3 && b.batchesDone() == 5
                && b.configuration().equals("configuration\n") && Arrays.equals(b.trainerState(), TRAINER)
                && Arrays.equals(b.callbackState(), CALLBACKS);
    }

    @Test
    void aDamagedNewestBackupFallsBackToThePreviousOne() throws IOException {
        write(6);
        Path newest = write(7);
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, Arrays.copyOf(bytes, bytes.length / 2));

        BackupRun run = new BackupRun(dir, 0, true);
        Backups.Backup backup = run.loadNewest();

        assertThat(backup.generation()).isEqualTo(6);
        // The next save is generation 8, and keeps 6 (the good one resumed from), not the damaged 7.
        run.save(4, 0, "configuration\n", TRAINER, CALLBACKS);
        assertThat(Backups.files(dir).stream().map(p -> p.getFileName().toString()).toList())
                .containsExactly("backup-00000008.zip", "backup-00000006.zip").inOrder();
    }

    @Test
    void whenEveryBackupIsDamagedTrainingDoesNotSilentlyStartOver() throws IOException {
        Files.writeString(dir.resolve("backup-00000001.zip"), "not a zip");
        Path second = write(2);
        byte[] bytes = Files.readAllBytes(second);
        Files.write(second, Arrays.copyOf(bytes, bytes.length - 1));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new BackupRun(dir, 0, true)
                .loadNewest());

        assertThat(e).hasMessageThat().startsWith("@BackupAndRestore found no intact backup in " + dir.toAbsolutePath()
                + ": backup " + second.toAbsolutePath() + " is damaged");
        assertThat(e).hasMessageThat().endsWith("Training does not start over on its own: move or delete the folder "
                + "to start a new run");
        assertThat(e).hasMessageThat().contains("backup-00000001.zip");
    }

    @Test
    void noBackupMeansANewRun() {
        assertThat(new BackupRun(dir.resolve("absent"), 0, true).loadNewest()).isNull();
    }

    @Test
    void savingKeepsTheNewestTwoGenerationsAndSweepsTemporariesOfKilledWrites() throws IOException {
        Path stale = Files.writeString(dir.resolve(".backup-00000003.zip.999999999.0123abcd.tmp"), "partial");
        BackupRun run = new BackupRun(dir, 3, true);
        assertThat(run.loadNewest()).isNull();
        assertThat(Files.exists(stale)).isFalse();
        for (int epoch = 1; epoch <= 4; epoch++) {
            run.save(epoch, 0, "c", TRAINER, CALLBACKS);
        }
        assertThat(Backups.files(dir).stream().map(p -> p.getFileName().toString()).toList())
                .containsExactly("backup-00000004.zip", "backup-00000003.zip").inOrder();

        run.complete(5, "c", TRAINER, CALLBACKS);
        // deleteCheckpoint: only the completion record is left.
        assertThat(Backups.files(dir)).containsExactly(dir.resolve("backup-00000005.zip"));
        assertThat(Backups.read(dir.resolve("backup-00000005.zip")).complete()).isTrue();
    }

    @Test
    void completingDeletesOnlyOlderBackupsAndKeepsOtherFiles() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        BackupRun run = new BackupRun(dir, 0, true);
        run.save(1, 0, "c", TRAINER, CALLBACKS);
        run.save(2, 0, "c", TRAINER, CALLBACKS);
        run.complete(2, "c", TRAINER, CALLBACKS);
        assertThat(Backups.files(dir)).containsExactly(dir.resolve("backup-00000003.zip"));
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");

        Path other = dir.resolve("kept");
        BackupRun keep = new BackupRun(other, 0, false);
        keep.save(1, 0, "c", TRAINER, CALLBACKS);
        keep.save(2, 0, "c", TRAINER, CALLBACKS);
        keep.complete(2, "c", TRAINER, CALLBACKS);
        assertThat(Backups.files(other)).containsExactly(other.resolve("backup-00000003.zip"),
                other.resolve("backup-00000002.zip")).inOrder();
    }

    @Test
    void onlyBackupNamesAreBackups() throws IOException {
        Files.writeString(dir.resolve("backup-1.zip"), "x");
        Files.writeString(dir.resolve("backup-00000002.zip.bak"), "x");
        write(3);
        assertThat(Backups.files(dir)).containsExactly(dir.resolve("backup-00000003.zip"));
        assertThat(List.of(Backups.generationOf(dir.resolve("backup-123456789.zip")))).containsExactly(123456789L);
    }
}
