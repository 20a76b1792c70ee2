package org.callbacks4j.internal.progress;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The trainer's progress output, Keras's {@code ProgbarLogger}, selected by {@code Fit.verbose}:
 *
 * <ul>
 *   <li>0: nothing.
 *   <li>1 on a terminal: {@code Epoch 3/40}, then a bar redrawn in place ({@code \r}) while the epoch runs,
 *       {@code 12/39 [========>.....................] - ETA: 1s - loss: 0.4321 - accuracy: 0.8800}, ending with
 *       {@code 39/39 [==============================] - 1s 25ms/step - loss: ... - val_loss: ...}.
 *   <li>2, or 1 when the output is not a terminal (a pipe, a file, a CI log): one line per epoch and no control
 *       characters, {@code Epoch 3/40 - 39/39 - 1s 25ms/step - loss: 0.4321 - ... - val_accuracy: 0.8800}.
 * </ul>
 *
 * <p>Values are listed in the order the fit defines them ({@code loss}, the compiled metrics, {@code val_} ones, then
 * names that policies add such as {@code learning_rate}), as Keras 2's bar does. The epoch line shows the epoch's
 * final logs, after validation and the epoch-end hooks.
 *
 * <p>Cost: the trainer asks {@link #redrawDue()} after each batch; that is one clock read when a live bar is showing
 * and a field read otherwise. Only when it answers true (at most every {@link #REDRAW_INTERVAL_NANOS}, and at the
 * first batch) does the trainer compute the epoch-to-date means (a copy to the host) and call {@link #update}.
 * Nothing is allocated per batch between redraws.
 *
 * <p>Not thread-safe: one per fit, called on the training thread.
 */
public final class ProgbarLogger {

    /** Minimum time between two redraws of the live bar: 150 ms (Keras redraws at most every 50 ms). */
    public static final long REDRAW_INTERVAL_NANOS = 150_000_000L;

    /** Width of the bar between the brackets, as Keras. */
    static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final boolean live;
    private final boolean silent;
    private final LongSupplier clock;
    private final StringBuilder line = new StringBuilder(256);

    private int epochs;
    private int steps;
    private long epochStart;
    private long lastDraw;
    private int lastWidth;

    ProgbarLogger(int verbose, PrintStream out, boolean terminal, LongSupplier clock) {
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException("verbose " + verbose + " is not 0, 1 or 2");
        }
        this.out = Objects.requireNonNull(out, "out");
        this.silent = verbose == 0;
        this.live = verbose == 1 && terminal;
        this.clock = clock;
    }

    /**
     * The progress output for {@code Fit.verbose} {@code verbose} on {@code out}.
     *
     * @param terminal whether {@code out} is a terminal that shows {@code \r} redraws (see {@link #isTerminal})
     */
    public static ProgbarLogger create(int verbose, PrintStream out, boolean terminal) {
        return new ProgbarLogger(verbose, out, terminal, System::nanoTime);
    }

    /**
     * Whether {@code out} is the standard output of this JVM and that is an interactive terminal: a console exists
     * (standard input and output are both terminals) and, on Java 22 and later, where {@code System.console()} also
     * exists for redirected output, {@code Console.isTerminal()} says so.
     */
    public static boolean isTerminal(PrintStream out) {
        if (out != System.out) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+: System.console() may be a console over a pipe; isTerminal tells. Absent before 22.
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Whether a live bar is drawn (verbose 1 on a terminal). */
    public boolean live() {
        return live;
    }

    /** Starts epoch {@code epoch} (0-based) of {@code epochs}, which runs {@code steps} batches. */
    public void onEpochBegin(int epoch, int epochs, int steps) {
        this.epochs = epochs;
        this.steps = steps;
        if (silent) {
            return;
        }
        epochStart = clock.getAsLong();
        lastDraw = Long.MIN_VALUE;
        lastWidth = 0;
        if (live) {
            out.println("Epoch " + (epoch + 1) + "/" + epochs);
            out.flush();
        }
    }

    /**
     * Whether the live bar should be redrawn now: true at the first batch of an epoch and then at most every
     * {@link #REDRAW_INTERVAL_NANOS}. Always false unless {@link #live()}. Cheap enough to ask after every batch.
     */
    public boolean redrawDue() {
        return live && (lastDraw == Long.MIN_VALUE || clock.getAsLong() - lastDraw >= REDRAW_INTERVAL_NANOS);
    }

    /**
     * Redraws the live bar after {@code step} (1-based) batches, with the epoch-to-date values in {@code logs}. Call
     * only when {@link #redrawDue()}.
     */
    public void update(int step, ProgressValues logs) {
        if (!live) {
            return;
        }
        long now = clock.getAsLong();
        lastDraw = now;
        line.setLength(0);
        appendBar(line, step, steps);
        double perStep = (now - epochStart) / 1e9 / step;
        line.append(" - ETA: ").append(formatEta(perStep * (steps - step)));
        appendValues(line, logs);
        redraw(false);
    }

    /**
     * Ends epoch {@code epoch} after {@code stepsRun} batches (fewer than planned if training stopped inside the
     * epoch), with its final {@code logs}: the Keras epoch line.
     */
    public void onEpochEnd(int epoch, int stepsRun, ProgressValues logs) {
        if (silent) {
            return;
        }
        double seconds = (clock.getAsLong() - epochStart) / 1e9;
        line.setLength(0);
        if (live) {
            appendBar(line, stepsRun, steps);
        } else {
            line.append("Epoch ").append(epoch + 1).append('/').append(epochs).append(" - ");
            appendCount(line, stepsRun, steps);
        }
        line.append(" - ").append(formatSeconds(seconds)).append(' ')
                .append(formatStepTime(stepsRun == 0 ? 0 : seconds / stepsRun));
        appendValues(line, logs);
        if (live) {
            redraw(true);
        } else {
            out.println(line);
            out.flush();
        }
    }

    private void redraw(boolean last) {
        int width = line.length();
        for (int i = width; i < lastWidth; i++) {
            line.append(' '); // clears the tail of a longer previous line
        }
        lastWidth = width;
        out.print('\r');
        out.print(line);
        if (last) {
            out.println();
        }
        out.flush();
    }

    /** {@code  9/39} with the count right-aligned to the total's width, as Keras. */
    static void appendCount(StringBuilder sb, int current, int target) {
        String total = Integer.toString(target);
        String done = Integer.toString(current);
        for (int i = done.length(); i < total.length(); i++) {
            sb.append(' ');
        }
        sb.append(done).append('/').append(total);
    }

    /** {@code 12/39 [========>.....................]}: Keras's bar, {@value #BAR_WIDTH} wide. */
    static void appendBar(StringBuilder sb, int current, int target) {
        appendCount(sb, current, target);
        sb.append(" [");
        int filled = target == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * current / target);
        for (int i = 0; i < filled - 1; i++) {
            sb.append('=');
        }
        if (filled > 0) {
            sb.append(current < target ? '>' : '=');
        }
        for (int i = filled; i < BAR_WIDTH; i++) {
            sb.append('.');
        }
        sb.append(']');
    }

    private static void appendValues(StringBuilder sb, ProgressValues logs) {
        for (int slot = 0; slot < logs.slotCount(); slot++) {
            if (logs.has(slot)) {
                sb.append(" - ").append(logs.name(slot)).append(": ").append(formatValue(logs.get(slot)));
            }
        }
    }

    /** Keras's value format: 4 decimals, or scientific notation for magnitudes below 1e-3. */
    public static String formatValue(double v) {
        return Math.abs(v) >= 1e-3 || v == 0 || !Double.isFinite(v)
                ? String.format(Locale.ROOT, "%.4f", v)
                : String.format(Locale.ROOT, "%.4e", v);
    }

    /** Keras's ETA: {@code 7s}, {@code 2:05}, {@code 1:02:05}. */
    static String formatEta(double seconds) {
        long s = (long) seconds;
        if (seconds > 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
        } else if (seconds > 60) {
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
        return s + "s";
    }

    /** Keras's epoch time: whole seconds, rounded. */
    static String formatSeconds(double seconds) {
        return String.format(Locale.ROOT, "%.0fs", seconds);
    }

    /** Keras's time per step: {@code 2s/step}, {@code 25ms/step} or {@code 310us/step}. */
    static String formatStepTime(double seconds) {
        if (seconds >= 1 || seconds == 0) {
            return String.format(Locale.ROOT, "%.0fs/step", seconds);
        } else if (seconds >= 1e-3) {
            return String.format(Locale.ROOT, "%.0fms/step", seconds * 1e3);
        }
        return String.format(Locale.ROOT, "%.0fus/step", seconds * 1e6);
    }
}
