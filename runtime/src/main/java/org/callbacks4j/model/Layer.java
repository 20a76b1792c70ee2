package org.callbacks4j.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * Read-only description of one layer of a {@link Sequential}: what a checkpoint records to rebuild the model. Shapes
 * leave out the batch dimension and are channels-last, as Keras: {@code [units]} for a flat layer,
 * {@code [height, width, channels]} for an image.
 *
 * <ul>
 *   <li>{@link Type#DENSE}: {@code activation(input · W + b)}, {@code W [inputs, units]}, {@code b [units]}.</li>
 *   <li>{@link Type#CONV2D}: {@code activation(conv(input, W) + b)}, {@code W [kernelH, kernelW, channelsIn,
 *   filters]} (Keras's and libnd4j's NHWC kernel layout), {@code b [filters]}.</li>
 *   <li>{@link Type#MAX_POOL}, {@link Type#AVG_POOL}: window {@code poolSize}, step {@code strides}.</li>
 *   <li>{@link Type#GLOBAL_AVG_POOL}: the mean over height and width, {@code [channels]}.</li>
 *   <li>{@link Type#FLATTEN}: the input's values in C order (height, width, channels), {@code [h * w * c]}.</li>
 *   <li>{@link Type#DROPOUT}: zeroes a fraction {@code rate} of the values in training and scales the rest by
 *   {@code 1 / (1 - rate)}; the identity otherwise.</li>
 *   <li>{@link Type#BATCH_NORM}: {@code gamma (x - mean) / sqrt(var + epsilon) + beta} over the last axis, with the
 *   batch's statistics in training and the moving ones otherwise; parameters {@code gamma, beta}, state
 *   {@code movingMean, movingVariance}.</li>
 * </ul>
 */
public final class Layer {

    /** The kind of layer, with the Keras class name that {@link Sequential#summary()} prints. */
    public enum Type {
        DENSE("Dense", "dense"),
        CONV2D("Conv2D", "conv2d"),
        MAX_POOL("MaxPooling2D", "max_pooling2d"),
        AVG_POOL("AveragePooling2D", "average_pooling2d"),
        GLOBAL_AVG_POOL("GlobalAveragePooling2D", "global_average_pooling2d"),
        FLATTEN("Flatten", "flatten"),
        DROPOUT("Dropout", "dropout"),
        BATCH_NORM("BatchNormalization", "batch_normalization");

        private final String kerasClass;
        private final String baseName;

        Type(String kerasClass, String baseName) {
            this.kerasClass = kerasClass;
            this.baseName = baseName;
        }

        /** Keras's class name, e.g. {@code Conv2D}. */
        public String kerasClass() {
            return kerasClass;
        }

        /** Keras's default layer name before numbering, e.g. {@code conv2d}. */
        public String baseName() {
            return baseName;
        }
    }

    private final Type type;
    private final String name;
    private final int[] inputShape;
    private final int[] outputShape;
    private final Activation activation;
    private final WeightInit weightInit;
    private final int[] kernel;
    private final int[] strides;
    private final Padding padding;
    private final double rate;
    private final double momentum;
    private final double epsilon;
    private final double l2;

    Layer(Type type, String name, int[] inputShape, int[] outputShape, Activation activation, WeightInit weightInit,
            int[] kernel, int[] strides, Padding padding, double rate, double momentum, double epsilon, double l2) {
        this.type = type;
        this.name = name;
        this.inputShape = inputShape.clone();
        this.outputShape = outputShape.clone();
        this.activation = activation;
        this.weightInit = weightInit;
        this.kernel = kernel == null ? null : kernel.clone();
        this.strides = strides == null ? null : strides.clone();
        this.padding = padding;
        this.rate = rate;
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.l2 = l2;
    }

    /** A dense layer. */
    Layer(String name, int inputs, int units, Activation activation, WeightInit weightInit) {
        this(Type.DENSE, name, new int[] {inputs}, new int[] {units}, activation, weightInit, null, null, null, 0, 0,
                0, 0);
    }

    /** The same layer with kernel regularisation {@code l2}. */
    Layer withL2(double l2) {
        return new Layer(type, name, inputShape, outputShape, activation, weightInit, kernel, strides, padding, rate,
                momentum, epsilon, l2);
    }

    public Type type() {
        return type;
    }

    /** Keras-style name: {@code dense}, {@code dense_1}, {@code conv2d}, ... (numbered per type). */
    public String name() {
        return name;
    }

    /** The input's shape without the batch dimension. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** The output's shape without the batch dimension. */
    public int[] outputShape() {
        return outputShape.clone();
    }

    /** The number of values per example in the input (for a dense layer, the input width). */
    public int inputs() {
        return product(inputShape);
    }

    /** The number of values per example in the output (for a dense layer, its units). */
    public int units() {
        return product(outputShape);
    }

    /** The activation of a dense or conv2d layer, {@link Activation#IDENTITY} for the others. */
    public Activation activation() {
        return activation == null ? Activation.IDENTITY : activation;
    }

    /** The kernel initialisation of a dense or conv2d layer, else null. */
    public WeightInit weightInit() {
        return weightInit;
    }

    /** {@code [height, width]} of a conv2d kernel or a pooling window, else null. */
    public int[] kernel() {
        return kernel == null ? null : kernel.clone();
    }

    /** {@code [height, width]} steps of a conv2d or pooling layer, else null. */
    public int[] strides() {
        return strides == null ? null : strides.clone();
    }

    /** The padding of a conv2d or pooling layer, else null. */
    public Padding padding() {
        return padding;
    }

    /** The fraction of values a dropout layer drops, else 0. */
    public double rate() {
        return rate;
    }

    /** The moving statistics' momentum of a batch-norm layer (Keras default 0.99), else 0. */
    public double momentum() {
        return momentum;
    }

    /** The batch-norm layer's epsilon (Keras default 1e-3), else 0. */
    public double epsilon() {
        return epsilon;
    }

    /** The L2 factor of the kernel regulariser (0: none): adds {@code l2 * sum(W^2)} to the loss. */
    public double l2() {
        return l2;
    }

    /** Whether the layer has a kernel and a bias (dense, conv2d). */
    public boolean hasKernel() {
        return type == Type.DENSE || type == Type.CONV2D;
    }

    /** Number of kernel values (dense, conv2d), else 0. */
    public long kernelCount() {
        return switch (type) {
            case DENSE -> (long) inputs() * units();
            case CONV2D -> (long) kernel[0] * kernel[1] * inputShape[2] * outputShape[2];
            default -> 0;
        };
    }

    /** Trainable values in the model's flat parameter vector: kernel then bias; or gamma then beta. */
    public long paramCount() {
        return switch (type) {
            case DENSE, CONV2D -> kernelCount() + channels();
            case BATCH_NORM -> 2L * channels();
            default -> 0;
        };
    }

    /** Non-trainable values in the model's state vector: batch norm's moving mean then moving variance. */
    public long stateCount() {
        return type == Type.BATCH_NORM ? 2L * channels() : 0;
    }

    /** The size of the output's last axis (units, filters, channels). */
    public int channels() {
        return outputShape[outputShape.length - 1];
    }

    /**
     * The integer arguments of libnd4j's {@code conv2d} (for a {@link Type#CONV2D} layer) or 2-D pooling op (for
     * {@link Type#MAX_POOL} and {@link Type#AVG_POOL}): window, strides, padding mode, NHWC. For trainers that bind
     * those ops themselves.
     */
    public int[] libnd4jWindowArguments() {
        if (type != Type.CONV2D && type != Type.MAX_POOL && type != Type.AVG_POOL) {
            throw new IllegalStateException(this + " has no window");
        }
        return InferencePass.windowArgs(this, type == Type.CONV2D);
    }

    private static int product(int[] shape) {
        int p = 1;
        for (int d : shape) {
            p *= d;
        }
        return p;
    }

    /** One-line configuration, stable across versions: what backups compare. */
    String describe() {
        return describe(true);
    }

    /**
     * The configuration in one line; without {@code withInit}, leaving out the kernel initialisation (what
     * {@code Checkpoints.loadWeights} compares: weights fit a model whatever it was initialised with).
     */
    public String describe(boolean withInit) {
        StringBuilder sb = new StringBuilder();
        switch (type) {
            case DENSE -> sb.append("dense ").append(inputs()).append("->").append(units()).append(' ')
                    .append(activation().name()).append(withInit ? " " + weightInit.name() : "");
            case CONV2D -> sb.append("conv2d ").append(shape(inputShape)).append("->").append(shape(outputShape))
                    .append(" kernel ").append(kernel[0]).append('x').append(kernel[1]).append(" strides ")
                    .append(strides[0]).append('x').append(strides[1]).append(' ').append(padding.name()).append(' ')
                    .append(activation().name()).append(withInit ? " " + weightInit.name() : "");
            case MAX_POOL, AVG_POOL -> sb.append(type == Type.MAX_POOL ? "maxPool " : "avgPool ")
                    .append(shape(inputShape)).append("->").append(shape(outputShape)).append(" size ")
                    .append(kernel[0]).append('x').append(kernel[1]).append(" strides ").append(strides[0]).append('x')
                    .append(strides[1]).append(' ').append(padding.name());
            case GLOBAL_AVG_POOL -> sb.append("globalAvgPool ").append(shape(inputShape));
            case FLATTEN -> sb.append("flatten ").append(shape(inputShape));
            case DROPOUT -> sb.append("dropout ").append(rate);
            case BATCH_NORM -> sb.append("batchNorm ").append(shape(inputShape)).append(" momentum ").append(momentum)
                    .append(" epsilon ").append(epsilon);
        }
        if (l2 != 0) {
            sb.append(" l2 ").append(l2);
        }
        return sb.toString();
    }

    static String shape(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : "x").append(shape[i]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layer l && type == l.type && name.equals(l.name) && describe().equals(l.describe());
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, Arrays.hashCode(inputShape), Arrays.hashCode(outputShape));
    }

    @Override
    public String toString() {
        return name + "(" + describe() + ")";
    }
}
