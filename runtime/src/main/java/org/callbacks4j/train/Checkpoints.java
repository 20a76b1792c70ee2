package org.callbacks4j.train;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.callbacks4j.internal.io.AtomicFiles;
import org.callbacks4j.internal.io.NativeFloats;
import org.callbacks4j.internal.io.ZipEntries;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Layer;
import org.callbacks4j.model.Padding;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.model.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Checkpoint files: what {@code @Checkpoint} writes, and what a user loads to predict with a saved model or to resume
 * training ({@link SavedTraining}).
 *
 * <pre>{@code
 * SavedTraining saved = Checkpoints.load(Path.of("runs/ckpt-05.zip"));   // model, optimizer state, position
 * INDArray out = saved.model().predict(features);                         // exactly the saved model's outputs
 * Checkpoints.loadWeights(Path.of("runs/best.zip"), model);              // parameters into an existing model
 * }</pre>
 *
 * <h2>File format, version {@value #FORMAT_VERSION}</h2>
 * A zip archive with these entries, in this order:
 * <dl>
 *   <dt>{@code checkpoint.json}</dt>
 *   <dd>UTF-8 JSON:
 *   <pre>{@code
 * {
 *   "format": "callbacks4j-checkpoint",
 *   "formatVersion": 2,
 *   "kind": "full",                       // or "weights": no optimizer entry and no optimizer.f32
 *   "model": {
 *     "type": "Sequential", "inputWidth": 4, "seed": 42,
 *     "inputShape": [28, 28, 1],          // image models only
 *     "layers": [ {"type": "DENSE", "name": "dense", "inputs": 4, "units": 8, "activation": "RELU",
 *                  "weightInit": "HE"},
 *                 {"type": "CONV2D", "name": "conv2d", "filters": 32, "kernelSize": [3, 3], "strides": [1, 1],
 *                  "padding": "SAME", "activation": "RELU", "weightInit": "HE", "l2": 1.0E-4},  // l2 if set
 *                 {"type": "MAX_POOL", "poolSize": [2, 2], "strides": [2, 2], "padding": "VALID", ...},
 *                 {"type": "DROPOUT", "rate": 0.5, ...}, {"type": "BATCH_NORM", "momentum": 0.99,
 *                  "epsilon": 0.001, ...}, {"type": "FLATTEN", ...}, {"type": "GLOBAL_AVG_POOL", ...}, ... ],
 *     "params": {"entry": "params.f32", "dtype": "float32", "byteOrder": "little-endian", "shape": [1, 67]},
 *     "state": {"entry": "state.f32", ...},                      // batch norm's moving statistics, if any
 *     "dropoutGenerator": {"rootState": 42, "nodeState": 1234}   // dropout's generator, if any
 *   },
 *   "optimizer": {                        // "full" only
 *     "name": "adam", "description": "Adam(lr=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-7)",
 *     "iterations": 120, "learningRate": 0.0010000000474974513,
 *     "state": {"entry": "optimizer.f32", "dtype": "float32", "byteOrder": "little-endian", "shape": [1, 134]}
 *   },
 *   "position": {"epoch": 4, "batch": -1},  // 0-based; batch -1 = saved at the end of the epoch
 *   "metrics": {"loss": 0.1234, "val_loss": "NaN", ...},   // non-finite values as "NaN", "Infinity", "-Infinity"
 *   "compile": {"loss": "SOFTMAX_CROSS_ENTROPY", "metrics": ["accuracy"]}
 * }
 *   }</pre>
 *   {@code activation} and {@code weightInit} are the names of {@link Activation} and {@link WeightInit} constants;
 *   {@code loss} of a {@link Loss} constant. Numbers are written so that they read back as the same double.</dd>
 *   <dt>{@code params.f32}</dt>
 *   <dd>The model's flat parameter vector ({@link Sequential#params()}: for each layer its weights
 *   {@code [inputs, units]} in row-major order, then its biases), as raw little-endian IEEE-754 float32, no
 *   header.</dd>
 *   <dt>{@code state.f32}</dt>
 *   <dd>The model's non-trainable state ({@link Sequential#state()}: each batch-norm layer's moving mean then moving
 *   variance), in the same encoding; only for models that have batch norm.</dd>
 *   <dt>{@code optimizer.f32}</dt>
 *   <dd>The optimizer's flat state vector ({@link OptimizerState#flat()}; for Adam the first then the second moment
 *   estimates, as ND4J lays them out), in the same encoding. Present, possibly empty, in full checkpoints.</dd>
 * </dl>
 * Readers reject an unknown {@code format}, a {@code formatVersion} newer than theirs, and entries whose size does not
 * match their shape. Version 1 files (dense layers only, no {@code type}) read as before.
 *
 * <p>Files are written with {@link AtomicFiles#write}: the archive goes to a temporary file in the same folder, is
 * forced to the device and renamed over the target, so a crash leaves the previous file or the complete new one,
 * never a partial file at the final path. Missing parent folders are created.
 *
 * <p>Floats are stored bit for bit, so a loaded model computes exactly the outputs of the saved one, and a run resumed
 * from a full checkpoint continues exactly as the uninterrupted run (see {@link SavedTraining}).
 */
public final class Checkpoints {

    /** The version of the file format this class writes, and the newest it reads. */
    public static final int FORMAT_VERSION = 2;

    private static final String FORMAT = "callbacks4j-checkpoint";
    private static final String JSON_ENTRY = "checkpoint.json";
    private static final String PARAMS_ENTRY = "params.f32";
    private static final String OPTIMIZER_ENTRY = "optimizer.f32";
    private static final String STATE_ENTRY = "state.f32";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Checkpoints() {}

    /**
     * Writes {@code training} to {@code file}, atomically: a full checkpoint if it has an optimizer state, else a
     * weights-only one. Reads the model's parameters and the optimizer state during the call only.
     *
     * @throws IOException naming the file if it is a folder or cannot be written; the previous file, if any, is then
     *     left as it was, and no temporary file is left behind
     */
    public static void save(Path file, SavedTraining training) throws IOException {
        prepare(file, training).write();
    }

    /**
     * The bytes of a checkpoint of {@code training} for {@code file}, taken now; {@link Prepared#write} writes them,
     * on any thread. The trainer takes them on the training thread and writes off it.
     *
     * @throws IOException naming the file if it is a folder
     */
    static Prepared prepare(Path file, SavedTraining training) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(training, "training");
        if (Files.isDirectory(file)) {
            throw new IOException("checkpoint path " + file.toAbsolutePath() + " is a folder; please specify a "
                    + "non-directory file path, e.g. " + file.resolve("ckpt-{epoch:02d}.zip"));
        }
        byte[] json = JSON.writeValueAsBytes(describe(training));
        byte[] params = floats(training.model().params());
        byte[] modelState = training.model().stateCount() == 0 ? null : floats(training.model().state());
        byte[] state = training.optimizer() == null ? null : floats(training.optimizer().state());
        return new Prepared(file, json, params, modelState, state);
    }

    /** A checkpoint's bytes ({@link #prepare}), ready to be written to its file. */
    static final class Prepared {

        private final Path file;
        private final byte[] json;
        private final byte[] params;
        private final byte[] modelState;
        private final byte[] state;

        private Prepared(Path file, byte[] json, byte[] params, byte[] modelState, byte[] state) {
            this.file = file;
            this.json = json;
            this.params = params;
            this.modelState = modelState;
            this.state = state;
        }

        /**
         * Writes the file, atomically.
         *
         * @throws IOException naming the file if it cannot be written; the previous file, if any, is then left as it
         *     was, and no temporary file is left behind
         */
        void write() throws IOException {
            try {
                AtomicFiles.write(file, out -> {
                    ZipOutputStream zip = new ZipOutputStream(out);
                    ZipEntries.deflated(zip, JSON_ENTRY, json);
                    ZipEntries.stored(zip, PARAMS_ENTRY, params);
                    if (modelState != null) {
                        ZipEntries.stored(zip, STATE_ENTRY, modelState);
                    }
                    if (state != null) {
                        ZipEntries.stored(zip, OPTIMIZER_ENTRY, state);
                    }
                    zip.finish(); // not close(): AtomicFiles forces and closes the file itself
                });
            } catch (IOException e) {
                throw new IOException("cannot write checkpoint " + file.toAbsolutePath() + ": " + e, e);
            }
        }
    }

    /**
     * Writes a weights-only checkpoint of {@code model} (no optimizer state, position -1/-1, no metrics), as Keras's
     * {@code save_weights}.
     *
     * @throws IOException as {@link #save(Path, SavedTraining)}
     */
    public static void saveWeights(Path file, Sequential model) throws IOException {
        save(file, new SavedTraining(FORMAT_VERSION, model, null, -1, -1, Map.of(), null, List.of()));
    }

    /**
     * Reads a checkpoint written by {@link #save}: a new {@link Sequential} with the saved parameters, and (in a full
     * checkpoint) the optimizer state.
     *
     * @throws IOException naming the file if it cannot be read or is not a checkpoint of a supported version
     */
    public static SavedTraining load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Map<String, byte[]> entries = readEntries(file);
        try {
            JsonNode root = parse(file, entries);
            Sequential model = buildModel(file, root.get("model"));
            model.setParams(array(file, entries, root.get("model").get("params"), PARAMS_ENTRY));
            readState(file, entries, root.get("model"), model);
            SavedTraining.OptimizerSnapshot optimizer = null;
            if ("full".equals(text(file, root, "kind"))) {
                JsonNode o = required(file, root, "optimizer");
                optimizer = new SavedTraining.OptimizerSnapshot(text(file, o, "name"), text(file, o, "description"),
                        array(file, entries, required(file, o, "state"), OPTIMIZER_ENTRY),
                        required(file, o, "iterations").asLong(), number(file, o, "learningRate"));
            }
            JsonNode position = required(file, root, "position");
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = required(file, root, "metrics").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                metrics.put(e.getKey(), value(file, e.getValue(), "metrics." + e.getKey()));
            }
            JsonNode compile = required(file, root, "compile");
            List<String> compiled = new ArrayList<>();
            required(file, compile, "metrics").forEach(m -> compiled.add(m.asText()));
            JsonNode loss = compile.get("loss");
            return new SavedTraining(root.get("formatVersion").asInt(), model, optimizer,
                    required(file, position, "epoch").asInt(), required(file, position, "batch").asInt(), metrics,
                    loss == null || loss.isNull() ? null : loss.asText(), compiled);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("checkpoint " + file.toAbsolutePath() + " is not valid: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the parameters of the checkpoint {@code file} (full or weights-only) into {@code model}, as Keras's
     * {@code load_weights}.
     *
     * @throws IOException naming the file if it cannot be read or is not a checkpoint
     * @throws IllegalArgumentException if the saved layers differ from {@code model}'s (the message lists both)
     */
    public static void loadWeights(Path file, Sequential model) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(model, "model");
        Map<String, byte[]> entries = readEntries(file);
        JsonNode root = parse(file, entries);
        JsonNode config = required(file, root, "model");
        Sequential savedModel = buildModel(file, config);
        List<String> saved = new ArrayList<>();
        savedModel.layers().forEach(layer -> saved.add(layer.describe(false)));
        List<String> ours = new ArrayList<>();
        model.layers().forEach(layer -> ours.add(layer.describe(false)));
        if (!saved.equals(ours) || !Arrays.equals(savedModel.inputShape(), model.inputShape())) {
            throw new IllegalArgumentException("checkpoint " + file.toAbsolutePath() + " holds the weights of layers "
                    + saved + " but the model has " + ours + "; load it into a model built with the same layers, or "
                    + "use Checkpoints.load(..).model()");
        }
        model.setParams(array(file, entries, required(file, config, "params"), PARAMS_ENTRY));
        readState(file, entries, config, model);
    }

    /** The moving statistics and the dropout generator's state, where the model has them. */
    private static void readState(Path file, Map<String, byte[]> entries, JsonNode config, Sequential model)
            throws IOException {
        if (model.stateCount() > 0) {
            model.setState(array(file, entries, required(file, config, "state"), STATE_ENTRY));
        }
        JsonNode generator = config.get("dropoutGenerator");
        if (model.dropoutRandom() != null && generator != null) {
            model.dropoutRandom().setStates(required(file, generator, "rootState").asLong(),
                    required(file, generator, "nodeState").asLong());
        }
    }

    private static ObjectNode describe(SavedTraining t) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("kind", t.optimizer() == null ? "weights" : "full");
        Sequential model = t.model();
        ObjectNode m = root.putObject("model");
        m.put("type", "Sequential");
        m.put("inputWidth", model.inputWidth());
        if (model.inputShape().length > 1) {
            ints(m.putArray("inputShape"), model.inputShape());
        }
        m.put("seed", model.seed());
        ArrayNode layers = m.putArray("layers");
        for (Layer layer : model.layers()) {
            ObjectNode l = layers.addObject();
            l.put("type", layer.type().name());
            l.put("name", layer.name());
            switch (layer.type()) {
                case DENSE -> {
                    l.put("inputs", layer.inputs());
                    l.put("units", layer.units());
                }
                case CONV2D -> l.put("filters", layer.channels());
                case DROPOUT -> l.put("rate", layer.rate());
                case BATCH_NORM -> {
                    l.put("momentum", layer.momentum());
                    l.put("epsilon", layer.epsilon());
                }
                default -> { }
            }
            if (layer.kernel() != null) {
                ints(l.putArray(layer.type() == Layer.Type.CONV2D ? "kernelSize" : "poolSize"), layer.kernel());
                ints(l.putArray("strides"), layer.strides());
                l.put("padding", layer.padding().name());
            }
            if (layer.hasKernel()) {
                l.put("activation", layer.activation().name());
                l.put("weightInit", layer.weightInit().name());
            }
            if (layer.l2() != 0) {
                l.put("l2", layer.l2());
            }
        }
        arrayInfo(m.putObject("params"), PARAMS_ENTRY, model.params());
        if (model.stateCount() > 0) {
            arrayInfo(m.putObject("state"), STATE_ENTRY, model.state());
        }
        if (model.dropoutRandom() != null) {
            ObjectNode generator = m.putObject("dropoutGenerator");
            generator.put("rootState", model.dropoutRandom().rootState());
            generator.put("nodeState", model.dropoutRandom().nodeState());
        }
        if (t.optimizer() != null) {
            SavedTraining.OptimizerSnapshot o = t.optimizer();
            ObjectNode on = root.putObject("optimizer");
            on.put("name", o.name());
            on.put("description", o.description());
            on.put("iterations", o.iterations());
            on.put("learningRate", o.learningRate());
            arrayInfo(on.putObject("state"), OPTIMIZER_ENTRY, o.state());
        }
        ObjectNode position = root.putObject("position");
        position.put("epoch", t.epoch());
        position.put("batch", t.batch());
        ObjectNode metrics = root.putObject("metrics");
        t.metrics().forEach((name, value) -> {
            if (Double.isFinite(value)) {
                metrics.put(name, value);
            } else {
                metrics.put(name, value.toString()); // JSON has no NaN or infinities: "NaN", "Infinity", "-Infinity"
            }
        });
        ObjectNode compile = root.putObject("compile");
        if (t.loss() == null) {
            compile.putNull("loss");
        } else {
            compile.put("loss", t.loss());
        }
        ArrayNode compiled = compile.putArray("metrics");
        t.compiledMetrics().forEach(compiled::add);
        return root;
    }

    private static void arrayInfo(ObjectNode node, String entry, INDArray array) {
        node.put("entry", entry);
        node.put("dtype", "float32");
        node.put("byteOrder", "little-endian");
        ArrayNode shape = node.putArray("shape");
        for (long d : array.shape()) {
            shape.add(d);
        }
    }

    /** The values of {@code array} as little-endian float32 bytes, in C order. */
    private static byte[] floats(INDArray array) {
        long n = array.length();
        if (n > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("array of " + n + " values is too large for a checkpoint entry");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) n * 4).order(ByteOrder.LITTLE_ENDIAN);
        NativeFloats.copy(array, bytes.asFloatBuffer());
        return bytes.array();
    }

    private static Map<String, byte[]> readEntries(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("checkpoint " + file.toAbsolutePath() + (Files.exists(file)
                    ? " is not a regular file" : " does not exist") + "; pass the path of a file @Checkpoint wrote");
        }
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), readAll(zip));
            }
        } catch (ZipException e) {
            throw new IOException("checkpoint " + file.toAbsolutePath() + " is not a valid zip file: " + e.getMessage(),
                    e);
        } catch (EOFException e) {
            // A file cut short inside an entry's header or data: ZipInputStream says only "Unexpected end of ZLIB
            // input stream" or nothing at all.
            throw new IOException("checkpoint " + file.toAbsolutePath() + " is truncated (" + Files.size(file)
                    + " bytes; it ends inside a zip entry): it was cut short, e.g. by a copy that did not finish. Use "
                    + "another checkpoint, or copy it again from where it was written", e);
        }
        if (!entries.containsKey(JSON_ENTRY)) {
            throw new IOException("checkpoint " + file.toAbsolutePath() + " has no " + JSON_ENTRY + " entry; it was "
                    + "not written by callbacks4j (found entries " + entries.keySet() + ")");
        }
        return entries;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static JsonNode parse(Path file, Map<String, byte[]> entries) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(new String(entries.get(JSON_ENTRY), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IOException("checkpoint " + file.toAbsolutePath() + " has a malformed " + JSON_ENTRY + ": "
                    + e.getOriginalMessage(), e);
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new IOException("checkpoint " + file.toAbsolutePath() + " is not a " + FORMAT + " file (format \""
                    + root.path("format").asText() + "\")");
        }
        int version = root.path("formatVersion").asInt(-1);
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IOException("checkpoint " + file.toAbsolutePath() + " has format version " + version + "; this "
                    + "callbacks4j reads versions 1 to " + FORMAT_VERSION + ": use a newer callbacks4j");
        }
        return root;
    }

    private static Sequential buildModel(Path file, JsonNode config) throws IOException {
        if (config == null || !"Sequential".equals(config.path("type").asText())) {
            throw new IOException("checkpoint " + file.toAbsolutePath() + " has no Sequential model configuration");
        }
        JsonNode shape = config.get("inputShape");
        Sequential.Builder builder = shape != null && shape.size() == 3
                ? Sequential.input(shape.get(0).asInt(), shape.get(1).asInt(), shape.get(2).asInt())
                : Sequential.input(required(file, config, "inputWidth").asInt());
        for (JsonNode layer : required(file, config, "layers")) {
            // Version 1 files hold dense layers only, without "type".
            Layer.Type type = layer.has("type") ? Layer.Type.valueOf(text(file, layer, "type")) : Layer.Type.DENSE;
            switch (type) {
                case DENSE -> builder.dense(required(file, layer, "units").asInt(),
                        Activation.valueOf(text(file, layer, "activation")),
                        WeightInit.valueOf(text(file, layer, "weightInit")));
                case CONV2D -> builder.conv2d(required(file, layer, "filters").asInt(),
                        pair(file, layer, "kernelSize"), pair(file, layer, "strides"),
                        Padding.valueOf(text(file, layer, "padding")),
                        Activation.valueOf(text(file, layer, "activation")),
                        WeightInit.valueOf(text(file, layer, "weightInit")));
                case MAX_POOL, AVG_POOL -> {
                    int[] size = pair(file, layer, "poolSize");
                    int[] strides = pair(file, layer, "strides");
                    if (size[0] != size[1] || strides[0] != strides[1]) {
                        throw new IOException("checkpoint " + file.toAbsolutePath() + ": pooling windows must be "
                                + "square, not " + layer);
                    }
                    String padding = Padding.valueOf(text(file, layer, "padding")).kerasName();
                    if (type == Layer.Type.MAX_POOL) {
                        builder.maxPool(size[0], strides[0], padding);
                    } else {
                        builder.avgPool(size[0], strides[0], padding);
                    }
                }
                case GLOBAL_AVG_POOL -> builder.globalAvgPool();
                case FLATTEN -> builder.flatten();
                case DROPOUT -> builder.dropout(required(file, layer, "rate").asDouble());
                case BATCH_NORM -> builder.batchNorm(required(file, layer, "momentum").asDouble(),
                        required(file, layer, "epsilon").asDouble());
            }
            if (layer.has("l2")) {
                builder.l2(layer.get("l2").asDouble());
            }
        }
        return builder.seed(required(file, config, "seed").asLong()).build();
    }

    private static void ints(ArrayNode array, int[] values) {
        for (int v : values) {
            array.add(v);
        }
    }

    private static int[] pair(Path file, JsonNode node, String field) throws IOException {
        JsonNode a = required(file, node, field);
        if (a.size() != 2) {
            throw new IOException("checkpoint " + file.toAbsolutePath() + ": " + field + " " + a + " is not [h, w]");
        }
        return new int[] {a.get(0).asInt(), a.get(1).asInt()};
    }

    /** The float32 array described by {@code info}, read from its entry. */
    private static INDArray array(Path file, Map<String, byte[]> entries, JsonNode info, String expectedEntry)
            throws IOException {
        String entry = text(file, info, "entry");
        if (!entry.equals(expectedEntry) || !"float32".equals(text(file, info, "dtype"))
                || !"little-endian".equals(text(file, info, "byteOrder"))) {
            throw new IOException("checkpoint " + file.toAbsolutePath() + ": unsupported array " + info);
        }
        long[] shape = new long[info.path("shape").size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = info.get("shape").get(i).asLong();
            count *= shape[i];
        }
        byte[] bytes = entries.get(entry);
        if (bytes == null || bytes.length != count * 4) {
            throw new IOException("checkpoint " + file.toAbsolutePath() + ": entry " + entry + " holds "
                    + (bytes == null ? "nothing" : bytes.length + " bytes") + " but shape " + Arrays.toString(shape)
                    + " needs " + count * 4 + "; the file is damaged");
        }
        if (count == 0) {
            return Nd4j.empty(DataType.FLOAT);
        }
        float[] values = new float[(int) count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return Nd4j.createFromArray(values).reshape('c', shape);
    }

    private static JsonNode required(Path file, JsonNode node, String field) throws IOException {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            throw new IOException("checkpoint " + file.toAbsolutePath() + " lacks the field \"" + field + "\" in "
                    + JSON_ENTRY + "; the file is damaged or was not written by callbacks4j");
        }
        return value;
    }

    private static String text(Path file, JsonNode node, String field) throws IOException {
        return required(file, node, field).asText();
    }

    private static double number(Path file, JsonNode node, String field) throws IOException {
        return value(file, required(file, node, field), field);
    }

    private static double value(Path file, JsonNode node, String what) throws IOException {
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            switch (node.asText()) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> { }
            }
        }
        throw new IOException("checkpoint " + file.toAbsolutePath() + ": " + what + " is " + node + ", not a number");
    }
}
