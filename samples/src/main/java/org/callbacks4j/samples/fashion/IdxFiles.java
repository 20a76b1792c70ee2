package org.callbacks4j.samples.fashion;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST family's format: a big-endian header, then unsigned bytes), gzipped or not: images as
 * rows of pixels scaled to [0, 1], labels as class numbers.
 */
final class IdxFiles {

    private IdxFiles() {}

    /** The images of an {@code idx3-ubyte} file, one row of {@code rows * columns} values in [0, 1] per image. */
    static float[][] images(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int[] dims = header(in, file, 3);
            int pixels = dims[1] * dims[2];
            float[][] images = new float[dims[0]][pixels];
            byte[] row = new byte[pixels];
            for (float[] image : images) {
                in.readFully(row);
                for (int p = 0; p < pixels; p++) {
                    image[p] = (row[p] & 0xff) / 255f;
                }
            }
            return images;
        }
    }

    /** The labels of an {@code idx1-ubyte} file. */
    static int[] labels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int[] dims = header(in, file, 1);
            int[] labels = new int[dims[0]];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = in.readUnsignedByte();
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("IDX file " + file.toAbsolutePath() + " does not exist; install Debian's "
                    + "dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass the folder that holds "
                    + "the four files as the first argument");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw);
    }

    /** Checks the magic number (unsigned bytes, {@code rank} dimensions) and returns the dimensions. */
    private static int[] header(DataInputStream in, Path file, int rank) throws IOException {
        int magic = in.readInt();
        if (magic != (0x0800 | rank)) {
            throw new IOException("IDX file " + file.toAbsolutePath() + " starts with 0x" + Integer.toHexString(magic)
                    + ", not 0x" + Integer.toHexString(0x0800 | rank) + " (unsigned bytes, " + rank + " dimensions)");
        }
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            dims[d] = in.readInt();
        }
        return dims;
    }
}
