package org.callbacks4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A stack of layers (Keras {@code Sequential}), float32, channels-last like Keras.
 *
 * <pre>{@code
 * Sequential mlp = Sequential.input(64)
 *         .dense(128, Activation.RELU)
 *         .dense(10, Activation.SOFTMAX)
 *         .seed(42)
 *         .build();
 *
 * Sequential cnn = Sequential.input(28, 28, 1)                 // rows of 784 values, seen as 28x28x1 images
 *         .conv2d(32, 3, Activation.RELU).batchNorm().maxPool(2)
 *         .conv2d(64, 3, 1, "same", Activation.RELU).maxPool(2)
 *         .flatten().dropout(0.3).dense(128, Activation.RELU).l2(1e-4)
 *         .dense(10, Activation.SOFTMAX)
 *         .build();
 * }</pre>
 *
 * <p>Data always arrives as rows of {@link #inputWidth()} values; a model declared with
 * {@link #input(int, int, int)} sees each row as a {@code [height, width, channels]} image in C order (NHWC).
 *
 * <p>All trainable parameters live in one flat float32 vector ({@link #params()}), as in DL4J: for each layer in
 * order, a dense layer's {@code W [inputs, units]} then {@code b [units]}, a conv2d layer's
 * {@code W [kernelH, kernelW, channelsIn, filters]} then {@code b [filters]}, a batch-norm layer's {@code gamma} then
 * {@code beta}, each in C (row-major) order. Batch norm's moving mean and variance are model state, not trained: they
 * follow the parameters in {@link #paramsAndState()} (Keras's {@code get_weights()}: trainable and non-trainable), which
 * checkpoints, backups and {@code restoreBestWeights} save. The per-layer accessors are views into those vectors, so
 * writing through them changes the model. A model is not thread-safe: train or predict from one thread at a time.
 */
public final class Sequential {

    /** Seed used when the builder is not given one, so that an unseeded model is still reproducible. */
    public static final long DEFAULT_SEED = 0L;

    private final int[] inputShape;
    private final int inputWidth;
    private final List<Layer> layers;
    private final long seed;
    private final INDArray all;
    private final INDArray params;
    private final INDArray state;
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final INDArray[] movingMeans;
    private final INDArray[] movingVariances;
    private final IActivation[] activations;
    private final Random dropoutRandom;

    private Sequential(int[] inputShape, List<Layer> layers, long seed) {
        this.inputShape = inputShape.clone();
        int width = 1;
        for (int d : inputShape) {
            width *= d;
        }
        this.inputWidth = width;
        this.layers = List.copyOf(layers);
        this.seed = seed;
        long count = 0;
        long stateCount = 0;
        boolean dropout = false;
        for (Layer layer : layers) {
            count += layer.paramCount();
            stateCount += layer.stateCount();
            dropout |= layer.type() == Layer.Type.DROPOUT;
        }
        if (count + stateCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "the model has " + (count + stateCount) + " parameters, more than ND4J's " + Integer.MAX_VALUE
                            + " per vector; use fewer or narrower layers");
        }
        this.all = Nd4j.create(DataType.FLOAT, 1, count + stateCount);
        INDArray flat = all.reshape(count + stateCount);
        if (stateCount == 0) {
            this.params = all;
            this.state = Nd4j.create(DataType.FLOAT, 1, 0);
        } else {
            this.params = flat.get(NDArrayIndex.interval(0, count)).reshape('c', 1, count);
            this.state = flat.get(NDArrayIndex.interval(count, count + stateCount)).reshape('c', 1, stateCount);
        }
        int n = layers.size();
        this.weights = new INDArray[n];
        this.biases = new INDArray[n];
        this.movingMeans = new INDArray[n];
        this.movingVariances = new INDArray[n];
        this.activations = new IActivation[n];
        long offset = 0;
        long stateOffset = count;
        for (int i = 0; i < n; i++) {
            Layer layer = layers.get(i);
            int c = layer.channels();
            switch (layer.type()) {
                case DENSE -> weights[i] = view(flat, offset, layer.inputs(), layer.units());
                case CONV2D -> {
                    int[] k = layer.kernel();
                    weights[i] = view(flat, offset, k[0], k[1], layer.inputShape()[2], c);
                }
                case BATCH_NORM -> {
                    weights[i] = view(flat, offset, 1, c);
                    movingMeans[i] = view(flat, stateOffset, 1, c);
                    movingVariances[i] = view(flat, stateOffset + c, 1, c);
                    stateOffset += 2L * c;
                }
                default -> { }
            }
            if (layer.paramCount() > 0) {
                long w = layer.paramCount() - c;
                biases[i] = view(flat, offset + w, 1, c);
            }
            offset += layer.paramCount();
            activations[i] = layer.activation().toNd4j();
        }
        this.dropoutRandom = dropout ? Nd4j.getRandomFactory().getNewRandomInstance(seed) : null;
    }

    private static INDArray view(INDArray flat, long offset, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return flat.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', shape);
    }

    /** Starts a model whose inputs are rows of {@code width} features. */
    public static Builder input(int width) {
        if (width < 1) {
            throw new IllegalArgumentException(
                    "input width " + width + " must be at least 1; pass the number of features, e.g. "
                            + "Sequential.input(64)");
        }
        return new Builder(new int[] {width});
    }

    /**
     * Starts a model whose inputs are images {@code height x width x channels}, channels-last (Keras's default
     * {@code (height, width, channels)}). Data still arrives as rows of {@code height * width * channels} values, each
     * row an image in C order.
     */
    public static Builder input(int height, int width, int channels) {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("input shape " + height + "x" + width + "x" + channels + " must be at "
                    + "least 1 in every dimension; pass (height, width, channels), e.g. Sequential.input(28, 28, 1)");
        }
        return new Builder(new int[] {height, width, channels});
    }

    /** Number of input values per example (the width of a data row). */
    public int inputWidth() {
        return inputWidth;
    }

    /** The input's shape without the batch dimension: {@code [features]} or {@code [height, width, channels]}. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Number of outputs (the last layer's units). */
    public int outputWidth() {
        return layers.get(layers.size() - 1).units();
    }

    /** The layers, first to last. */
    public List<Layer> layers() {
        return layers;
    }

    /** The seed the weights (and dropout masks) were initialised from. */
    public long seed() {
        return seed;
    }

    /** Total number of trainable parameters. */
    public long paramCount() {
        return params.length();
    }

    /** Number of non-trainable values (batch norm's moving statistics). */
    public long stateCount() {
        return state.length();
    }

    /**
     * The live flat parameter vector, shape {@code [1, paramCount()]}, float32. Writing into it changes the model;
     * {@code params().dup()} takes a snapshot.
     */
    public INDArray params() {
        return params;
    }

    /** The live non-trainable state (moving means and variances), {@code [1, stateCount()]}; may be empty. */
    public INDArray state() {
        return state;
    }

    /**
     * The parameters followed by the state, live, {@code [1, paramCount() + stateCount()]}: everything Keras's
     * {@code get_weights()} returns. Equal to {@link #params()} when the model has no state.
     */
    public INDArray paramsAndState() {
        return all;
    }

    /**
     * Copies {@code flat} into the parameters (Keras {@code set_weights} for the whole model).
     *
     * @throws IllegalArgumentException if {@code flat} does not hold exactly {@link #paramCount()} values
     */
    public void setParams(INDArray flat) {
        Objects.requireNonNull(flat, "flat");
        if (flat.length() != params.length()) {
            throw new IllegalArgumentException(
                    "parameter vector of shape " + Arrays.toString(flat.shape()) + " holds " + flat.length()
                            + " values but this model has " + params.length() + " parameters (" + describe()
                            + "); pass the params() of a model with the same layers");
        }
        params.assign(flat.reshape(params.shape()));
    }

    /**
     * Copies {@code flat} into the state (moving statistics).
     *
     * @throws IllegalArgumentException if {@code flat} does not hold exactly {@link #stateCount()} values
     */
    public void setState(INDArray flat) {
        Objects.requireNonNull(flat, "flat");
        if (flat.length() != state.length()) {
            throw new IllegalArgumentException(
                    "state vector of shape " + Arrays.toString(flat.shape()) + " holds " + flat.length()
                            + " values but this model has " + state.length() + " state values (" + describe()
                            + "); pass the state() of a model with the same layers");
        }
        if (flat.length() > 0) {
            state.assign(flat.reshape(state.shape()));
        }
    }

    /** Copies {@code flat} into {@link #paramsAndState()}. */
    public void setParamsAndState(INDArray flat) {
        Objects.requireNonNull(flat, "flat");
        if (flat.length() != all.length()) {
            throw new IllegalArgumentException(
                    "vector of shape " + Arrays.toString(flat.shape()) + " holds " + flat.length() + " values but this "
                            + "model has " + all.length() + " parameters and state values (" + describe()
                            + "); pass the paramsAndState() of a model with the same layers");
        }
        all.assign(flat.reshape(all.shape()));
    }

    /**
     * Live view of layer {@code layer}'s kernel: {@code [inputs, units]} (dense), {@code [kH, kW, channelsIn,
     * filters]} (conv2d), or batch norm's {@code gamma [1, channels]}.
     *
     * @throws IllegalArgumentException if the layer has no parameters
     */
    public INDArray weights(int layer) {
        return require(weights, layer, "weights");
    }

    /** Live view of layer {@code layer}'s bias {@code [1, units]}, or batch norm's {@code beta}. */
    public INDArray bias(int layer) {
        return require(biases, layer, "bias");
    }

    /** Live view of batch-norm layer {@code layer}'s moving mean, {@code [1, channels]}. */
    public INDArray movingMean(int layer) {
        return require(movingMeans, layer, "moving mean");
    }

    /** Live view of batch-norm layer {@code layer}'s moving variance, {@code [1, channels]}. */
    public INDArray movingVariance(int layer) {
        return require(movingVariances, layer, "moving variance");
    }

    private INDArray require(INDArray[] views, int layer, String what) {
        INDArray v = views[checkLayer(layer)];
        if (v == null) {
            Layer l = layers.get(layer);
            throw new IllegalArgumentException("layer " + layer + " (" + l.name() + ", " + l.type().kerasClass()
                    + ") has no " + what + "; pick a layer that has, e.g. a dense or conv2d layer");
        }
        return v;
    }

    /** ND4J's activation function of layer {@code layer}, for code that runs the layers itself (the trainer). */
    public IActivation activationFunction(int layer) {
        return activations[checkLayer(layer)];
    }

    /**
     * The generator of the dropout masks, seeded from {@link #seed()}, or null without dropout layers. Its state
     * ({@code rootState}, {@code nodeState}) belongs to the model's training state: backups and full checkpoints keep
     * it, so that a resumed run draws the masks the interrupted one would have.
     */
    public Random dropoutRandom() {
        return dropoutRandom;
    }

    /** Whether every layer is dense (the model {@link #input(int)} with dense layers only). */
    public boolean isDenseOnly() {
        for (Layer layer : layers) {
            if (layer.type() != Layer.Type.DENSE) {
                return false;
            }
        }
        return true;
    }

    /**
     * The model's outputs for {@code features} ({@code [rows, inputWidth()]}), as a new {@code [rows, outputWidth()]}
     * float32 array (Keras {@code predict}): inference mode, so dropout is off and batch norm uses its moving
     * statistics.
     *
     * @throws IllegalArgumentException if {@code features} is not a matrix {@code inputWidth()} wide
     */
    public INDArray predict(INDArray features) {
        Objects.requireNonNull(features, "features");
        if (features.rank() != 2 || features.size(1) != inputWidth) {
            throw new IllegalArgumentException(
                    "features of shape " + Arrays.toString(features.shape()) + " do not fit this model, which takes "
                            + inputWidth + " features per row; pass a [rows, " + inputWidth + "] matrix");
        }
        INDArray x = features.dataType() == DataType.FLOAT ? features : features.castTo(DataType.FLOAT);
        if (!isDenseOnly()) {
            return InferencePass.predict(this, x);
        }
        for (int i = 0; i < layers.size(); i++) {
            INDArray z = x.mmul(weights[i]);
            z.addiRowVector(biases[i]);
            INDArray a = activations[i].getActivation(z, false);
            x = a;
        }
        return x;
    }

    /** An independent model with the same layers, seed, (copied) parameters, state and dropout generator state. */
    public Sequential copy() {
        Sequential copy = new Sequential(inputShape, layers, seed);
        copy.all.assign(all);
        if (dropoutRandom != null) {
            copy.dropoutRandom.setStates(dropoutRandom.rootState(), dropoutRandom.nodeState());
        }
        return copy;
    }

    /**
     * A table of the layers, their output shapes and parameter counts, as Keras's {@code model.summary()}; batch
     * norm's moving statistics count as non-trainable parameters, as in Keras.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        String rule = "_".repeat(76) + "\n";
        String thick = "=".repeat(76) + "\n";
        sb.append("Model: \"sequential\"\n").append(rule);
        sb.append(String.format(" %-44s%-20s%11s%n", "Layer (type)", "Output Shape", "Param #"));
        sb.append(thick);
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            StringBuilder shape = new StringBuilder("(None");
            for (int d : layer.outputShape()) {
                shape.append(", ").append(d);
            }
            shape.append(')');
            sb.append(String.format(" %-44s%-20s%,11d%n", layer.name() + " (" + layer.type().kerasClass() + ")",
                    shape, layer.paramCount() + layer.stateCount()));
            sb.append(i == layers.size() - 1 ? thick : rule);
        }
        long trainable = paramCount();
        long fixed = stateCount();
        sb.append(String.format("Total params: %,d (%s)%n", trainable + fixed, bytes(trainable + fixed)));
        sb.append(String.format("Trainable params: %,d (%s)%n", trainable, bytes(trainable)));
        sb.append(String.format("Non-trainable params: %,d (%s)%n", fixed, bytes(fixed)));
        return sb.toString();
    }

    private static String bytes(long floats) {
        double b = floats * 4.0;
        if (b < 1024) {
            return String.format("%.2f B", b);
        }
        return b < 1024 * 1024 ? String.format("%.2f KB", b / 1024) : String.format("%.2f MB", b / 1024 / 1024);
    }

    @Override
    public String toString() {
        return "Sequential(" + describe() + ")";
    }

    /**
     * The configuration in one line: the input shape, then each layer's settings. Two models with the same text
     * have the same layers and parameter layout.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder("input " + Layer.shape(inputShape));
        for (Layer layer : layers) {
            sb.append(" -> ").append(layer.describe());
        }
        return sb.toString();
    }

    /** {@link Layer#describe()} of each layer, for the configuration text of backups. */
    public List<String> layerDescriptions() {
        List<String> out = new ArrayList<>();
        for (Layer layer : layers) {
            out.add(layer.describe());
        }
        return out;
    }

    private int checkLayer(int layer) {
        if (layer < 0 || layer >= layers.size()) {
            throw new IndexOutOfBoundsException(
                    "layer " + layer + " does not exist; this model has layers 0.." + (layers.size() - 1));
        }
        return layer;
    }

    /** Builds a {@link Sequential}; obtained from {@link Sequential#input(int)} or {@link #input(int, int, int)}. */
    public static final class Builder {

        private final int[] inputShape;
        private final List<Layer> layers = new ArrayList<>();
        private final Map<Layer.Type, Integer> counts = new EnumMap<>(Layer.Type.class);
        private int[] shape;
        private long seed = DEFAULT_SEED;

        private Builder(int[] inputShape) {
            this.inputShape = inputShape;
            this.shape = inputShape;
        }

        private String nextName(Layer.Type type) {
            int k = counts.merge(type, 1, Integer::sum) - 1;
            return k == 0 ? type.baseName() : type.baseName() + "_" + k;
        }

        private Builder add(Layer layer) {
            layers.add(layer);
            shape = layer.outputShape();
            return this;
        }

        private int[] image(String what) {
            if (shape.length != 3) {
                throw new IllegalArgumentException(what + " (layer " + layers.size() + ") needs an image input "
                        + "[height, width, channels] but gets " + Arrays.toString(shape) + "; start the model with "
                        + "Sequential.input(height, width, channels) and put image layers before flatten()");
            }
            return shape;
        }

        /** Adds a dense layer with the default weight init for {@code activation} ({@link WeightInit#defaultFor}). */
        public Builder dense(int units, Activation activation) {
            Objects.requireNonNull(activation, "activation");
            return dense(units, activation, WeightInit.defaultFor(activation));
        }

        /** Adds a dense layer of {@code units} outputs. Its input must be flat: after an image, add flatten(). */
        public Builder dense(int units, Activation activation, WeightInit init) {
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(init, "init");
            if (units < 1) {
                throw new IllegalArgumentException(
                        "dense layer " + layers.size() + " has " + units + " units; it needs at least 1, e.g. "
                                + ".dense(10, Activation.SOFTMAX)");
            }
            if (shape.length != 1) {
                throw new IllegalArgumentException("dense layer " + layers.size() + " gets an image "
                        + Arrays.toString(shape) + "; add .flatten() or .globalAvgPool() before it");
            }
            return add(new Layer(nextName(Layer.Type.DENSE), shape[0], units, activation, init));
        }

        /** Adds a 2-D convolution, {@code kernelSize x kernelSize}, stride 1, padding "valid" (Keras's defaults). */
        public Builder conv2d(int filters, int kernelSize, Activation activation) {
            return conv2d(filters, kernelSize, 1, "valid", activation);
        }

        /** Adds a 2-D convolution with a square kernel and stride; {@code padding} {@code "valid"} or {@code "same"}. */
        public Builder conv2d(int filters, int kernelSize, int stride, String padding, Activation activation) {
            Objects.requireNonNull(activation, "activation");
            return conv2d(filters, new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, Padding.of(padding),
                    activation, WeightInit.defaultFor(activation));
        }

        /**
         * Adds a 2-D convolution (Keras {@code Conv2D}, channels-last): kernel {@code [height, width]}, strides
         * {@code [height, width]}, no dilation. The kernel is initialised as a dense layer's with fan-in
         * {@code kH * kW * channelsIn} and fan-out {@code kH * kW * filters}; the bias starts at zero.
         */
        public Builder conv2d(int filters, int[] kernelSize, int[] strides, Padding padding, Activation activation,
                WeightInit init) {
            Objects.requireNonNull(padding, "padding");
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(init, "init");
            String what = "conv2d layer " + layers.size();
            int[] in = image("conv2d");
            if (filters < 1) {
                throw new IllegalArgumentException(what + " has " + filters + " filters; it needs at least 1, e.g. "
                        + ".conv2d(32, 3, Activation.RELU)");
            }
            int[] k = pair(kernelSize, "kernel size", what);
            int[] s = pair(strides, "strides", what);
            int[] out = window(in, k, s, padding, what);
            return add(new Layer(Layer.Type.CONV2D, nextName(Layer.Type.CONV2D), in, new int[] {out[0], out[1], filters},
                    activation, init, k, s, padding, 0, 0, 0, 0));
        }

        /** Adds max pooling over {@code size x size} windows, stride {@code size}, padding "valid" (Keras defaults). */
        public Builder maxPool(int size) {
            return maxPool(size, size, "valid");
        }

        /** Adds max pooling over {@code size x size} windows with stride {@code stride}, padding "valid". */
        public Builder maxPool(int size, int stride) {
            return maxPool(size, stride, "valid");
        }

        /** Adds max pooling (Keras {@code MaxPooling2D}). */
        public Builder maxPool(int size, int stride, String padding) {
            return pool(Layer.Type.MAX_POOL, size, stride, Padding.of(padding));
        }

        /** Adds average pooling over {@code size x size} windows, stride {@code size}, padding "valid". */
        public Builder avgPool(int size) {
            return avgPool(size, size, "valid");
        }

        /** Adds average pooling over {@code size x size} windows with stride {@code stride}, padding "valid". */
        public Builder avgPool(int size, int stride) {
            return avgPool(size, stride, "valid");
        }

        /**
         * Adds average pooling (Keras {@code AveragePooling2D}); with "same" padding the windows at the border average
         * their values inside the input only, as Keras.
         */
        public Builder avgPool(int size, int stride, String padding) {
            return pool(Layer.Type.AVG_POOL, size, stride, Padding.of(padding));
        }

        private Builder pool(Layer.Type type, int size, int stride, Padding padding) {
            String what = type.baseName() + " layer " + layers.size();
            int[] in = image(type.baseName());
            int[] k = pair(new int[] {size, size}, "pool size", what);
            int[] s = pair(new int[] {stride, stride}, "stride", what);
            int[] out = window(in, k, s, padding, what);
            return add(new Layer(type, nextName(type), in, new int[] {out[0], out[1], in[2]}, null, null, k, s, padding,
                    0, 0, 0, 0));
        }

        /** Adds the mean over height and width (Keras {@code GlobalAveragePooling2D}): {@code [channels]}. */
        public Builder globalAvgPool() {
            int[] in = image("globalAvgPool");
            return add(new Layer(Layer.Type.GLOBAL_AVG_POOL, nextName(Layer.Type.GLOBAL_AVG_POOL), in,
                    new int[] {in[2]}, null, null, null, null, null, 0, 0, 0, 0));
        }

        /** Adds a flatten (Keras {@code Flatten}): an image's values in C order (height, width, channels). */
        public Builder flatten() {
            int[] in = image("flatten");
            return add(new Layer(Layer.Type.FLATTEN, nextName(Layer.Type.FLATTEN), in, new int[] {in[0] * in[1] * in[2]},
                    null, null, null, null, null, 0, 0, 0, 0));
        }

        /**
         * Adds dropout (Keras {@code Dropout}): in training, each value is zeroed with probability {@code rate} and
         * the others scaled by {@code 1 / (1 - rate)}; in validation, evaluate and predict, the identity.
         */
        public Builder dropout(double rate) {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("dropout rate " + rate + " (layer " + layers.size() + ") is "
                        + "outside [0, 1); pass the fraction of values to drop, e.g. .dropout(0.5)");
            }
            return add(new Layer(Layer.Type.DROPOUT, nextName(Layer.Type.DROPOUT), shape, shape, null, null, null, null,
                    null, rate, 0, 0, 0));
        }

        /** Adds batch normalization over the last axis with Keras's defaults: momentum 0.99, epsilon 1e-3. */
        public Builder batchNorm() {
            return batchNorm(0.99, 1e-3);
        }

        /**
         * Adds batch normalization (Keras {@code BatchNormalization}, axis -1): {@code gamma} starts at 1,
         * {@code beta} at 0, the moving mean at 0 and the moving variance at 1; each training batch moves them as
         * {@code moving = moving * momentum + batch * (1 - momentum)} (the batch variance without Bessel's
         * correction, as Keras).
         */
        public Builder batchNorm(double momentum, double epsilon) {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("batchNorm momentum " + momentum + " (layer " + layers.size()
                        + ") is outside [0, 1); pass e.g. 0.99");
            }
            if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                throw new IllegalArgumentException("batchNorm epsilon " + epsilon + " (layer " + layers.size()
                        + ") must be a small positive number; pass e.g. 1e-3");
            }
            return add(new Layer(Layer.Type.BATCH_NORM, nextName(Layer.Type.BATCH_NORM), shape, shape, null, null,
                    null, null, null, 0, momentum, epsilon, 0));
        }

        /**
         * L2 weight decay on the kernel of the layer added last (Keras {@code kernel_regularizer=L2(l2)}): adds
         * {@code l2 * sum(W^2)} to the loss, so {@code 2 * l2 * W} to the kernel's gradient.
         *
         * @throws IllegalStateException if the last layer is not a dense or conv2d layer
         */
        public Builder l2(double l2) {
            if (!(l2 >= 0) || Double.isInfinite(l2)) {
                throw new IllegalArgumentException("l2 " + l2 + " must be a finite number >= 0; pass e.g. 1e-4");
            }
            if (layers.isEmpty() || !layers.get(layers.size() - 1).hasKernel()) {
                throw new IllegalStateException("l2(" + l2 + ") regularises the kernel of the layer added last, but "
                        + (layers.isEmpty() ? "there is none" : "that is " + layers.get(layers.size() - 1).name())
                        + "; call it right after a dense(..) or conv2d(..)");
            }
            layers.set(layers.size() - 1, layers.get(layers.size() - 1).withL2(l2));
            return this;
        }

        /** Seed of the weight initialisation; the same seed gives the same weights. Default {@link #DEFAULT_SEED}. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Creates the model and initialises its weights from the seed with ND4J's generator (biases are zero).
         *
         * @throws IllegalStateException if no layer was added, or the last layer's output is not flat
         */
        public Sequential build() {
            if (layers.isEmpty()) {
                throw new IllegalStateException(
                        "a Sequential needs at least one layer; add one, e.g. Sequential.input(" + inputShape[0]
                                + ").dense(10, Activation.SOFTMAX).build()");
            }
            if (shape.length != 1) {
                throw new IllegalStateException("the model's output is an image " + Arrays.toString(shape) + "; end "
                        + "it with flat outputs, e.g. .flatten().dense(10, Activation.SOFTMAX)");
            }
            Sequential model = new Sequential(inputShape, layers, seed);
            // ND4J's weight-init schemes draw from the calling thread's generator: seed it, as DL4J's init() does.
            Nd4j.getRandom().setSeed(seed);
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                switch (layer.type()) {
                    case DENSE -> model.weights[i].assign(layer.weightInit().scheme(layer.inputs(), layer.units())
                            .create(DataType.FLOAT, layer.inputs(), layer.units()));
                    case CONV2D -> {
                        long[] shape = model.weights[i].shape();
                        int area = layer.kernel()[0] * layer.kernel()[1];
                        int fanIn = area * layer.inputShape()[2];
                        int fanOut = area * layer.channels();
                        model.weights[i].assign(layer.weightInit().scheme(fanIn, fanOut).create(DataType.FLOAT, shape));
                    }
                    case BATCH_NORM -> {
                        model.weights[i].assign(1);
                        model.movingVariances[i].assign(1);
                    }
                    default -> { }
                }
            }
            return model;
        }

        private static int[] pair(int[] values, String what, String where) {
            Objects.requireNonNull(values, what);
            if (values.length != 2 || values[0] < 1 || values[1] < 1) {
                throw new IllegalArgumentException(where + ": " + what + " " + Arrays.toString(values) + " must be two "
                        + "positive numbers [height, width], e.g. [3, 3]");
            }
            return values.clone();
        }

        private static int[] window(int[] in, int[] k, int[] s, Padding padding, String where) {
            int h = padding.outputSize(in[0], k[0], s[0]);
            int w = padding.outputSize(in[1], k[1], s[1]);
            if (h < 1 || w < 1) {
                throw new IllegalArgumentException(where + ": a " + k[0] + "x" + k[1] + " window with \""
                        + padding.kerasName() + "\" padding does not fit its " + in[0] + "x" + in[1] + " input; use a "
                        + "smaller window, \"same\" padding, or fewer pooling layers before it");
            }
            return new int[] {h, w};
        }
    }
}
