package org.callbacks4j.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The optimizer step and the accuracy the trainer computes, for {@code OpCosts} to time alone. It lives in the runtime's package (the
 * benchmarks run on the class path) because the step is internal to the trainer and not API.
 */
public final class TrainStepAccess {

    private TrainStepAccess() {}

    /** A fresh optimizer state for {@code paramCount} parameters, as the trainer makes one per model. */
    public static Object optimizerState(Optimizer optimizer, long paramCount) {
        return new OptimizerState(optimizer, paramCount);
    }

    /** The batch's categorical accuracy into {@code target}, as {@code Network.score} computes it. */
    public static boolean accuracy(INDArray outputs, INDArray labels, INDArray target) {
        return HostAccuracy.categorical(outputs, labels, target);
    }

    /** One optimizer step: turns {@code gradient} into the update, as {@code Network.trainStep} does. */
    public static void step(Object state, INDArray gradient) {
        ((OptimizerState) state).step(gradient, 0);
    }
}
