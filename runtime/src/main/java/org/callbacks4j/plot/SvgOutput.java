package org.callbacks4j.plot;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Graphics2D;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * SVG output of {@link HistoryPlot} through VectorGraphics2D, XChart's SVG backend. Kept apart from
 * {@link HistoryPlot} so that PNG plots load and run without VectorGraphics2D, an optional dependency that only SVG
 * needs ({@link PlotLibraries}).
 */
final class SvgOutput {

    private SvgOutput() {}

    /** Writes what {@code painter} draws on a {@code width} x {@code height} canvas to {@code out} as SVG. */
    static void write(OutputStream out, int width, int height, Consumer<Graphics2D> painter) throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        painter.accept(g);
        new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width, height)).writeTo(out);
    }
}
