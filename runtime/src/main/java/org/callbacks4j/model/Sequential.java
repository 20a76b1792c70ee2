package org.callbacks4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Placeholder for the contract skeleton; the runtime trainer replaces it. */
public final class Sequential {
    private Sequential() {}

    /** The flat float32 parameter vector; the layers' weights are views of it. */
    public INDArray params() {
        throw new UnsupportedOperationException("placeholder: the trainer's Sequential replaces this class");
    }

    /** Copies {@code params} into the flat parameter vector. */
    public void setParams(INDArray params) {
        throw new UnsupportedOperationException("placeholder: the trainer's Sequential replaces this class");
    }
}
