package org.callbacks4j.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * A Keras {@code Progbar} ({@code verbose=1}) as a batch hook drives it: every batch records the running loss and
 * accuracy, and at most every {@code intervalNanos} (Keras: 50 ms) the line {@code 123/469 [=====>....] - loss: 0.4321
 * - accuracy: 0.8765} is redrawn. Rendering reuses one buffer and formats numbers by hand, so a batch allocates
 * nothing; with a null sink the line is rendered but not written (the dispatch benchmarks measure calls, not I/O).
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final Writer sink;
    private final long intervalNanos;
    private final StringBuilder line = new StringBuilder(128);
    private int batches;
    private long lastDraw;
    private long draws;

    /**
     * @param sink where lines go (a {@code \r} starts each redraw, a newline ends the epoch); null renders only
     * @param intervalNanos the least time between two redraws
     */
    public ProgressBar(Writer sink, long intervalNanos) {
        this.sink = sink;
        this.intervalNanos = intervalNanos;
    }

    /** Starts an epoch of {@code batches} batches. */
    public void start(int batches) {
        this.batches = batches;
        this.lastDraw = System.nanoTime();
    }

    /** Records batch {@code batch} (0-based) with the running means; redraws when the interval has passed. */
    public void update(int batch, double loss, double accuracy) {
        long now = System.nanoTime();
        if (now - lastDraw >= intervalNanos || batch == batches - 1) {
            lastDraw = now;
            draw(batch + 1, loss, accuracy);
        }
    }

    /** Ends the epoch's line. */
    public void finish() {
        if (sink != null) {
            try {
                sink.write('\n');
                sink.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** How many times a line was drawn (so that the work cannot be optimised away). */
    public long draws() {
        return draws;
    }

    private void draw(int done, double loss, double accuracy) {
        draws++;
        StringBuilder sb = line;
        sb.setLength(0);
        sb.append('\r').append(done).append('/').append(batches).append(" [");
        int filled = batches == 0 ? WIDTH : (int) ((long) WIDTH * done / batches);
        for (int i = 0; i < WIDTH; i++) {
            sb.append(i < filled - 1 || done == batches && i < filled ? '=' : i == filled - 1 ? '>' : '.');
        }
        sb.append("] - loss: ");
        appendFixed4(sb, loss);
        sb.append(" - accuracy: ");
        appendFixed4(sb, accuracy);
        if (sink != null) {
            try {
                sink.append(sb);
                sink.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code %.4f} without {@link String#format}'s allocations. */
    static void appendFixed4(StringBuilder sb, double v) {
        if (!Double.isFinite(v) || Math.abs(v) >= 1e12) {
            sb.append(v);
            return;
        }
        long scaled = Math.round(Math.abs(v) * 10_000);
        if (v < 0 && scaled != 0) {
            sb.append('-');
        }
        sb.append(scaled / 10_000).append('.');
        long frac = scaled % 10_000;
        for (long d = 1_000; d > 0; d /= 10) {
            sb.append((char) ('0' + frac / d % 10));
        }
    }
}
