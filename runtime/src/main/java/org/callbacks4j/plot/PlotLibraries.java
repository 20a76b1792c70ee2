package org.callbacks4j.plot;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks that the plotting libraries are on the class path before any class that uses them is loaded. XChart (and,
 * for SVG, VectorGraphics2D) are optional dependencies of the runtime: a project that never plots does not carry
 * them, and one that plots declares them (README, "Plotting the curves"). Without this check the first call would
 * fail with a bare {@link NoClassDefFoundError} from deep inside {@link HistoryPlot}.
 */
public final class PlotLibraries {

    /** The versions the runtime is built and tested with; the BOM manages the same. */
    static final String XCHART = "org.knowm.xchart:xchart:4.0.3";
    static final String VECTOR_GRAPHICS = "de.erichseifert.vectorgraphics2d:VectorGraphics2D:0.13";

    private PlotLibraries() {}

    /**
     * Throws unless the libraries that drawing to {@code path} needs can be loaded.
     *
     * @throws IllegalStateException naming the missing dependency and its coordinates
     */
    public static void require(Path path) {
        require("org.knowm.xchart.XYChart", XCHART, "HistoryPlot.write");
        String name = path == null || path.getFileName() == null
                ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".svg")) {
            require("de.erichseifert.vectorgraphics2d.VectorGraphics2D", VECTOR_GRAPHICS, "HistoryPlot.write to .svg");
        }
    }

    private static void require(String className, String coordinates, String what) {
        try {
            Class.forName(className, false, PlotLibraries.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            String[] gav = coordinates.split(":");
            throw new IllegalStateException(what + " needs " + coordinates + ", an optional dependency of"
                    + " callbacks4j-runtime that is not on the class path; add <dependency><groupId>" + gav[0]
                    + "</groupId><artifactId>" + gav[1] + "</artifactId><version>" + gav[2]
                    + "</version></dependency> to your pom.xml (its version is managed by callbacks4j-bom)", e);
        }
    }
}
