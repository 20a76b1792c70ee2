package org.callbacks4j.internal.io;

import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Entries of the zip files the trainer writes (checkpoints, backups), with no timestamp so that the same training
 * writes the same bytes. Parameters and optimizer state are stored uncompressed: float noise hardly compresses, and
 * deflating it cost most of a checkpoint's time (about 95 ms of a 784-256-10 Fashion-MNIST epoch, BENCHMARKS.md).
 */
public final class ZipEntries {

    private ZipEntries() {}

    /** A deflated entry, for text (JSON) that compresses well. */
    public static void deflated(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(0L);
        entry.setMethod(ZipEntry.DEFLATED);
        write(zip, entry, bytes);
    }

    /** An entry stored as it is, for binary arrays. */
    public static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(0L);
        entry.setMethod(ZipEntry.STORED);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        write(zip, entry, bytes);
    }

    private static void write(ZipOutputStream zip, ZipEntry entry, byte[] bytes) throws IOException {
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }
}
