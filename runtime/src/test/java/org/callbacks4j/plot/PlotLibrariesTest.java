package org.callbacks4j.plot;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.callbacks4j.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XChart and VectorGraphics2D are optional dependencies of the runtime: {@code HistoryPlot.write} without them on the class
 * path fails with a message that names the dependency to add, and writes nothing. The runtime's classes are loaded
 * again in a class loader that hides those libraries, as in a user's project that does not declare them.
 */
class PlotLibrariesTest {

    @TempDir
    Path dir;

    @Test
    void plotWithoutXChartNamesTheDependencyToAdd() throws Exception {
        Path png = dir.resolve("curves.png");
        IllegalStateException e = plotWithout(png, "org.knowm.xchart.", "de.erichseifert.vectorgraphics2d.");
        assertThat(e).hasMessageThat().startsWith("HistoryPlot.write needs org.knowm.xchart:xchart:4.0.3, an optional"
                + " dependency of callbacks4j-runtime that is not on the class path; add <dependency><groupId>"
                + "org.knowm.xchart</groupId><artifactId>xchart</artifactId><version>4.0.3</version></dependency>");
        assertThat(Files.exists(png)).isFalse();
    }

    @Test
    void svgWithoutVectorGraphicsNamesThatDependency() throws Exception {
        Path svg = dir.resolve("curves.svg");
        IllegalStateException e = plotWithout(svg, "de.erichseifert.vectorgraphics2d.");
        assertThat(e).hasMessageThat().startsWith("HistoryPlot.write to .svg needs"
                + " de.erichseifert.vectorgraphics2d:VectorGraphics2D:0.13");
        assertThat(Files.exists(svg)).isFalse();
    }

    @Test
    void pngPlottingLoadsWithoutVectorGraphics() throws Exception {
        // VectorGraphics2D is for SVG only: the class that draws PNG links without it (the JVM verifies a class's
        // methods when it initializes it, so one reference from a PNG path would fail here).
        try (Hiding loader = new Hiding("de.erichseifert.vectorgraphics2d.")) {
            Class<?> plot = Class.forName(HistoryPlot.class.getName(), true, loader);
            assertThat(plot.getClassLoader()).isSameInstanceAs(loader);
            assertThrows(ClassNotFoundException.class,
                    () -> Class.forName("de.erichseifert.vectorgraphics2d.VectorGraphics2D", true, loader));
        }
    }

    @Test
    void theVersionsNamedAreTheOnesOnTheTestClassPath() {
        // The message's coordinates must be the versions the runtime is built with (pom.xml), or users add others.
        assertThat(jarOf("org.knowm.xchart.XYChart")).contains("/xchart/4.0.3/");
        assertThat(jarOf("de.erichseifert.vectorgraphics2d.VectorGraphics2D")).contains("/VectorGraphics2D/0.13/");
    }

    private static String jarOf(String className) {
        try {
            return Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toString();
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /** Plots an empty history to {@code path} with the runtime loaded where {@code hidden} packages are missing. */
    private static IllegalStateException plotWithout(Path path, String... hidden) throws Exception {
        try (Hiding loader = new Hiding(hidden)) {
            Class<?> history = loader.loadClass(History.class.getName());
            Object empty = history.getMethod("of", List.class, Map.class, Map.class, String.class, int.class,
                    List.class).invoke(null, List.of(), Map.of(), Map.of(), null, -1, List.of());
            Class<?> plot = loader.loadClass(HistoryPlot.class.getName());
            InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                    () -> plot.getMethod("write", history, Path.class).invoke(null, empty, path));
            assertThat(thrown.getCause()).isInstanceOf(IllegalStateException.class);
            return (IllegalStateException) thrown.getCause();
        }
    }

    /** Loads org.callbacks4j classes itself (child first), hides {@code hidden}, and leaves the rest to its parent. */
    private static final class Hiding extends ClassLoader implements AutoCloseable {
        private final String[] hidden;

        Hiding(String... hidden) {
            super(PlotLibrariesTest.class.getClassLoader());
            this.hidden = hidden;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                for (String prefix : hidden) {
                    if (name.startsWith(prefix)) {
                        throw new ClassNotFoundException(name + " (hidden by the test)");
                    }
                }
                if (!name.startsWith("org.callbacks4j.")) {
                    return super.loadClass(name, resolve);
                }
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        loaded = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        @Override
        public void close() {}
    }
}
