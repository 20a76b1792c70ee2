package org.callbacks4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * A CSV file of numbers (gzipped if its name ends in {@code .gz}): one example per line, the label in one column (a
 * class index, one-hot encoded) or in several (label values), every other column a feature. No quoting: fields are
 * plain numbers. Immutable.
 *
 * <pre>{@code
 * BatchSource train = CsvSource.classification(Path.of("fashion-mnist_train.csv"), 0, 10).header(true)
 *     .scale(1 / 255f);
 * }</pre>
 *
 * <p>Read in order each epoch and shuffled through a buffer of {@link #shuffleBuffer()} rows (a text file has no
 * random access to its lines). The file is counted on first use, and read once more by the trainer's check before
 * training.
 */
public final class CsvSource implements BatchSource {

    private final Path path;
    private final int[] labelColumns;
    private final int classes;
    private final boolean header;
    private final char delimiter;
    private final float scale;
    private final int shuffleBuffer;
    private int rows = -1; // counted on first use (after the settings are made), see count()
    private int columns;

    private CsvSource(Path path, int[] labelColumns, int classes, boolean header, char delimiter, float scale,
            int shuffleBuffer) throws IOException {
        this.path = path;
        this.labelColumns = labelColumns;
        this.classes = classes;
        this.header = header;
        this.delimiter = delimiter;
        this.scale = scale;
        this.shuffleBuffer = shuffleBuffer;
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toAbsolutePath().toString(), null,
                    "no CSV file there; pass the path of an existing file");
        }
    }

    /** Counts the data lines and the columns (once; the settings are final by then). */
    private synchronized void count() {
        if (rows >= 0) {
            return;
        }
        try {
            countLines();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("CSV file " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private void countLines() throws IOException {
        int count = 0;
        int width = -1;
        try (BufferedReader in = reader()) {
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (header && lineNumber == 1 || line.isBlank()) {
                    continue;
                }
                if (width < 0) {
                    width = fields(line);
                }
                count++;
            }
        }
        if (count == 0) {
            throw new BadDataException("CSV file " + path.toAbsolutePath() + " has no data lines; pass a file with at "
                    + "least one example", -1);
        }
        for (int c : labelColumns) {
            if (c < 0 || c >= width) {
                throw new IllegalArgumentException("label column " + c + " is outside the " + width + " columns of "
                        + path.toAbsolutePath() + "; pass a column in [0, " + width + ")");
            }
        }
        if (labelColumns.length >= width) {
            throw new IllegalArgumentException("CSV file " + path.toAbsolutePath() + " has " + width + " columns, all "
                    + "of them labels; leave at least one feature column");
        }
        this.rows = count;
        this.columns = width;
    }

    /**
     * A CSV file whose column {@code labelColumn} (0-based) holds class indices in {@code [0, classes)}, one-hot
     * encoded; every other column is a feature.
     */
    public static CsvSource classification(Path path, int labelColumn, int classes) throws IOException {
        if (classes < 2) {
            throw new IllegalArgumentException(
                    "classes " + classes + " must be at least 2; pass the number of classes");
        }
        return new CsvSource(ArrayFileSource.req(path, "CSV"), new int[] {labelColumn}, classes, false, ',', 1f,
                DEFAULT_SHUFFLE_BUFFER);
    }

    /** A CSV file whose columns {@code labelColumns} (0-based) are the label values; the others are features. */
    public static CsvSource of(Path path, int... labelColumns) throws IOException {
        if (labelColumns.length == 0) {
            throw new IllegalArgumentException("no label column given; pass e.g. CsvSource.of(path, 0)");
        }
        int[] sorted = labelColumns.clone();
        Arrays.sort(sorted);
        return new CsvSource(ArrayFileSource.req(path, "CSV"), sorted, 0, false, ',', 1f, DEFAULT_SHUFFLE_BUFFER);
    }

    /** Whether the first line is a header to skip (default false). */
    public CsvSource header(boolean header) throws IOException {
        return new CsvSource(path, labelColumns, classes, header, delimiter, scale, shuffleBuffer);
    }

    /** The field separator (default {@code ','}). */
    public CsvSource delimiter(char delimiter) throws IOException {
        return new CsvSource(path, labelColumns, classes, header, delimiter, scale, shuffleBuffer);
    }

    /** Multiplies every feature by {@code scale} as it is read, e.g. {@code 1 / 255f}. */
    public CsvSource scale(float scale) throws IOException {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale " + scale + " must be positive and finite; pass e.g. 1/255f");
        }
        return new CsvSource(path, labelColumns, classes, header, delimiter, scale, shuffleBuffer);
    }

    /** The shuffle-buffer size (default {@value BatchSource#DEFAULT_SHUFFLE_BUFFER} rows). */
    public CsvSource shuffleBuffer(int rows) throws IOException {
        return new CsvSource(path, labelColumns, classes, header, delimiter, scale, ArrayFileSource.checkBuffer(rows));
    }

    @Override
    public int size() {
        count();
        return rows;
    }

    @Override
    public int featureWidth() {
        count();
        return columns - labelColumns.length;
    }

    @Override
    public int labelWidth() {
        return classes > 0 ? classes : labelColumns.length;
    }

    @Override
    public int shuffleBuffer() {
        return shuffleBuffer;
    }

    @Override
    public String describe() {
        count();
        return "CsvSource(" + path.toAbsolutePath() + ", " + rows + " rows x " + columns + " columns, labels in "
                + Arrays.toString(labelColumns) + (classes > 0 ? " as " + classes + " classes" : "")
                + (header ? ", header" : "") + ", delimiter '" + delimiter + "'" + (scale != 1f ? ", x " + scale : "")
                + ")";
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public RowReader open() throws IOException {
        count();
        return new Reader();
    }

    private BufferedReader reader() throws IOException {
        InputStream in = Files.newInputStream(path);
        if (path.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private int fields(String line) {
        int n = 1;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == delimiter) {
                n++;
            }
        }
        return n;
    }

    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }

    private final class Reader implements RowReader {
        private BufferedReader in;
        private int lineNumber;
        private int row;
        private final float[] labelValues = new float[labelColumns.length];

        Reader() throws IOException {
            rewind();
        }

        @Override
        public boolean randomAccess() {
            return false;
        }

        @Override
        public boolean next(FloatBuffer x, FloatBuffer y) throws IOException {
            String line;
            do {
                line = in.readLine();
                lineNumber++;
                if (line == null) {
                    return false;
                }
            } while (line.isBlank() || header && lineNumber == 1);
            int column = 0;
            int labelIndex = 0;
            int start = 0;
            int xp = x.position();
            int written = 0;
            for (int i = 0; i <= line.length(); i++) {
                if (i < line.length() && line.charAt(i) != delimiter) {
                    continue;
                }
                if (column >= columns) {
                    throw wrongWidth(fields(line));
                }
                float v;
                String field = line.substring(start, i).trim();
                try {
                    v = Float.parseFloat(field);
                } catch (NumberFormatException e) {
                    throw new BadDataException("CSV file " + path.toAbsolutePath() + " line " + lineNumber + " (row "
                            + row + ") column " + column + ": \"" + abbreviate(field) + "\" is not a number; "
                            + (lineNumber == 1 && !header ? "if that line is a header, pass .header(true)"
                                    : "fix or drop that line"), row);
                }
                if (labelIndex < labelColumns.length && labelColumns[labelIndex] == column) {
                    labelValues[labelIndex++] = v;
                } else if (written < columns - labelColumns.length) {
                    x.put(xp + written++, v * scale);
                }
                column++;
                start = i + 1;
            }
            if (column != columns) {
                throw wrongWidth(column);
            }
            x.position(xp + written);
            if (classes > 0) {
                float c = labelValues[0];
                if (!(c >= 0 && c < classes && c == Math.rint(c))) {
                    throw new BadDataException("CSV file " + path.toAbsolutePath() + " line " + lineNumber + " (row "
                            + row + "): label " + c + " in column " + labelColumns[0] + " is outside the " + classes
                            + " classes [0, " + classes + "); pass the right number of classes or fix that label", row);
                }
                int p = y.position();
                for (int k = 0; k < classes; k++) {
                    y.put(p + k, 0f);
                }
                y.put(p + (int) c, 1f);
                y.position(p + classes);
            } else {
                y.put(labelValues);
            }
            row++;
            return true;
        }

        private BadDataException wrongWidth(int fields) {
            return new BadDataException("CSV file " + path.toAbsolutePath() + " line " + lineNumber + " (row " + row
                    + ") has " + fields + " fields but the first data line has " + columns + "; fix or drop that line",
                    row);
        }

        @Override
        public void rewind() throws IOException {
            close();
            in = reader();
            lineNumber = 0;
            row = 0;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
                in = null;
            }
        }
    }
}
