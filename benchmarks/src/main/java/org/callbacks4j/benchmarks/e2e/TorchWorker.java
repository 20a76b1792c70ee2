package org.callbacks4j.benchmarks.e2e;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code benchmarks/pytorch_cnn.py --worker} process on a fixed thread count: it loads the data and warms up
 * once, then runs one epoch per {@link #epoch()} (timed inside Python, so the pipe is not in the figure). Between
 * requests it waits on its stdin and takes no CPU, so that the other systems' epochs run on a machine as quiet as
 * without it.
 */
final class TorchWorker implements AutoCloseable {

    /** One epoch as the worker reports it. */
    record Epoch(double seconds, double loss, double cpuSeconds, double processCpuSeconds) {}

    private final Process process;
    private final BufferedReader in;
    private final BufferedWriter out;
    private final Path log;
    final String info;

    private TorchWorker(Process process, Path log) throws IOException {
        this.process = process;
        this.log = log;
        this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        String ready = in.readLine();
        if (ready == null || !ready.startsWith("ready ")) {
            process.destroy();
            throw new IOException("the PyTorch worker did not start (" + (ready == null ? "it exited" : ready)
                    + "); its log " + log + " ends with:\n" + tail(log));
        }
        this.info = ready.substring("ready ".length());
    }

    /**
     * Starts a worker on {@code threads} threads; its stderr goes to {@code log}. The process inherits this process's
     * environment (the OpenBLAS variables of the run), with OMP_NUM_THREADS and OPENBLAS_NUM_THREADS set to
     * {@code threads}.
     */
    static TorchWorker start(String python, Path script, int threads, int rows, int testRows, int warmupBatches,
            Path data, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--worker",
                "--threads", Integer.toString(threads), "--rows", Integer.toString(rows),
                "--test-rows", Integer.toString(testRows), "--warmup-batches", Integer.toString(warmupBatches),
                "--data", data.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        return new TorchWorker(pb.start(), log);
    }

    Epoch epoch() throws IOException {
        String[] reply = ask("epoch");
        return new Epoch(Double.parseDouble(reply[1]), Double.parseDouble(reply[2]), Double.parseDouble(reply[4]),
                Double.parseDouble(reply[5]));
    }

    double testAccuracy() throws IOException {
        return Double.parseDouble(ask("eval")[1]);
    }

    private String[] ask(String command) throws IOException {
        out.write(command + "\n");
        out.flush();
        String line = in.readLine();
        if (line == null || !line.startsWith(command + " ")) {
            throw new IOException("the PyTorch worker answered \"" + line + "\" to " + command + "; its log " + log
                    + " ends with:\n" + tail(log));
        }
        return line.split(" ");
    }

    @Override
    public void close() throws IOException {
        try {
            out.write("quit\n");
            out.flush();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
