package org.callbacks4j.model;

import java.util.Objects;

/**
 * Read-only description of one dense layer of a {@link Sequential}: what a checkpoint records to rebuild the model.
 * The layer computes {@code activation(input · W + b)} with {@code W} of shape {@code [inputs, units]} and {@code b}
 * of shape {@code [1, units]}.
 */
public final class Layer {

    private final String name;
    private final int inputs;
    private final int units;
    private final Activation activation;
    private final WeightInit weightInit;

    Layer(String name, int inputs, int units, Activation activation, WeightInit weightInit) {
        this.name = name;
        this.inputs = inputs;
        this.units = units;
        this.activation = activation;
        this.weightInit = weightInit;
    }

    /** Keras-style name: {@code dense}, {@code dense_1}, {@code dense_2}, ... */
    public String name() {
        return name;
    }

    /** Width of the layer's input (the previous layer's units, or the model's input width). */
    public int inputs() {
        return inputs;
    }

    /** Width of the layer's output. */
    public int units() {
        return units;
    }

    public Activation activation() {
        return activation;
    }

    public WeightInit weightInit() {
        return weightInit;
    }

    /** {@code inputs * units + units}: the weights, then the biases, in the model's flat parameter vector. */
    public long paramCount() {
        return (long) inputs * units + units;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layer l
                && name.equals(l.name)
                && inputs == l.inputs
                && units == l.units
                && activation == l.activation
                && weightInit == l.weightInit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, inputs, units, activation, weightInit);
    }

    @Override
    public String toString() {
        return name + "(" + inputs + " -> " + units + ", " + activation.kerasName() + ", " + weightInit + ")";
    }
}
