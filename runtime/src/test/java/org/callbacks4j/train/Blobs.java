package org.callbacks4j.train;

import java.util.Random;
import org.callbacks4j.data.Dataset;

/** Small synthetic datasets for tests. */
final class Blobs {

    private Blobs() {}

    /** {@code n} points in {@code classes} Gaussian blobs in {@code width} dimensions, one-hot labels. */
    static Dataset classification(int n, int width, int classes, long seed) {
        Random r = new Random(seed);
        float[][] centers = new float[classes][width];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < width; j++) {
                centers[c][j] = (float) (r.nextGaussian() * 3);
            }
        }
        float[][] x = new float[n][width];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            y[i] = c;
            for (int j = 0; j < width; j++) {
                x[i][j] = centers[c][j] + (float) r.nextGaussian();
            }
        }
        return Dataset.classification(x, y, classes);
    }

    /** XOR of the signs of two coordinates: not linearly separable, label 1 when the signs differ. */
    static Dataset xor(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][2];
        float[][] y = new float[n][1];
        for (int i = 0; i < n; i++) {
            float a = (float) (r.nextDouble() * 2 - 1);
            float b = (float) (r.nextDouble() * 2 - 1);
            x[i][0] = a;
            x[i][1] = b;
            y[i][0] = (a > 0) != (b > 0) ? 1f : 0f;
        }
        return Dataset.of(x, y);
    }

    /** {@code y = 2 x0 - x1 + 0.5} plus a little noise. */
    static Dataset regression(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][2];
        float[][] y = new float[n][1];
        for (int i = 0; i < n; i++) {
            x[i][0] = (float) r.nextGaussian();
            x[i][1] = (float) r.nextGaussian();
            y[i][0] = 2 * x[i][0] - x[i][1] + 0.5f + (float) (r.nextGaussian() * 0.05);
        }
        return Dataset.of(x, y);
    }
}
