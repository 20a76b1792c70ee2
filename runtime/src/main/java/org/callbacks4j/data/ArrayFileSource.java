package org.callbacks4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link IdxSource} and {@link NpySource} share: a features file and a labels file read as {@link ArrayRows},
 * and the shuffle-buffer size for gzipped files. The two differ only in the file format ({@link ArrayFile}) and in
 * the type their builder methods return.
 */
abstract class ArrayFileSource implements BatchSource {

    final ArrayRows rows;
    private final int shuffleBuffer;

    ArrayFileSource(ArrayRows rows, int shuffleBuffer) {
        this.rows = rows;
        this.shuffleBuffer = shuffleBuffer;
    }

    /** {@code classes}, checked before any file is opened. */
    static int checkClasses(int classes, String example) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes " + classes + " must be at least 2; pass the number of "
                    + "classes, e.g. " + example);
        }
        return classes;
    }

    /** These rows with every feature multiplied by {@code scale} as it is read. */
    ArrayRows scaledRows(float scale) {
        return new ArrayRows(rows.features, rows.labels, rows.classes, scale);
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public int featureWidth() {
        return rows.featureWidth();
    }

    @Override
    public int labelWidth() {
        return rows.labelWidth();
    }

    @Override
    public int shuffleBuffer() {
        return shuffleBuffer;
    }

    @Override
    public String describe() {
        return getClass().getSimpleName() + "(" + rows.describe() + ")";
    }

    @Override
    public RowReader open() throws IOException {
        return rows.open();
    }

    @Override
    public String toString() {
        return describe();
    }

    static Path req(Path path, String what) {
        return Objects.requireNonNull(path, what + " path is null; pass the path of the " + what + " file");
    }

    static int checkBuffer(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("shuffleBuffer " + rows + " must be at least 1 row; pass e.g. 4096");
        }
        return rows;
    }
}
