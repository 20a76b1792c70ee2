package org.callbacks4j.plot;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.callbacks4j.History;
import org.callbacks4j.internal.train.HistoryRecorder;
import org.callbacks4j.internal.train.SlotLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** Renders histories and reads the files back: size, which series were drawn where, the restored-epoch mark. */
class HistoryPlotTest {

    private static final int W = HistoryPlot.CHART_WIDTH;
    private static final int H = HistoryPlot.CHART_HEIGHT;

    @TempDir
    Path dir;

    /** Twelve epochs of a typical run: loss falls, accuracy rises, the learning rate is halved twice. */
    private static History typical(boolean validation, boolean learningRate) {
        HistoryRecorder recorder = new HistoryRecorder();
        SlotLogs logs = new SlotLogs(List.of("loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"));
        for (int e = 0; e < 12; e++) {
            logs.clear();
            logs.put("loss", 1.2 * Math.exp(-0.3 * e) + 0.05);
            logs.put("accuracy", 0.95 - 0.6 * Math.exp(-0.4 * e));
            if (validation) {
                logs.put("val_loss", 1.3 * Math.exp(-0.25 * e) + 0.1 + 0.01 * e);
                logs.put("val_accuracy", 0.9 - 0.55 * Math.exp(-0.35 * e));
            }
            if (learningRate) {
                logs.put("learning_rate", e < 5 ? 1e-3 : e < 9 ? 5e-4 : 2.5e-4);
            }
            recorder.record(e, logs);
        }
        return recorder.build();
    }

    private static BufferedImage read(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        return image;
    }

    /** Pixels of exactly {@code color} inside the plot area of chart cell {@code cell} (first row). */
    private static int count(BufferedImage image, int cell, Color color) {
        int n = 0;
        for (int y = 0; y < H - 70; y++) { // above the legend, which sits below the plot
            for (int x = cell * W; x < (cell + 1) * W; x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (color.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Mean row of the pixels of {@code color} in columns [from, to) of the first row's plot areas. */
    private static double meanRow(BufferedImage image, int from, int to, Color color) {
        long sum = 0;
        int n = 0;
        for (int y = 0; y < H - 70; y++) {
            for (int x = from; x < to; x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (color.getRGB() & 0xffffff)) {
                    sum += y;
                    n++;
                }
            }
        }
        assertThat(n).isGreaterThan(0);
        return (double) sum / n;
    }

    @Test
    void pngHasOneChartPerMetricWithLossFirstAndLearningRateLast() throws IOException {
        Path png = dir.resolve("curves.png");
        HistoryPlot.write(typical(true, true), png);
        BufferedImage image = read(png);
        // loss, accuracy, learning_rate: one row of three charts.
        assertThat(image.getWidth()).isEqualTo(3 * W);
        assertThat(image.getHeight()).isEqualTo(H);
        for (int cell = 0; cell < 2; cell++) {
            assertThat(count(image, cell, HistoryPlot.TRAINING)).isGreaterThan(200);
            assertThat(count(image, cell, HistoryPlot.VALIDATION)).isGreaterThan(200);
            assertThat(count(image, cell, HistoryPlot.LEARNING_RATE)).isEqualTo(0);
        }
        assertThat(count(image, 2, HistoryPlot.LEARNING_RATE)).isGreaterThan(200);
        assertThat(count(image, 2, HistoryPlot.TRAINING)).isEqualTo(0);
        assertThat(count(image, 2, HistoryPlot.VALIDATION)).isEqualTo(0);
        assertThat(count(image, 0, HistoryPlot.RESTORED)).isEqualTo(0);
        // The curves follow the data: loss starts high (small row index) and ends low; accuracy the other way.
        assertThat(meanRow(image, 60, 200, HistoryPlot.TRAINING))
                .isLessThan(meanRow(image, W - 200, W - 20, HistoryPlot.TRAINING));
        assertThat(meanRow(image, W + 60, W + 200, HistoryPlot.TRAINING))
                .isGreaterThan(meanRow(image, 2 * W - 200, 2 * W - 20, HistoryPlot.TRAINING));
    }

    @Test
    void withoutValidationOnlyTheTrainingSeriesIsDrawn() throws IOException {
        Path png = dir.resolve("train-only.png");
        HistoryPlot.write(typical(false, false), png);
        BufferedImage image = read(png);
        assertThat(image.getWidth()).isEqualTo(2 * W);
        assertThat(count(image, 0, HistoryPlot.TRAINING)).isGreaterThan(200);
        assertThat(count(image, 0, HistoryPlot.VALIDATION)).isEqualTo(0);
        assertThat(count(image, 1, HistoryPlot.VALIDATION)).isEqualTo(0);
    }

    @Test
    void theRestoredEpochIsMarkedOnEveryChart() throws IOException {
        Path png = dir.resolve("restored.png");
        HistoryPlot.write(typical(true, true), png, OptionalInt.of(6));
        BufferedImage image = read(png);
        for (int cell = 0; cell < 3; cell++) {
            assertThat(count(image, cell, HistoryPlot.RESTORED)).isGreaterThan(50);
        }
    }

    @Test
    void svgDrawsEverySeriesInItsColourAndIsWellFormed() throws Exception {
        Path svg = dir.resolve("curves.svg");
        HistoryPlot.write(typical(true, true), svg, OptionalInt.of(6));
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        // XChart draws text as outlines, so the names are not in the file; the series' strokes are.
        for (Color color : List.of(HistoryPlot.TRAINING, HistoryPlot.VALIDATION, HistoryPlot.LEARNING_RATE,
                HistoryPlot.RESTORED)) {
            assertThat(text).contains(
                    "stroke:rgb(" + color.getRed() + "," + color.getGreen() + "," + color.getBlue() + ")");
        }
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getAttribute("viewBox")).isEqualTo("0 0 " + 3 * W + " " + H);

        HistoryPlot.write(typical(true, false), svg);
        assertThat(Files.readString(svg, StandardCharsets.UTF_8)).doesNotContain("stroke:rgb(214,39,40)");
    }

    @Test
    void anEmptyHistoryIsAClearError() {
        History empty = new HistoryRecorder().build();
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> HistoryPlot.write(empty, dir.resolve("empty.png")));
        assertThat(e).hasMessageThat().contains("no epochs to plot");
        assertThat(Files.exists(dir.resolve("empty.png"))).isFalse();
    }

    @Test
    void anUnknownExtensionIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HistoryPlot.write(typical(true, false), dir.resolve("curves.jpg")));
        assertThat(e).hasMessageThat().contains("curves.jpg ends in neither .png nor .svg");
    }

    @Test
    void aRestoredEpochThatDidNotRunIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HistoryPlot.write(typical(true, false), dir.resolve("c.png"), OptionalInt.of(12)));
        assertThat(e).hasMessageThat().contains("restoredEpoch 12 is not an epoch of this history");
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path png = dir.resolve("curves.png");
        Files.writeString(png, "old");
        HistoryPlot.write(typical(true, false), png);
        assertThat(read(png).getWidth()).isEqualTo(2 * W);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("curves.png");
        }
    }

    @Test
    void seriesThatSkipEpochsAndNonFiniteValuesStillPlot() throws IOException {
        HistoryRecorder recorder = new HistoryRecorder();
        SlotLogs logs = new SlotLogs(List.of("loss", "val_loss"));
        for (int e = 3; e < 9; e++) { // resumed at epoch 3
            logs.clear();
            logs.put("loss", e == 8 ? Double.NaN : 1.0 / e);
            if (e % 2 == 0) {
                logs.put("val_loss", e == 6 ? Double.POSITIVE_INFINITY : 1.5 / e);
            }
            recorder.record(e, logs);
        }
        History history = recorder.build();
        assertThat(history.epochsOf("val_loss")).containsExactly(4, 6, 8).inOrder();
        assertThat(history.epochsOf("loss")).containsExactly(3, 4, 5, 6, 7, 8).inOrder();
        Path png = dir.resolve("gaps.png");
        HistoryPlot.write(history, png, OptionalInt.of(4));
        BufferedImage image = read(png);
        assertThat(image.getWidth()).isEqualTo(W);
        assertThat(count(image, 0, HistoryPlot.TRAINING)).isGreaterThan(100);
        assertThat(count(image, 0, HistoryPlot.VALIDATION)).isGreaterThan(10);
    }

    @Test
    void manyMetricsGoIntoAGrid() {
        assertThat(HistoryPlot.columns(1)).isEqualTo(1);
        assertThat(HistoryPlot.columns(3)).isEqualTo(3);
        assertThat(HistoryPlot.columns(4)).isEqualTo(2);
        assertThat(HistoryPlot.columns(5)).isEqualTo(3);
        assertThat(HistoryPlot.columns(10)).isEqualTo(4);
        HistoryRecorder recorder = new HistoryRecorder();
        SlotLogs logs = new SlotLogs(List.of("loss", "mae", "mse", "zeta", "learning_rate"));
        for (String name : List.of("loss", "mae", "mse", "zeta", "learning_rate")) {
            logs.put(name, 1);
        }
        recorder.record(0, logs);
        assertThat(HistoryPlot.charts(recorder.build(), OptionalInt.empty()).stream().map(c -> c.getTitle()))
                .containsExactly("loss", "mae", "mse", "zeta", "learning_rate").inOrder();
    }
}
