package org.callbacks4j.benchmarks.e2e;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST from its IDX files (Debian package {@code dataset-fashion-mnist}: gzipped, under
 * {@code /usr/share/datasets/fashion-mnist/}; plain files work too). Pixels become float32 in [0, 1], rows of 784.
 */
final class FashionMnist {

    static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    static final int PIXELS = 28 * 28;
    static final int CLASSES = 10;

    /** One split: {@code rows} images as a row-major {@code [rows, 784]} array, and their classes. */
    record Split(float[] pixels, int[] classes, int rows) {

        /** The first {@code n} rows. */
        Split head(int n) {
            if (n >= rows) {
                return this;
            }
            float[] p = new float[n * PIXELS];
            System.arraycopy(pixels, 0, p, 0, p.length);
            int[] c = new int[n];
            System.arraycopy(classes, 0, c, 0, n);
            return new Split(p, c, n);
        }

        /** One-hot labels, {@code [rows, 10]} row-major. */
        float[] oneHot() {
            float[] y = new float[rows * CLASSES];
            for (int i = 0; i < rows; i++) {
                y[i * CLASSES + classes[i]] = 1f;
            }
            return y;
        }
    }

    private FashionMnist() {}

    /** Whether {@code dir} holds the four files (gzipped or not). */
    static boolean available(Path dir) {
        for (String name : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            if (find(dir, name) == null) {
                return false;
            }
        }
        return true;
    }

    static Split train(Path dir) throws IOException {
        return read(dir, "train");
    }

    static Split test(Path dir) throws IOException {
        return read(dir, "t10k");
    }

    /**
     * Random data of the same shape, for the smoke run where the IDX files are absent: each class has its own mean
     * image, so the networks can still learn something.
     */
    static Split synthetic(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] means = new float[CLASSES][PIXELS];
        for (float[] m : means) {
            for (int p = 0; p < PIXELS; p++) {
                m[p] = (float) random.nextDouble();
            }
        }
        float[] pixels = new float[rows * PIXELS];
        int[] classes = new int[rows];
        for (int i = 0; i < rows; i++) {
            int c = random.nextInt(CLASSES);
            classes[i] = c;
            for (int p = 0; p < PIXELS; p++) {
                double v = means[c][p] + 0.3 * (random.nextDouble() - 0.5);
                pixels[i * PIXELS + p] = (float) Math.min(1, Math.max(0, v));
            }
        }
        return new Split(pixels, classes, rows);
    }

    private static Split read(Path dir, String prefix) throws IOException {
        Path images = find(dir, prefix + "-images-idx3-ubyte");
        Path labels = find(dir, prefix + "-labels-idx1-ubyte");
        if (images == null || labels == null) {
            throw new IOException("Fashion-MNIST " + prefix + " files not found in " + dir + "; install them with "
                    + "`apt-get install dataset-fashion-mnist` or pass --data DIR");
        }
        int[] classes;
        try (DataInputStream in = open(labels)) {
            expect(in.readInt(), 2049, labels);
            int n = in.readInt();
            byte[] bytes = in.readNBytes(n);
            classes = new int[n];
            for (int i = 0; i < n; i++) {
                classes[i] = bytes[i];
            }
        }
        try (DataInputStream in = open(images)) {
            expect(in.readInt(), 2051, images);
            int n = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            if (h * w != PIXELS || n != classes.length) {
                throw new IOException(images + ": " + n + " images of " + h + "x" + w + " for " + classes.length
                        + " labels; expected 28x28 images, one per label");
            }
            byte[] bytes = in.readNBytes(n * PIXELS);
            float[] pixels = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                pixels[i] = (bytes[i] & 0xFF) / 255f;
            }
            return new Split(pixels, classes, n);
        }
    }

    private static Path find(Path dir, String name) {
        for (Path p : new Path[] {dir.resolve(name + ".gz"), dir.resolve(name)}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        if (p.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new DataInputStream(in);
    }

    private static void expect(int magic, int wanted, Path p) throws IOException {
        if (magic != wanted) {
            throw new IOException(p + " starts with magic " + magic + ", not " + wanted + "; is it an IDX file?");
        }
    }
}
