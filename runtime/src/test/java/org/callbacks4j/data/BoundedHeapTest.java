package org.callbacks4j.data;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file 4.7 times the heap trains with a bounded heap: a child JVM with {@code -Xmx64m} trains one epoch on a
 * 299 MiB float32 .npy file (memory-mapped, shuffled by index permutation) without running out of memory, and its
 * anonymous resident memory stays flat through the epoch (the file's pages are the kernel's page cache, not ours).
 *
 * <p>Tagged {@code bigdata} (7 to 16 s on the 2-core build machine, 300 MiB of temporary disk): part of {@code mvn verify};
 * skip it locally with {@code -DexcludedGroups=bigdata}.
 */
@Tag("bigdata")
class BoundedHeapTest {

    private static final int ROWS = 100_000;
    private static final int WIDTH = 784;

    @TempDir
    Path dir;

    @Test
    void aFileFourTimesTheHeapTrainsWithFlatMemory() throws Exception {
        Path x = dir.resolve("x.npy");
        Path y = dir.resolve("y.npy");
        writeFeatures(x);
        long[] labels = new long[ROWS];
        for (int i = 0; i < ROWS; i++) {
            labels[i] = i % 10;
        }
        DataFiles.npy(y, "<i8", DataFiles.longs(labels), false, ROWS);
        assertThat(Files.size(x)).isGreaterThan(4L * 64 << 20); // 299 MiB, 4.7 times the heap

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // JavaCPP's defaults as a user has them (its memory limits derive from -Xmx): the mapped file's resident
        // pages must not trip them.
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), BoundedHeapChild.class.getName(), x.toString(), y.toString());
        builder.redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process child = builder.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        System.out.println("BoundedHeapTest child:\n" + output.lines()
                .filter(l -> l.matches("^(fileMiB|maxHeapMiB|peakHeapMiB|rssAnonMiB|fitSeconds).*")).reduce("",
                        (a, b) -> a + "  " + b + "\n"));
        assertWithMessage(output).that(child.exitValue()).isEqualTo(0);
        assertWithMessage(output).that(output).contains("done");
        assertThat(output).doesNotContain("OutOfMemoryError");
        Map<String, long[]> values = parse(output);
        assertThat(values.get("maxHeapMiB")[0]).isAtMost(64);
        long[] rss = values.get("rssAnonMiB");
        // Flat: the epoch reads 299 MiB, the anonymous memory grows by less than 32 MiB after the first batches.
        assertWithMessage(output).that(rss[1] - rss[0]).isLessThan(32);
        assertWithMessage(output).that(rss[1]).isLessThan(values.get("fileMiB")[0]);
    }

    /** 100,000 rows of 784 float32 (299 MiB), written in chunks through a direct buffer. */
    private static void writeFeatures(Path path) throws IOException {
        DataFiles.npy(path, "<f4", new byte[0], false, ROWS, WIDTH);
        ByteBuffer chunk = ByteBuffer.allocateDirect(1000 * WIDTH * 4).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.APPEND)) {
            for (int from = 0; from < ROWS; from += 1000) {
                chunk.clear();
                for (int i = 0; i < 1000 * WIDTH; i++) {
                    chunk.putFloat(((from * WIDTH + i) % 251) / 251f);
                }
                chunk.flip();
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
        }
    }

    private static Map<String, long[]> parse(String output) {
        Map<String, long[]> values = new TreeMap<>();
        for (String line : output.split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length >= 2 && parts[0].endsWith("MiB")) {
                long[] v = new long[(parts.length) / 2];
                int n = 0;
                for (String p : parts) {
                    if (p.matches("\\d+")) {
                        v[n++] = Long.parseLong(p);
                    }
                }
                values.put(parts[0], java.util.Arrays.copyOf(v, n));
            }
        }
        return values;
    }
}
