package org.callbacks4j.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.callbacks4j.data.Dataset;

/** scikit-learn's digits, read from the samples module's copy (pixels scaled to [0, 1], one-hot labels). */
final class Digits {

    /** Relative to the module (surefire's working folder); a child JVM started elsewhere is given the property. */
    static final Path FILE = Path.of(System.getProperty("callbacks4j.spark.digits",
            "../samples/src/main/resources/org/callbacks4j/samples/digits/digits.csv.gz")).toAbsolutePath();
    private static Dataset all;

    private Digits() {}

    /** All 1,797 images, in the file's order, shuffled once with a fixed seed so that any prefix mixes digits. */
    static synchronized Dataset load() {
        if (all == null) {
            List<float[]> images = new ArrayList<>();
            List<Integer> digits = new ArrayList<>();
            try (InputStream raw = Files.newInputStream(FILE)) {
                BufferedReader lines = new BufferedReader(
                        new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
                for (String line; (line = lines.readLine()) != null; ) {
                    String[] cells = line.split(",");
                    float[] pixels = new float[64];
                    for (int i = 0; i < 64; i++) {
                        pixels[i] = Float.parseFloat(cells[i]) / 16f;
                    }
                    images.add(pixels);
                    digits.add(Integer.parseInt(cells[64].trim()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + FILE.toAbsolutePath(), e);
            }
            all = Dataset.classification(images.toArray(new float[0][]),
                    digits.stream().mapToInt(Integer::intValue).toArray(), 10).shuffled(1234);
        }
        return all;
    }
}
