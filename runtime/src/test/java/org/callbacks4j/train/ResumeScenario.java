package org.callbacks4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.data.NpySource;
import org.callbacks4j.internal.io.EventFiles;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;

/**
 * One small training used by the resume tests and the kill test, and what it leaves behind, so that an interrupted and
 * resumed run can be compared with an uninterrupted one: 300 examples of 3 Gaussian blobs (20% for validation),
 * a 6-16-3 network, Adam, batches of 16 (15 per epoch), every stateful policy ({@link BackupTraining}).
 */
public final class ResumeScenario {

    static final Dataset DATA = Blobs.classification(300, 6, 3, 11);

    private ResumeScenario() {}

    /**
     * Which model the scenario trains: {@code dense} (6-16-3), or {@code cnn}, a small CNN with batch norm and dropout
     * over the same rows seen as 2x3x1 images, whose resume must also restore the moving statistics and the dropout
     * generator. The system property {@code callbacks4j.resume.model} (the kill test's child) or {@link #use} (tests
     * on the calling thread) choose.
     */
    private static final ThreadLocal<String> VARIANT =
            ThreadLocal.withInitial(() -> System.getProperty("callbacks4j.resume.model", "dense"));

    /** Trains {@code variant} ({@code dense} or {@code cnn}) on this thread from now on; null: back to the default. */
    static void use(String variant) {
        if (variant == null) {
            VARIANT.remove();
        } else {
            VARIANT.set(variant);
        }
    }

    static Sequential model() {
        return switch (VARIANT.get()) {
            case "dense" -> Sequential.input(6).dense(16, Activation.RELU).dense(3, Activation.SOFTMAX).seed(3).build();
            case "cnn" -> Sequential.input(2, 3, 1).conv2d(8, 2, 1, "same", Activation.RELU).batchNorm()
                    .dropout(0.25).flatten().dense(16, Activation.RELU).dropout(0.1).dense(3, Activation.SOFTMAX)
                    .seed(3).build();
            default -> throw new IllegalArgumentException("callbacks4j.resume.model " + VARIANT.get()
                    + " is not dense or cnn");
        };
    }

    static Trainer trainer() {
        return Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(5e-3)).metrics("accuracy").build();
    }

    static Fit fit(int epochs) {
        return Fit.epochs(epochs).batchSize(16).validationSplit(0.2).seed(7).verbose(0);
    }

    /** Trains from scratch (or from the backup under {@code root}) with fresh objects, as a new process would. */
    static Outcome train(Path root, int epochs, BackupTraining callbacks) throws IOException {
        Sequential model = model();
        History history = trainer().fit(model, DATA, fit(epochs), callbacks);
        return Outcome.of(model, history, root);
    }

    /** As {@link #train}, returning only the trained model's parameters and the History as text. */
    static String[] trainQuietly(int epochs, BackupTraining callbacks) {
        Sequential model = model();
        History history = trainer().fit(model, DATA, fit(epochs), callbacks);
        return result(model, history);
    }

    /**
     * As {@link #trainQuietly}, streaming the same split from gzipped .npy files in {@code data}
     * ({@code train-x.npy.gz} and so on: the first 80% of {@link #DATA} for training, the rest for validation).
     */
    static String[] trainStreamed(int epochs, BackupTraining callbacks, Path data) throws IOException {
        Sequential model = model();
        Fit fit = Fit.epochs(epochs).batchSize(16).seed(7).verbose(0).validationData(NpySource.classification(
                data.resolve("validation-x.npy.gz"), data.resolve("validation-y.npy.gz"), 3));
        History history = trainer().fit(model, NpySource.classification(data.resolve("train-x.npy.gz"),
                data.resolve("train-y.npy.gz"), 3).shuffleBuffer(64), fit, callbacks);
        return result(model, history);
    }

    private static String[] result(Sequential model, History history) {
        StringBuilder params = new StringBuilder();
        for (float p : model.paramsAndState().toFloatVector()) {
            params.append(Integer.toHexString(Float.floatToRawIntBits(p))).append('\n');
        }
        return new String[] {params.toString(), historyText(history.epochs(), history.asMap())
                + "\nstoppedBy " + history.stoppedBy().orElse(null) + "\n"};
    }

    /** The History as text: epochs, then each series, with every value's exact bits. */
    static String historyText(List<Integer> epochs, Map<String, List<Double>> history) {
        List<String> lines = new ArrayList<>();
        lines.add("epochs " + epochs);
        history.forEach((k, v) -> lines.add(k + " " + v.stream()
                .map(d -> d + "/" + Long.toHexString(Double.doubleToRawLongBits(d))).toList()));
        return String.join("\n", lines);
    }

    /** What a finished run leaves: the parameters, the History, and every file under its root. */
    public record Outcome(float[] params, List<Integer> epochs, Map<String, List<Double>> history, String stoppedBy,
            List<History.EarlyStoppingOutcome> earlyStopping, Map<String, byte[]> files, List<String> scalars,
            int eventFiles, List<String> validationScalars, int validationEventFiles) {

        static Outcome of(Sequential model, History history, Path root) throws IOException {
            Path validation = root.resolve("tb/validation");
            boolean validated = Files.isDirectory(validation);
            return new Outcome(model.paramsAndState().toFloatVector(), history.epochs(), history.asMap(),
                    history.stoppedBy().orElse(null), history.earlyStopping(), files(root),
                    EventFiles.scalars(root.resolve("tb/train")), EventFiles.fileCount(root.resolve("tb/train")),
                    validated ? EventFiles.scalars(validation) : List.of(),
                    validated ? EventFiles.fileCount(validation) : 0);
        }

        /**
         * Every regular file under {@code root} except event files (their wall times differ) and the backup folder
         * (the completion record names the run's event files), by relative path.
         */
        static Map<String, byte[]> files(Path root) throws IOException {
            Map<String, byte[]> files = new TreeMap<>();
            if (!Files.isDirectory(root)) {
                return files;
            }
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.filter(Files::isRegularFile).toList()) {
                    if (!p.getFileName().toString().contains("tfevents") && !root.relativize(p).startsWith("backup")) {
                        files.put(root.relativize(p).toString(), Files.readAllBytes(p));
                    }
                }
            }
            return files;
        }

        /** The History as text: epochs, then each series, for messages. */
        String historyText() {
            return ResumeScenario.historyText(epochs, history);
        }
    }
}
