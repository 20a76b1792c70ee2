package org.callbacks4j.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.HeadlessException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.callbacks4j.History;
import org.callbacks4j.internal.io.AtomicFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training curves of a {@link History}, drawn with XChart, as Keras users draw {@code history.history} with
 * matplotlib: {@code HistoryPlot.write(history, Path.of("curves.png"))}.
 *
 * <p>One chart per metric, in a grid of {@link #CHART_WIDTH} x {@link #CHART_HEIGHT} pixel cells (up to three in a
 * row): {@code loss} first, then the other metrics by name, each with its training series ({@code accuracy}, blue)
 * and its validation series ({@code val_accuracy}, orange) when the fit validated; {@code learning_rate} last, on its
 * own chart (green, on a logarithmic axis when it changed tenfold or more). The x axis counts epochs from 1, as
 * Keras's {@code Epoch 1/40} lines do, while {@link History#epochs()} counts from 0. The epoch an early stop restored
 * can be marked with a dashed red vertical line on every chart.
 *
 * <p>PNG or SVG, chosen by the file's extension; the file is replaced atomically ({@link AtomicFiles}). Rendering runs
 * off screen (no display needed); it needs fonts, which a headless JVM finds through fontconfig.
 */
public final class HistoryPlot {

    /** Width of one chart, in pixels. */
    public static final int CHART_WIDTH = 640;

    /** Height of one chart, in pixels. */
    public static final int CHART_HEIGHT = 420;

    // matplotlib's first colours, which Keras users know from their own history plots.
    static final Color TRAINING = new Color(0x1f77b4);
    static final Color VALIDATION = new Color(0xff7f0e);
    static final Color LEARNING_RATE = new Color(0x2ca02c);
    static final Color RESTORED = new Color(0xd62728);

    private static final String LEARNING_RATE_NAME = "learning_rate";
    private static final int MAX_COLUMNS = 3;
    private static final int MARKERS_UP_TO = 40; // points per series; beyond that the markers hide the line

    private HistoryPlot() {}

    /**
     * Draws {@code history} to {@code path}, PNG or SVG by its extension: one chart per metric with the training and
     * {@code val_} series over the epochs (numbered from 1 on the axis, as Keras's epoch lines), and
     * {@code learning_rate} on a chart of its own. The file is replaced atomically.
     *
     * @throws IllegalStateException if {@code history} has no epochs
     * @throws IllegalArgumentException if {@code path} ends in neither {@code .png} nor {@code .svg}
     * @throws IOException if the file cannot be written
     */
    public static void write(History history, Path path) throws IOException {
        write(history, path, OptionalInt.empty());
    }

    /**
     * Draws {@code history} to {@code path} (see the class comment).
     *
     * @param restoredEpoch the 0-based epoch whose weights an early stop restored, to mark; empty for no mark
     * @throws IllegalStateException if {@code history} has no epochs, or this JVM cannot render (no fonts)
     * @throws IllegalArgumentException if {@code path} ends in neither {@code .png} nor {@code .svg}, or
     *     {@code restoredEpoch} is not one of {@code history.epochs()}
     * @throws IllegalStateException if XChart (an optional dependency: README, "Plotting the curves") is not on the
     *     class path, or for {@code .svg} VectorGraphics2D
     * @throws IOException if the file cannot be written
     */
    public static void write(History history, Path path, OptionalInt restoredEpoch) throws IOException {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(path, "plot path is null; pass e.g. Path.of(\"runs/curves.png\")");
        Objects.requireNonNull(restoredEpoch, "restoredEpoch is null; pass OptionalInt.empty() for no mark");
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean svg = name.endsWith(".svg");
        if (!svg && !name.endsWith(".png")) {
            throw new IllegalArgumentException(
                    "plot path " + path + " ends in neither .png nor .svg; pass e.g. Path.of(\"curves.png\")");
        }
        PlotLibraries.require(path); // XChart is optional: name it, instead of a NoClassDefFoundError from below
        List<XYChart> charts = charts(history, restoredEpoch);
        int columns = columns(charts.size());
        int rows = (charts.size() + columns - 1) / columns;
        int width = columns * CHART_WIDTH;
        int height = rows * CHART_HEIGHT;
        AtomicFiles.write(path, out -> {
            try {
                if (svg) {
                    // In a class of its own: PNG plots must load without VectorGraphics2D (an optional dependency).
                    SvgOutput.write(out, width, height, g -> paint(g, charts, columns, width, height));
                } else {
                    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                    Graphics2D g = image.createGraphics();
                    try {
                        paint(g, charts, columns, width, height);
                    } finally {
                        g.dispose();
                    }
                    ImageIO.write(image, "png", out);
                }
            } catch (HeadlessException | LinkageError | InternalError e) {
                // What Java2D throws when it finds no fonts (fontconfig missing) or no graphics support at all.
                throw new IllegalStateException("cannot render the plot " + path + " in this JVM (" + e + "); a "
                        + "headless JVM needs fontconfig and a font, e.g. apt-get install fontconfig "
                        + "fonts-dejavu-core", e);
            }
        });
    }

    /** The charts for {@code history}, in display order. */
    static List<XYChart> charts(History history, OptionalInt restoredEpoch) {
        if (history.epochs().isEmpty()) {
            throw new IllegalStateException(
                    "this history has no epochs to plot; plot the History that Trainer.fit returns, after at least "
                            + "one epoch");
        }
        if (restoredEpoch.isPresent() && !history.epochs().contains(restoredEpoch.getAsInt())) {
            throw new IllegalArgumentException(
                    "restoredEpoch " + restoredEpoch.getAsInt() + " is not an epoch of this history, which ran epochs "
                            + history.epochs() + " (0-based); pass one of them, or OptionalInt.empty()");
        }
        TreeSet<String> bases = new TreeSet<>();
        for (String metric : history.metrics()) {
            bases.add(metric.startsWith("val_") ? metric.substring(4) : metric);
        }
        List<String> order = new ArrayList<>();
        if (bases.remove("loss")) {
            order.add("loss");
        }
        boolean learningRate = bases.remove(LEARNING_RATE_NAME);
        order.addAll(bases);
        if (learningRate) {
            order.add(LEARNING_RATE_NAME);
        }
        List<XYChart> charts = new ArrayList<>();
        for (String base : order) {
            charts.add(chart(history, base, restoredEpoch));
        }
        return charts;
    }

    /** Up to three charts in a row; more go into a square-ish grid. */
    static int columns(int charts) {
        return charts <= MAX_COLUMNS ? charts : (int) Math.ceil(Math.sqrt(charts));
    }

    private static XYChart chart(History history, String base, OptionalInt restoredEpoch) {
        XYChart chart = new XYChartBuilder()
                .width(CHART_WIDTH).height(CHART_HEIGHT).title(base).xAxisTitle("epoch").yAxisTitle(base).build();
        style(chart.getStyler());
        boolean lr = base.equals(LEARNING_RATE_NAME);
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        if (history.metrics().contains(base)) {
            XYSeries series = addSeries(chart, history, base, lr ? LEARNING_RATE : TRAINING, range);
            if (lr) {
                // A rate holds until a policy changes it: steps, not slopes between epochs.
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            }
        }
        if (!lr && history.metrics().contains("val_" + base)) {
            addSeries(chart, history, "val_" + base, VALIDATION, range);
        }
        if (lr && range[0] > 0 && range[1] >= 10 * range[0]) {
            chart.getStyler().setYAxisLogarithmic(true);
        }
        if (restoredEpoch.isPresent() && range[0] <= range[1]) {
            // A series rather than an annotation, so that the legend says what the line is.
            int epoch = restoredEpoch.getAsInt() + 1;
            double low = range[0] == range[1] ? range[0] - 0.5 * Math.max(1e-12, Math.abs(range[0])) : range[0];
            double high = range[0] == range[1] ? range[1] + 0.5 * Math.max(1e-12, Math.abs(range[1])) : range[1];
            XYSeries marker = chart.addSeries(
                    "restored: epoch " + epoch, new double[] {epoch, epoch}, new double[] {low, high});
            marker.setLineColor(RESTORED);
            marker.setLineStyle(new BasicStroke(
                    1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            marker.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** Adds {@code metric}'s values over its 1-based epochs; non-finite values become gaps. Widens {@code range}. */
    private static XYSeries addSeries(XYChart chart, History history, String metric, Color color, double[] range) {
        List<Double> values = history.get(metric);
        List<Integer> epochs = history.epochsOf(metric);
        double[] x = new double[values.size()];
        double[] y = new double[values.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = epochs.get(i) + 1;
            double v = values.get(i);
            y[i] = Double.isFinite(v) ? v : Double.NaN;
            if (Double.isFinite(v)) {
                range[0] = Math.min(range[0], v);
                range[1] = Math.max(range[1], v);
            }
        }
        XYSeries series = chart.addSeries(metric, x, y);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        series.setMarker(x.length <= MARKERS_UP_TO ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        return series;
    }

    private static void style(XYStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(new Color(0xb0b0b0));
        styler.setPlotGridLinesColor(new Color(0xe5e5e5));
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendPosition(LegendPosition.OutsideS);
        styler.setLegendLayout(LegendLayout.Horizontal);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setMarkerSize(5);
        styler.setChartPadding(12);
        styler.setLocale(Locale.ROOT);
        // Epochs are whole numbers: label only the ticks that fall on one.
        styler.setXAxisTickLabelsFormattingFunction(
                x -> x == Math.rint(x) ? Long.toString((long) Math.rint(x)) : "");
        styler.setXAxisTickMarkSpacingHint(60); // pixels between labels, fewer than XChart packs in
        // 0.08 rather than XChart's .08; enough digits for small learning rates.
        styler.setYAxisDecimalPattern("0.########");
    }

    private static void paint(Graphics2D g, List<XYChart> charts, int columns, int width, int height) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < charts.size(); i++) {
            Graphics2D cell = (Graphics2D) g.create(
                    (i % columns) * CHART_WIDTH, (i / columns) * CHART_HEIGHT, CHART_WIDTH, CHART_HEIGHT);
            try {
                charts.get(i).paint(cell, CHART_WIDTH, CHART_HEIGHT);
            } finally {
                cell.dispose();
            }
        }
    }
}
