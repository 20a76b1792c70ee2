package org.callbacks4j.samples.digits;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.callbacks4j.data.Dataset;

/**
 * scikit-learn's handwritten digits (1,797 images of 8x8 pixels, values 0..16), embedded in this jar; see
 * {@code DATA-NOTICE.md} beside the data for its source and license.
 */
public final class DigitsData {

    public static final int PIXELS = 64;
    public static final int CLASSES = 10;
    private static final String RESOURCE = "digits.csv.gz";

    private DigitsData() {}

    /** All 1,797 images, pixels scaled to [0, 1], labels one-hot, in the file's order. */
    public static Dataset load() {
        List<float[]> images = new ArrayList<>();
        List<Integer> digits = new ArrayList<>();
        try (InputStream raw = DigitsData.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path beside " + DigitsData.class);
            }
            BufferedReader lines = new BufferedReader(
                    new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
            for (String line; (line = lines.readLine()) != null; ) {
                String[] cells = line.split(",");
                float[] pixels = new float[PIXELS];
                for (int i = 0; i < PIXELS; i++) {
                    pixels[i] = Float.parseFloat(cells[i]) / 16f;
                }
                images.add(pixels);
                digits.add(Integer.parseInt(cells[PIXELS].trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return Dataset.classification(
                images.toArray(new float[0][]), digits.stream().mapToInt(Integer::intValue).toArray(), CLASSES);
    }
}
