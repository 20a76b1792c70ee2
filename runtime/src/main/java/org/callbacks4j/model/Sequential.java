package org.callbacks4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A stack of dense layers (Keras {@code Sequential} of {@code Dense}), float32.
 *
 * <pre>{@code
 * Sequential model = Sequential.input(64)
 *         .dense(128, Activation.RELU)
 *         .dense(10, Activation.SOFTMAX)
 *         .seed(42)
 *         .build();
 * }</pre>
 *
 * <p>All parameters live in one flat float32 vector ({@link #params()}), as in DL4J: for each layer in order, its
 * weight matrix {@code W [inputs, units]} in C (row-major) order, then its bias {@code b [units]}. {@link #weights(int)}
 * and {@link #bias(int)} are views into that vector, so writing through them, or through {@link #params()}, changes
 * the model. A model is not thread-safe: train or predict from one thread at a time.
 */
public final class Sequential {

    /** Seed used when the builder is not given one, so that an unseeded model is still reproducible. */
    public static final long DEFAULT_SEED = 0L;

    private final int inputWidth;
    private final List<Layer> layers;
    private final long seed;
    private final INDArray params;
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final IActivation[] activations;

    private Sequential(int inputWidth, List<Layer> layers, long seed) {
        this.inputWidth = inputWidth;
        this.layers = List.copyOf(layers);
        this.seed = seed;
        long count = 0;
        for (Layer layer : layers) {
            count += layer.paramCount();
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "the model has " + count + " parameters, more than ND4J's " + Integer.MAX_VALUE
                            + " per vector; use fewer or narrower layers");
        }
        this.params = Nd4j.create(DataType.FLOAT, 1, count);
        INDArray flat = params.reshape(count);
        int n = layers.size();
        this.weights = new INDArray[n];
        this.biases = new INDArray[n];
        this.activations = new IActivation[n];
        long offset = 0;
        for (int i = 0; i < n; i++) {
            Layer layer = layers.get(i);
            long w = (long) layer.inputs() * layer.units();
            weights[i] = flat.get(NDArrayIndex.interval(offset, offset + w)).reshape('c', layer.inputs(), layer.units());
            offset += w;
            biases[i] = flat.get(NDArrayIndex.interval(offset, offset + layer.units())).reshape('c', 1, layer.units());
            offset += layer.units();
            activations[i] = layer.activation().toNd4j();
        }
    }

    /** Starts a model whose inputs have {@code width} features. */
    public static Builder input(int width) {
        return new Builder(width);
    }

    /** Number of input features. */
    public int inputWidth() {
        return inputWidth;
    }

    /** Number of outputs (the last layer's units). */
    public int outputWidth() {
        return layers.get(layers.size() - 1).units();
    }

    /** The layers, first to last. */
    public List<Layer> layers() {
        return layers;
    }

    /** The seed the weights were initialised from. */
    public long seed() {
        return seed;
    }

    /** Total number of parameters (weights and biases of every layer). */
    public long paramCount() {
        return params.length();
    }

    /**
     * The live flat parameter vector, shape {@code [1, paramCount()]}, float32. Writing into it changes the model;
     * {@code params().dup()} takes a snapshot.
     */
    public INDArray params() {
        return params;
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

    /** Live view of layer {@code layer}'s weight matrix, shape {@code [inputs, units]}. */
    public INDArray weights(int layer) {
        return weights[checkLayer(layer)];
    }

    /** Live view of layer {@code layer}'s bias, shape {@code [1, units]}. */
    public INDArray bias(int layer) {
        return biases[checkLayer(layer)];
    }

    /** ND4J's activation function of layer {@code layer}, for code that runs the layers itself (the trainer). */
    public IActivation activationFunction(int layer) {
        return activations[checkLayer(layer)];
    }

    /**
     * The model's outputs for {@code features} ({@code [rows, inputWidth()]}), as a new {@code [rows, outputWidth()]}
     * float32 array (Keras {@code predict}).
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
        for (int i = 0; i < layers.size(); i++) {
            INDArray z = x.mmul(weights[i]);
            z.addiRowVector(biases[i]);
            INDArray a = activations[i].getActivation(z, false);
            x = a;
        }
        return x;
    }

    /** An independent model with the same layers, seed and (copied) parameters. */
    public Sequential copy() {
        Sequential copy = new Sequential(inputWidth, layers, seed);
        copy.params.assign(params);
        return copy;
    }

    /**
     * A table of the layers, their output shapes and parameter counts, as Keras's {@code model.summary()}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        String rule = "_".repeat(78) + "\n";
        String thick = "=".repeat(78) + "\n";
        sb.append("Model: \"sequential\"\n").append(rule);
        sb.append(String.format(" %-26s%-20s%-14s%16s%n", "Layer (type)", "Output Shape", "Activation", "Param #"));
        sb.append(thick);
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            sb.append(String.format(
                    " %-26s%-20s%-14s%,16d%n",
                    layer.name() + " (Dense)",
                    "(None, " + layer.units() + ")",
                    layer.activation().kerasName(),
                    layer.paramCount()));
            sb.append(i == layers.size() - 1 ? thick : rule);
        }
        long count = paramCount();
        String size = String.format("%.2f KB", count * 4 / 1024.0);
        sb.append(String.format("Total params: %,d (%s)%n", count, size));
        sb.append(String.format("Trainable params: %,d (%s)%n", count, size));
        sb.append("Non-trainable params: 0 (0.00 B)\n");
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Sequential(" + describe() + ")";
    }

    private String describe() {
        StringBuilder sb = new StringBuilder("input " + inputWidth);
        for (Layer layer : layers) {
            sb.append(" -> dense ").append(layer.units()).append(' ').append(layer.activation().kerasName());
        }
        return sb.toString();
    }

    private int checkLayer(int layer) {
        if (layer < 0 || layer >= layers.size()) {
            throw new IndexOutOfBoundsException(
                    "layer " + layer + " does not exist; this model has layers 0.." + (layers.size() - 1));
        }
        return layer;
    }

    /** Builds a {@link Sequential}; obtained from {@link Sequential#input(int)}. */
    public static final class Builder {

        private final int inputWidth;
        private final List<Layer> layers = new ArrayList<>();
        private long seed = DEFAULT_SEED;

        private Builder(int inputWidth) {
            if (inputWidth < 1) {
                throw new IllegalArgumentException(
                        "input width " + inputWidth + " must be at least 1; pass the number of features, e.g. "
                                + "Sequential.input(64)");
            }
            this.inputWidth = inputWidth;
        }

        /** Adds a dense layer with the default weight init for {@code activation} ({@link WeightInit#defaultFor}). */
        public Builder dense(int units, Activation activation) {
            Objects.requireNonNull(activation, "activation");
            return dense(units, activation, WeightInit.defaultFor(activation));
        }

        /** Adds a dense layer of {@code units} outputs. */
        public Builder dense(int units, Activation activation, WeightInit init) {
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(init, "init");
            if (units < 1) {
                throw new IllegalArgumentException(
                        "dense layer " + layers.size() + " has " + units + " units; it needs at least 1, e.g. "
                                + ".dense(10, Activation.SOFTMAX)");
            }
            int inputs = layers.isEmpty() ? inputWidth : layers.get(layers.size() - 1).units();
            String name = layers.isEmpty() ? "dense" : "dense_" + layers.size();
            layers.add(new Layer(name, inputs, units, activation, init));
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
         * @throws IllegalStateException if no layer was added
         */
        public Sequential build() {
            if (layers.isEmpty()) {
                throw new IllegalStateException(
                        "a Sequential needs at least one layer; add one, e.g. Sequential.input(" + inputWidth
                                + ").dense(10, Activation.SOFTMAX).build()");
            }
            Sequential model = new Sequential(inputWidth, layers, seed);
            // ND4J's weight-init schemes draw from the calling thread's generator: seed it, as DL4J's init() does.
            Nd4j.getRandom().setSeed(seed);
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                INDArray w = layer.weightInit().scheme(layer.inputs(), layer.units())
                        .create(DataType.FLOAT, layer.inputs(), layer.units());
                model.weights[i].assign(w);
            }
            return model;
        }
    }
}
