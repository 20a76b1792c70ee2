package org.callbacks4j.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of our trainer ({@code run.sh --profile}): where the training thread's time goes inside
 * {@code FitRun.run}, by the trainer's own method and line and the ND4J call it made there.
 *
 * <p>JFR samples a thread in Java code with {@code jdk.ExecutionSample} and a thread inside a native method (here:
 * ND4J's ops and OpenBLAS, with {@code OMP_NUM_THREADS=1} all on the training thread) with
 * {@code jdk.NativeMethodSample}. The two run at different periods, so each sample is weighted by its event's period;
 * the weighted counts then estimate wall time. "java" is time in Java code (ND4J's op construction, shape checks,
 * argument arrays, our loop), "native" is time inside native calls (the kernels, plus JNI and ND4J's native
 * dispatch).
 *
 * <pre>java -cp ... org.callbacks4j.benchmarks.ProfileSummary trainer.jfr</pre>
 */
public final class ProfileSummary {

    private static final String TRAINER = "org.callbacks4j.train.";

    private record Cell(double javaMs, double nativeMs) {
        Cell add(boolean isNative, double ms) {
            return isNative ? new Cell(javaMs, nativeMs + ms) : new Cell(javaMs + ms, nativeMs);
        }

        double total() {
            return javaMs + nativeMs;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ProfileSummary RECORDING.jfr");
        }
        Path file = Path.of(args[0]);
        Map<Long, String> typeNames = new HashMap<>();
        Map<String, Double> periodMs = new HashMap<>();
        List<RecordedEvent> samples = new ArrayList<>();
        double gcMs = 0;
        int gcCount = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            for (EventType t : recording.readEventTypes()) {
                typeNames.put(t.getId(), t.getName());
            }
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                String name = e.getEventType().getName();
                switch (name) {
                    case "jdk.ExecutionSample", "jdk.NativeMethodSample" -> samples.add(e);
                    case "jdk.ActiveSetting" -> {
                        if (e.getString("name").equals("period")) {
                            String type = typeNames.get(e.getLong("id"));
                            double ms = parsePeriod(e.getString("value"));
                            if (type != null && ms > 0) {
                                periodMs.put(type, ms);
                            }
                        }
                    }
                    case "jdk.GarbageCollection" -> {
                        gcMs += e.getDuration("sumOfPauses").toNanos() / 1e6;
                        gcCount++;
                    }
                    default -> { }
                }
            }
        }
        double execPeriod = periodMs.getOrDefault("jdk.ExecutionSample", 10.0);
        double nativePeriod = periodMs.getOrDefault("jdk.NativeMethodSample", 20.0);

        Map<String, Cell> byPhase = new LinkedHashMap<>();
        Map<String, Cell> byLeaf = new LinkedHashMap<>();
        Map<String, Cell> allocationByPhase = new LinkedHashMap<>();
        Cell total = new Cell(0, 0);
        for (RecordedEvent e : samples) {
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            if (frames.stream().noneMatch(f -> method(f).equals("FitRun.run"))) {
                continue; // data loading, setup, warm-up outside a fit's epochs
            }
            boolean isNative = e.getEventType().getName().equals("jdk.NativeMethodSample");
            double ms = isNative ? nativePeriod : execPeriod;
            int k = 0;
            while (k < frames.size() && !isTrainer(frames.get(k))) {
                k++;
            }
            String phase;
            if (k == frames.size()) {
                phase = "(no trainer frame)";
            } else {
                RecordedFrame own = frames.get(k);
                String callee = k == 0 ? "(own code)" : method(frames.get(k - 1));
                phase = method(own) + ":" + own.getLineNumber() + " -> " + callee;
            }
            byPhase.merge(phase, new Cell(0, 0).add(isNative, ms), (a, b) -> a.add(isNative, ms));
            String leaf = frames.isEmpty() ? "?" : method(frames.get(0));
            byLeaf.merge(leaf, new Cell(0, 0).add(isNative, ms), (a, b) -> a.add(isNative, ms));
            if (isAllocation(leaf)) {
                allocationByPhase.merge(phase, new Cell(0, 0).add(isNative, ms), (a, b) -> a.add(isNative, ms));
            }
            total = total.add(isNative, ms);
        }

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Samples inside FitRun.run: %.0f ms estimated (%.0f ms in Java code, "
                + "%.0f ms in native calls); ExecutionSample every %.0f ms, NativeMethodSample every %.0f ms. "
                + "GC: %d collections, %.0f ms of pauses over the whole recording.%n%n", total.total(), total.javaMs,
                total.nativeMs, execPeriod, nativePeriod, gcCount, gcMs));
        table(md, "trainer line -> ND4J call", byPhase, total.total(), 40);
        table(md, "leaf frame (where the sample landed)", byLeaf, total.total(), 25);
        table(md, "native memory allocation (allocateDataBuffer, javacpp's physicalBytes check) by trainer line",
                allocationByPhase, total.total(), 15);
        System.out.print(md);
    }

    private static void table(StringBuilder md, String title, Map<String, Cell> cells, double total, int limit) {
        md.append("| ").append(title).append(" | share | java ms | native ms |\n|---|---|---|---|\n");
        cells.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue().total(), a.getValue().total()))
                .limit(limit)
                .forEach(e -> md.append(String.format(Locale.ROOT, "| `%s` | %.1f%% | %.0f | %.0f |%n", e.getKey(),
                        100 * e.getValue().total() / total, e.getValue().javaMs, e.getValue().nativeMs)));
        md.append('\n');
    }

    /** Samples inside ND4J's buffer allocation or javacpp's memory accounting that runs with it. */
    private static boolean isAllocation(String leaf) {
        return leaf.equals("Nd4jCpu.allocateDataBuffer") || leaf.startsWith("Pointer.physicalBytes")
                || leaf.equals("Nd4jCpu.dbCreateExternalDataBuffer") || leaf.equals("Pointer.deallocator");
    }

    private static boolean isTrainer(RecordedFrame f) {
        return f.getMethod().getType().getName().startsWith(TRAINER);
    }

    private static String method(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    private static double parsePeriod(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith(" ms")) {
                return Double.parseDouble(v.substring(0, v.length() - 3));
            }
            if (v.endsWith(" s")) {
                return 1000 * Double.parseDouble(v.substring(0, v.length() - 2));
            }
            if (v.endsWith(" us")) {
                return Double.parseDouble(v.substring(0, v.length() - 3)) / 1000;
            }
            if (v.endsWith(" ns")) {
                return Double.parseDouble(v.substring(0, v.length() - 3)) / 1e6;
            }
            return Duration.parse(value).toNanos() / 1e6;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
