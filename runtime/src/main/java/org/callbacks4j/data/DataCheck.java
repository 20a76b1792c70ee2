package org.callbacks4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.zip.CRC32C;

/**
 * The pass over every row of a {@link BatchSource} that the trainer makes before training: each row must read (the
 * reader's own checks: class labels in range, numbers that parse, a file as long as its header says), features and
 * labels must be finite, and labels must suit the loss. It also fingerprints the values (CRC-32C of the float32 rows,
 * little-endian), so that a backup refuses to resume on data that changed.
 *
 * <p>Cost: one read of the data (for Fashion-MNIST's 60,000 gzipped rows, see BENCHMARKS.md), once per fit.
 */
public final class DataCheck {

    /** What the loss needs of the labels. */
    public enum Labels {
        /** Any finite values (regression losses). */
        ANY,
        /** Values in [0, 1] (binary cross-entropy). */
        UNIT,
        /** One-hot rows: values in [0, 1] summing to 1 (softmax cross-entropy). */
        ONE_HOT
    }

    private DataCheck() {}

    /**
     * Reads every row of {@code source} and returns its fingerprint, {@code "<rows> rows, CRC-32C <hex>"};
     * {@code what} names the data in messages ("training", "validation").
     *
     * @throws BadDataException naming the source, the row and the fix, for the first bad row
     */
    public static String scan(BatchSource source, String what, Labels labels) {
        int fw = source.featureWidth();
        int lw = source.labelWidth();
        ByteBuffer xBytes = ByteBuffer.allocate(4 * fw).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer yBytes = ByteBuffer.allocate(4 * lw).order(ByteOrder.LITTLE_ENDIAN);
        float[] x = new float[fw];
        float[] y = new float[lw];
        FloatBuffer xb = FloatBuffer.wrap(x);
        FloatBuffer yb = FloatBuffer.wrap(y);
        CRC32C crc = new CRC32C();
        String name = what + " data " + source.describe();
        int row = 0;
        try (RowReader reader = source.open()) {
            while (reader.next(xb.clear(), yb.clear())) {
                if (row >= source.size()) {
                    throw new BadDataException(name + " has more rows than the " + source.size() + " it announced; "
                            + "the data changed since the source was made, make it again", row);
                }
                for (int i = 0; i < fw; i++) {
                    if (!Float.isFinite(x[i])) {
                        throw new BadDataException(name + ": feature " + i + " of row " + row + " is " + x[i]
                                + "; replace it (e.g. numpy.nan_to_num, or the column's mean) or drop that row "
                                + "before training", row);
                    }
                }
                float sum = 0;
                for (int k = 0; k < lw; k++) {
                    float v = y[k];
                    if (!Float.isFinite(v)) {
                        throw new BadDataException(name + ": label " + k + " of row " + row + " is " + v
                                + "; fix or drop that row before training", row);
                    }
                    if (labels != Labels.ANY && !(v >= 0 && v <= 1)) {
                        throw new BadDataException(name + ": label " + k + " of row " + row + " is " + v + ", outside "
                                + "[0, 1], which the loss needs" + (labels == Labels.ONE_HOT
                                        ? "; pass class indices with the number of classes (one-hot rows are made "
                                                + "for you)"
                                        : "; rescale the labels to [0, 1], or use Loss.MSE for regression"), row);
                    }
                    sum += v;
                }
                if (labels == Labels.ONE_HOT && Math.abs(sum - 1f) > 1e-3f) {
                    throw new BadDataException(name + ": the labels of row " + row + " sum to " + sum + ", not 1, so "
                            + "they are not one-hot as SOFTMAX_CROSS_ENTROPY needs; pass class indices with the "
                            + "number of classes, or use Loss.BINARY_CROSS_ENTROPY for multi-label rows", row);
                }
                xBytes.asFloatBuffer().put(x);
                yBytes.asFloatBuffer().put(y);
                crc.update(xBytes.array(), 0, xBytes.capacity());
                crc.update(yBytes.array(), 0, yBytes.capacity());
                row++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
        if (row != source.size()) {
            throw new BadDataException(name + " has " + row + " rows but announced " + source.size() + "; the data "
                    + "changed since the source was made, make it again", row);
        }
        return row + " rows, CRC-32C " + String.format("%08x", crc.getValue());
    }
}
