package org.callbacks4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Batches of a {@link BatchSource} for the trainer, read ahead by a background thread into a fixed set of preallocated
 * float32 arrays (up to 8 MiB of them: 20 batches of 128 Fashion-MNIST rows), so the training thread only waits when
 * the disk cannot keep up, and nothing is allocated per batch. Used by the trainer; a user does not need it.
 *
 * <p>The rows of epoch {@code e} come in an order that depends only on the seed, {@code e} and the source's values:
 * <ul>
 *   <li>random-access sources: Fisher-Yates over all row indices with {@code SplittableRandom(seed +
 *       0x9E3779B97F4A7C15 * (e + 1))}, the permutation the trainer applies to an in-memory {@link Dataset}, so a
 *       source and a {@code Dataset} of the same values train identically;
 *   <li>sequential sources: the file order through a shuffle buffer of {@link BatchSource#shuffleBuffer()} rows (each
 *       output row drawn uniformly from the buffer, its slot refilled from the file), drawn from the same generator.
 * </ul>
 * Starting an epoch at batch {@code b} (resuming a backup) gives the rows the full epoch gives from batch {@code b}:
 * random access jumps there, a sequential source replays the epoch's first {@code b} batches without handing them out.
 *
 * <p>Each row can carry a weight (Keras {@code sample_weight} times {@code class_weight} of the row's class), handed
 * out as a {@code [rows, 1]} array beside the batch.
 */
public final class BatchStream implements AutoCloseable {

    /**
     * Batch buffers: one the trainer uses, the others being filled or ready. As many as fit in 8 MiB (at least 3, at
     * most 32), so that the reader can run ahead by several batches and absorb the scheduling delays of a busy
     * machine (a thread that waits for a core for tens of milliseconds), not just the next batch's read.
     */
    private static final long BUFFER_BYTES = 8L << 20;

    private final BatchSource source;
    private final String what;
    private final int rows;
    private final int batchSize;
    private final int count;
    private final boolean shuffle;
    private final long seed;
    private final float[] sampleWeights;
    private final float[] classWeights;
    private final int featureWidth;
    private final int labelWidth;
    private final BlockingQueue<Batch> free;
    private final BlockingQueue<Batch> filled;
    private final BlockingQueue<Epoch> commands = new ArrayBlockingQueue<>(1);
    private final Batch end = new Batch();
    private Thread thread;
    private final boolean randomAccess;
    private Epoch running;
    private Batch current;
    private boolean closed;

    /**
     * A stream over all rows of {@code source} in batches of {@code batchSize}; {@code what} names it in messages
     * ("training", "validation"). {@code sampleWeights} (one per row, or null) and {@code classWeights} (one per label
     * column, or null) make weighted batches.
     */
    public BatchStream(BatchSource source, String what, int batchSize, boolean shuffle, long seed,
            float[] sampleWeights, float[] classWeights) {
        this.source = source;
        this.what = what;
        this.rows = source.size();
        this.batchSize = batchSize;
        this.count = (rows + batchSize - 1) / batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.sampleWeights = sampleWeights;
        this.classWeights = classWeights;
        this.featureWidth = source.featureWidth();
        this.labelWidth = source.labelWidth();
        int lastRows = rows - (count - 1) * batchSize;
        boolean weighted = sampleWeights != null || classWeights != null;
        long batchBytes = 4L * Math.min(batchSize, rows) * (featureWidth + labelWidth + 1);
        int buffers = (int) Math.max(3, Math.min(32, BUFFER_BYTES / batchBytes));
        free = new ArrayBlockingQueue<>(buffers);
        filled = new ArrayBlockingQueue<>(buffers + 2);
        for (int i = 0; i < buffers; i++) {
            free.add(new Batch(Math.min(batchSize, rows), lastRows, weighted));
        }
        // The reader and its thread start with the first epoch: a stream that never runs holds no file or thread.
        try (RowReader probe = source.open()) {
            this.randomAccess = probe.randomAccess();
        } catch (IOException e) {
            throw new UncheckedIOException(what + " data " + source.describe() + " could not be opened: "
                    + e.getMessage(), e);
        }
    }

    private void startThread() {
        RowReader reader;
        try {
            reader = source.open();
        } catch (IOException e) {
            throw new UncheckedIOException(what + " data " + source.describe() + " could not be opened: "
                    + e.getMessage(), e);
        }
        thread = new Thread(() -> produce(reader), "callbacks4j-batches-" + what);
        thread.setDaemon(true);
        thread.start();
    }

    /** Batches per epoch. */
    public int batchCount() {
        return count;
    }

    /** How an epoch's rows are ordered, for backups and messages. */
    public String order() {
        if (!shuffle) {
            return "in order";
        }
        return randomAccess ? "shuffled by index permutation" : "shuffled through a " + source.shuffleBuffer()
                + "-row buffer";
    }

    /**
     * Starts reading epoch {@code epoch} from batch {@code firstBatch}; what is left of the previous epoch is
     * dropped. The next {@link #next()} returns batch {@code firstBatch}.
     */
    public void startEpoch(int epoch, int firstBatch) {
        if (closed) {
            throw new IllegalStateException("the " + what + " stream is closed");
        }
        if (thread == null) {
            startThread();
        }
        cancel();
        running = new Epoch(epoch, firstBatch);
        commands.add(running);
    }

    /**
     * The next batch of the epoch; valid until the next call (its arrays are then refilled).
     *
     * @throws BadDataException or {@link UncheckedIOException} if reading failed
     */
    public Batch next() {
        if (current != null) {
            free.add(current);
            current = null;
        }
        Batch b = take();
        if (b.error != null) {
            Throwable e = b.error;
            take(); // the end marker
            running = null;
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(what + " data " + source.describe() + ": " + io.getMessage(), io);
            }
            throw new IllegalStateException(what + " data " + source.describe() + ": " + e, e);
        }
        if (b == end) {
            running = null;
            throw new IllegalStateException("no batch left in this epoch of the " + what + " data");
        }
        current = b;
        return b;
    }

    /** Stops the background thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (thread == null) {
            return;
        }
        cancel();
        commands.add(Epoch.CLOSE);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drops the rest of the running epoch: the producer stops at the next batch and sends its end marker. */
    private void cancel() {
        if (current != null) {
            free.add(current);
            current = null;
        }
        if (running == null) {
            return;
        }
        running.cancelled = true;
        for (Batch b = take(); b != end; b = take()) {
            if (b.error == null) {
                free.add(b);
            }
        }
        running = null;
    }

    private Batch take() {
        try {
            return filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what + " data", e);
        }
    }

    // ---- the background thread ----

    private void produce(RowReader reader) {
        try (reader) {
            int[] order = null;
            ShuffleBuffer buffer = null;
            for (Epoch e = commands.take(); e != Epoch.CLOSE; e = commands.take()) {
                try {
                    if (reader.randomAccess()) {
                        if (order == null) {
                            order = new int[rows];
                        }
                        permutation(order, shuffle, seed, e.epoch);
                        produceRandom(reader, order, e);
                    } else {
                        if (shuffle && buffer == null) {
                            buffer = new ShuffleBuffer(Math.min(source.shuffleBuffer(), rows));
                        }
                        produceSequential(reader, shuffle ? buffer : null, e);
                    }
                } catch (Throwable t) {
                    Batch error = new Batch();
                    error.error = t;
                    filled.put(error);
                } finally {
                    filled.put(end);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // closing the reader at the end: nothing is read any more
        }
    }

    /**
     * Epoch {@code epoch}'s order of row indices into {@code order}: identity, or Fisher-Yates drawn from the seed
     * and the epoch (the trainer's in-memory shuffle).
     */
    public static void permutation(int[] order, boolean shuffle, long seed, int epoch) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (!shuffle) {
            return;
        }
        SplittableRandom random = epochRandom(seed, epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private static SplittableRandom epochRandom(long seed, int epoch) {
        return new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (epoch + 1L));
    }

    private void produceRandom(RowReader reader, int[] order, Epoch e) throws IOException, InterruptedException {
        for (int b = e.firstBatch; b < count && !e.cancelled; b++) {
            Batch out = free.take();
            int from = b * batchSize;
            int n = Math.min(batchSize, rows - from);
            out.begin(b, n);
            for (int i = 0; i < n; i++) {
                int row = order[from + i];
                reader.read(row, out.xb, out.yb);
                out.weigh(i, row);
            }
            filled.put(out);
        }
    }

    private void produceSequential(RowReader reader, ShuffleBuffer buffer, Epoch e)
            throws IOException, InterruptedException {
        reader.rewind();
        SplittableRandom random = buffer == null ? null : epochRandom(seed, e.epoch);
        if (buffer != null) {
            buffer.fill(reader);
        }
        int produced = 0;
        for (int b = 0; b < count && !e.cancelled; b++) {
            int n = Math.min(batchSize, rows - b * batchSize);
            boolean keep = b >= e.firstBatch;
            Batch out = keep ? free.take() : null;
            if (keep) {
                out.begin(b, n);
            }
            for (int i = 0; i < n; i++) {
                int row;
                if (buffer != null) {
                    row = buffer.draw(random, reader, keep ? out : null);
                } else if (keep) {
                    row = produced;
                    requireRow(reader.next(out.xb, out.yb), produced);
                } else {
                    row = produced;
                    requireRow(reader.next(scratchX(), scratchY()), produced);
                }
                if (keep) {
                    out.weigh(i, row);
                }
                produced++;
            }
            if (keep) {
                filled.put(out);
            }
        }
    }

    private FloatBuffer scratchX;
    private FloatBuffer scratchY;

    private FloatBuffer scratchX() {
        if (scratchX == null) {
            scratchX = FloatBuffer.allocate(featureWidth);
        }
        return scratchX.clear();
    }

    private FloatBuffer scratchY() {
        if (scratchY == null) {
            scratchY = FloatBuffer.allocate(labelWidth);
        }
        return scratchY.clear();
    }

    private void requireRow(boolean read, int row) {
        if (!read) {
            throw new BadDataException(what + " data " + source.describe() + " ended after " + row + " rows but "
                    + "announced " + rows + "; the data changed since the source was made, make it again", row);
        }
    }

    /** Rows waiting to be drawn, with their row indices (for sample weights). */
    private final class ShuffleBuffer {
        final float[][] x;
        final float[][] y;
        final FloatBuffer[] xb;
        final FloatBuffer[] yb;
        final int[] row;
        int size;
        int nextRow;

        ShuffleBuffer(int capacity) {
            x = new float[capacity][featureWidth];
            y = new float[capacity][labelWidth];
            xb = new FloatBuffer[capacity];
            yb = new FloatBuffer[capacity];
            row = new int[capacity];
            for (int i = 0; i < capacity; i++) {
                xb[i] = FloatBuffer.wrap(x[i]);
                yb[i] = FloatBuffer.wrap(y[i]);
            }
        }

        void fill(RowReader reader) throws IOException {
            size = 0;
            nextRow = 0;
            while (size < x.length && read(reader, size)) {
                size++;
            }
        }

        private boolean read(RowReader reader, int slot) throws IOException {
            if (nextRow >= rows) {
                return false;
            }
            requireRow(reader.next(xb[slot].clear(), yb[slot].clear()), nextRow);
            row[slot] = nextRow++;
            return true;
        }

        /** Draws a row (into {@code out} unless null), refills its slot, and returns its row index. */
        int draw(SplittableRandom random, RowReader reader, Batch out) throws IOException {
            int j = random.nextInt(size);
            int drawn = row[j];
            if (out != null) {
                out.xb.put(x[j]);
                out.yb.put(y[j]);
            }
            if (!read(reader, j)) {
                size--;
                float[] tx = x[j];
                x[j] = x[size];
                x[size] = tx;
                float[] ty = y[j];
                y[j] = y[size];
                y[size] = ty;
                FloatBuffer bx = xb[j];
                xb[j] = xb[size];
                xb[size] = bx;
                FloatBuffer by = yb[j];
                yb[j] = yb[size];
                yb[size] = by;
                row[j] = row[size];
            }
            return drawn;
        }
    }

    /** One epoch to read, or {@link #CLOSE}. */
    private static final class Epoch {
        static final Epoch CLOSE = new Epoch(-1, -1);
        final int epoch;
        final int firstBatch;
        volatile boolean cancelled;

        Epoch(int epoch, int firstBatch) {
            this.epoch = epoch;
            this.firstBatch = firstBatch;
        }
    }

    /** One batch: features, labels and (when weighted) weights, as arrays of the batch's rows. */
    public final class Batch {
        // The full-size arrays own the native memory the buffers write to: kept so it is not freed.
        private final INDArray fullX;
        private final INDArray fullY;
        private final INDArray fullW;
        private final INDArray lastX;
        private final INDArray lastY;
        private final INDArray lastW;
        private final FloatBuffer xb;
        private final FloatBuffer yb;
        private final FloatBuffer wb;
        private final int fullRows;
        private int rowsInBatch;
        private int index;
        private Throwable error;

        private Batch() {
            fullX = fullY = fullW = lastX = lastY = lastW = null;
            xb = yb = wb = null;
            fullRows = 0;
        }

        private Batch(int fullRows, int lastRows, boolean weighted) {
            this.fullRows = fullRows;
            fullX = Nd4j.create(DataType.FLOAT, fullRows, featureWidth);
            fullY = Nd4j.create(DataType.FLOAT, fullRows, labelWidth);
            fullW = weighted ? Nd4j.create(DataType.FLOAT, fullRows, 1) : null;
            lastX = lastRows == fullRows ? fullX : fullX.get(NDArrayIndex.interval(0, lastRows), NDArrayIndex.all());
            lastY = lastRows == fullRows ? fullY : fullY.get(NDArrayIndex.interval(0, lastRows), NDArrayIndex.all());
            lastW = !weighted || lastRows == fullRows ? fullW
                    : fullW.get(NDArrayIndex.interval(0, lastRows), NDArrayIndex.all());
            xb = fullX.data().asNioFloat();
            yb = fullY.data().asNioFloat();
            wb = weighted ? fullW.data().asNioFloat() : null;
        }

        private void begin(int batch, int n) {
            index = batch;
            rowsInBatch = n;
            xb.clear();
            yb.clear();
        }

        /** Row {@code i}'s weight from its source row index and its labels (just written to {@code yb}). */
        private void weigh(int i, int row) {
            if (wb == null) {
                return;
            }
            float w = sampleWeights != null ? sampleWeights[row] : 1f;
            if (classWeights != null) {
                int base = i * labelWidth;
                int best = 0;
                if (labelWidth == 1) {
                    best = yb.get(base) > 0.5f ? 1 : 0;
                } else {
                    for (int k = 1; k < labelWidth; k++) {
                        if (yb.get(base + k) > yb.get(base + best)) {
                            best = k;
                        }
                    }
                }
                w *= best < classWeights.length ? classWeights[best] : 1f;
            }
            wb.put(i, w);
        }

        /** Features {@code [rows(), featureWidth]}. */
        public INDArray x() {
            return rowsInBatch == fullRows ? fullX : lastX;
        }

        /** Labels {@code [rows(), labelWidth]}. */
        public INDArray y() {
            return rowsInBatch == fullRows ? fullY : lastY;
        }

        /** Weights {@code [rows(), 1]}, or null when the stream is not weighted. */
        public INDArray w() {
            return fullW == null ? null : rowsInBatch == fullRows ? fullW : lastW;
        }

        public int rows() {
            return rowsInBatch;
        }

        /** The batch's index in its epoch. */
        public int index() {
            return index;
        }
    }
}
