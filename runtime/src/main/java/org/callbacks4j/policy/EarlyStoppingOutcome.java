package org.callbacks4j.policy;

/**
 * What an {@link EarlyStopping} did in a fit. Epochs are 0-based, as in hooks (messages print them 1-based).
 *
 * @param monitor the monitored metric
 * @param stoppedTraining whether this policy stopped training
 * @param stoppedEpoch the epoch in which it stopped training, or -1
 * @param bestEpoch the epoch of the best value (the last one that improved), or -1 if no epoch was counted
 * @param bestValue the best value, NaN if no epoch was counted (it may also be NaN if the first counted value was
 *     NaN: see {@link #monitored})
 * @param monitored whether at least one epoch was counted (the monitor had a value at or after startFromEpoch)
 * @param weightsRestored whether the best weights were restored when training ended
 */
public record EarlyStoppingOutcome(String monitor, boolean stoppedTraining, int stoppedEpoch, int bestEpoch,
        double bestValue, boolean monitored, boolean weightsRestored) implements StopOutcome {

    @Override
    public String policy() {
        return "@EarlyStop";
    }
}
