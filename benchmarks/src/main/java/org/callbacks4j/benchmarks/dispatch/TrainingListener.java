package org.callbacks4j.benchmarks.dispatch;

import java.util.Map;
import org.callbacks4j.TrainingContext;

/**
 * The listener reference: the shape of DL4J's {@code TrainingListener}, DJL's {@code TrainingListener} and Keras's
 * Python {@code Callback}. Every listener in the list receives every event (empty defaults for the ones it ignores),
 * and end events carry a fresh {@code Map<String, Double>} of logs.
 */
public interface TrainingListener {

    default void onTrainBegin(TrainingContext context) {}

    default void onTrainEnd(Map<String, Double> logs, TrainingContext context) {}

    default void onEpochBegin(int epoch, Map<String, Double> logs, TrainingContext context) {}

    default void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {}

    default void onBatchBegin(int epoch, int batch, Map<String, Double> logs, TrainingContext context) {}

    default void onBatchEnd(int epoch, int batch, Map<String, Double> logs, TrainingContext context) {}
}
