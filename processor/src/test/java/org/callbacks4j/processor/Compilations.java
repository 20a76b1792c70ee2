package org.callbacks4j.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Processor;
import javax.tools.JavaFileObject;

/** Compiles test sources in memory with the processor, as a user's build would. */
final class Compilations {

    private Compilations() {}

    /** {@code className}'s source, from a text block. */
    static JavaFileObject source(String className, String text) {
        return JavaFileObjects.forSourceString(className, text);
    }

    static Compilation compile(JavaFileObject... sources) {
        return compile(new CallbacksProcessor(), sources);
    }

    static Compilation compile(Processor processor, JavaFileObject... sources) {
        return compile(List.of(processor), sources);
    }

    static Compilation compile(List<Processor> processors, JavaFileObject... sources) {
        // Every lint, as a strict user build: generated code must be warning-free, and the processor claims its
        // annotations, so "processing" has nothing to report either.
        return javac().withProcessors(processors).withOptions("-Xlint:all").compile(sources);
    }

    /** Compiles {@code sources} against {@code classes} (written to {@code directory}) and the test's classpath. */
    static Compilation compileAgainst(
            CompiledClasses classes, Path directory, JavaFileObject... sources) throws IOException {
        classes.writeTo(directory);
        List<File> classpath = new ArrayList<>();
        classpath.add(directory.toFile());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classpath.add(new File(entry));
        }
        return javac().withProcessors(new CallbacksProcessor())
                .withOptions("-Xlint:all")
                .withClasspath(classpath)
                .compile(sources);
    }

    /** The text of a generated source file, which must exist. */
    static String generatedSource(Compilation compilation, String className) {
        JavaFileObject file = compilation
                .generatedSourceFile(className)
                .orElseThrow(() -> new AssertionError(className + " was not generated; generated: "
                        + compilation.generatedSourceFiles() + "; diagnostics: " + compilation.diagnostics()));
        try {
            return file.getCharContent(false).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
