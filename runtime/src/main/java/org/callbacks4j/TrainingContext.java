package org.callbacks4j;

import org.callbacks4j.model.Sequential;

/**
 * What a hook can see of, and do to, the training in progress. Inject it by declaring a parameter of this type
 * on any hook. Owned by the trainer and valid during the fit that passed it.
 */
public interface TrainingContext {

    /**
     * Asks the trainer to stop, as Keras's {@code model.stop_training = True}. The trainer checks after every batch
     * end and every epoch end; the current epoch still validates and ends before training stops.
     */
    void stopTraining();

    /** Whether a stop was requested during this fit. */
    boolean isStopRequested();

    /** The optimizer's current learning rate. */
    double learningRate();

    /**
     * Sets the optimizer's learning rate from the next optimizer step on.
     *
     * @throws IllegalArgumentException if {@code learningRate} is negative, NaN or infinite
     */
    void setLearningRate(double learningRate);

    /** The current 0-based epoch, absolute (it counts from the initial epoch, as Keras); -1 before the first. */
    int epoch();

    /** The number of epochs this fit runs unless stopped. */
    int epochs();

    /** The number of training batches in each epoch. */
    int batchesPerEpoch();

    /** The model being trained. */
    Sequential model();
}
