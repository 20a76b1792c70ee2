package org.callbacks4j.processor;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * The classes of an in-memory compilation, user classes and generated dispatchers together in one loader, as a
 * user's build would package them. The parent (the test's loader) supplies the runtime.
 */
final class CompiledClasses extends ClassLoader {

    private static final String OUTPUT = "/CLASS_OUTPUT/";

    private final Map<String, byte[]> classes = new HashMap<>();

    CompiledClasses(Compilation... compilations) {
        super(CompiledClasses.class.getClassLoader());
        for (Compilation compilation : compilations) {
            for (JavaFileObject file : compilation.generatedFiles()) {
                add(file);
            }
        }
    }

    /** Writes the classes to {@code directory}, as a jar on a later compilation's classpath would hold them. */
    void writeTo(Path directory) throws IOException {
        for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
            Path file = directory.resolve(entry.getKey().replace('.', '/') + ".class");
            Files.createDirectories(file.getParent());
            Files.write(file, entry.getValue());
        }
    }

    private void add(JavaFileObject file) {
        if (file.getKind() != JavaFileObject.Kind.CLASS) {
            return;
        }
        String path = file.toUri().getPath();
        String name = path.substring(path.indexOf(OUTPUT) + OUTPUT.length(), path.length() - ".class".length())
                .replace('/', '.');
        try (InputStream in = file.openInputStream()) {
            classes.put(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
            throw new ClassNotFoundException(name + " is not among the compiled classes " + classes.keySet());
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    /** A new instance of {@code name} through its no-argument constructor. */
    Object instantiate(String name) {
        try {
            var constructor = loadClass(name).getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot instantiate " + name, e);
        }
    }
}
