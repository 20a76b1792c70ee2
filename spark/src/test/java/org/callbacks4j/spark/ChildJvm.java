package org.callbacks4j.spark;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a JVM started by a test (a driver, or an executor of {@code local-cluster}) needs to run Spark and ND4J as this
 * test JVM does: the same JDK, the test class path (absolute: an executor runs in a folder of its own) and the JVM
 * flags surefire passed to this one that Spark and JavaCPP need (the pom's {@code spark.opens}, and on JDK 24+ the
 * native-access flags).
 */
final class ChildJvm {

    /** The flags of this JVM that a child needs; nothing else (no agent, no debugger) is passed on. */
    private static final List<String> PASSED_ON = List.of("--add-opens", "--enable-native-access",
            "--sun-misc-unsafe-memory-access", "-XX:+IgnoreUnrecognizedVMOptions", "-Djdk.reflect.", "-Dio.netty.");

    private ChildJvm() {}

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String classPath() {
        return String.join(File.pathSeparator, Arrays.stream(System.getProperty("java.class.path")
                .split(File.pathSeparator)).filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().toString()).toList());
    }

    static List<String> flags() {
        List<String> flags = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (PASSED_ON.stream().anyMatch(arg::startsWith)) {
                flags.add(arg);
            }
        }
        return flags;
    }

    /** {@code java <flags> -cp <test class path> <main> <args>}, its environment one ND4J thread per op. */
    static ProcessBuilder process(Class<?> main, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(flags());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath(), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Same thread settings in every run: ND4J's results are deterministic for a given thread count.
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        return builder;
    }
}
