package org.callbacks4j.model;

import java.util.Locale;

/** Padding of a convolution or pooling window, as Keras's {@code padding="valid"} or {@code "same"}. */
public enum Padding {
    /** No padding: the window stays inside the input; output size {@code floor((in - k) / s) + 1}. */
    VALID,
    /** Zero padding (TensorFlow's, more at the bottom and right when odd): output size {@code ceil(in / s)}. */
    SAME;

    /** {@code "valid"} or {@code "same"} (any case), as Keras spells them. */
    public static Padding of(String keras) {
        if (keras != null) {
            switch (keras.toLowerCase(Locale.ROOT)) {
                case "valid" -> {
                    return VALID;
                }
                case "same" -> {
                    return SAME;
                }
                default -> { }
            }
        }
        throw new IllegalArgumentException("padding \"" + keras + "\" is not one Keras knows; pass \"valid\" or "
                + "\"same\"");
    }

    /** Output length along an axis of length {@code in} for window {@code k} and step {@code s}. */
    int outputSize(int in, int k, int s) {
        return this == SAME ? (in + s - 1) / s : in < k ? 0 : (in - k) / s + 1;
    }

    /** Keras's spelling. */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
