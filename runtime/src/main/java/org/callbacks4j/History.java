package org.callbacks4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code Trainer.fit} returns: the value of each metric at the end of each epoch, as Keras's
 * {@code history.history}. Immutable.
 *
 * <pre>{@code
 * History history = trainer.fit(model, train, Fit.epochs(20).validationSplit(0.2));
 * double best = Collections.min(history.get("val_loss"));
 * }</pre>
 *
 * <p>A series holds one value per epoch in which the metric had a value, with no padding: {@code val_loss} has no
 * entry for an epoch that did not validate, so its list can be shorter than {@link #epochs()}. When a
 * {@code @ReduceLrOnPlateau} or {@code @LearningRateSchedule} is present, {@code learning_rate} is a series too (the
 * rate used in each epoch), as in Keras 3.
 *
 * <p>The history also says how training ended, which Keras leaves to attributes of the callbacks:
 * <pre>{@code
 * history.stoppedBy();      // Optional[EarlyStopping(monitor=val_loss)], or empty if all epochs ran
 * history.stoppedEpoch();   // OptionalInt[7]: the 0-based epoch in which the stop was requested
 * history.earlyStopping();  // [EarlyStoppingOutcome[monitor=val_loss, stopped=true, stoppedEpoch=7, bestEpoch=4, ...]]
 * }</pre>
 *
 * <p>Draw the curves with {@code HistoryPlot.write(history, path)} (package {@code org.callbacks4j.plot}).
 */
public final class History {

    /** {@link #stoppedBy()} when a hook called {@link TrainingContext#stopTraining()}. */
    public static final String STOPPED_BY_HOOK = "stopTraining() from a hook";

    private final List<Integer> epochs;
    private final Map<String, List<Double>> series;
    private final Map<String, List<Integer>> seriesEpochs;
    private final String stoppedBy;
    private final int stoppedEpoch;
    private final List<EarlyStoppingOutcome> earlyStopping;

    private History(List<Integer> epochs, Map<String, List<Double>> series, Map<String, List<Integer>> seriesEpochs,
            String stoppedBy, int stoppedEpoch, List<EarlyStoppingOutcome> earlyStopping) {
        this.epochs = epochs;
        this.series = series;
        this.seriesEpochs = seriesEpochs;
        this.stoppedBy = stoppedBy;
        this.stoppedEpoch = stoppedEpoch;
        this.earlyStopping = earlyStopping;
    }

    /**
     * A history of these values (the trainer builds one through its recorder; tests and tools may build their own).
     * Everything is copied; the series come out sorted by name.
     *
     * @param epochs the 0-based epochs that ran, in order
     * @param series the values of each metric, one per epoch that produced it
     * @param seriesEpochs for each metric of {@code series}, the epochs of its values (as long as its series)
     * @param stoppedBy who stopped training (see {@link #stoppedBy()}), or null if every epoch ran
     * @param stoppedEpoch the epoch of the stop; ignored without {@code stoppedBy}
     * @param earlyStopping the outcome of each {@code @EarlyStop}
     * @throws IllegalArgumentException if a series has no epochs of the same length
     */
    public static History of(List<Integer> epochs, Map<String, List<Double>> series,
            Map<String, List<Integer>> seriesEpochs, String stoppedBy, int stoppedEpoch,
            List<EarlyStoppingOutcome> earlyStopping) {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        Map<String, List<Integer>> epochsCopy = new LinkedHashMap<>();
        new TreeMap<>(series).forEach((name, values) -> {
            List<Integer> at = seriesEpochs.get(name);
            if (at == null || at.size() != values.size()) {
                throw new IllegalArgumentException("series \"" + name + "\" has " + values.size()
                        + " values but epochs " + at + "; give one epoch per value");
            }
            copy.put(name, List.copyOf(values));
            epochsCopy.put(name, List.copyOf(at));
        });
        return new History(List.copyOf(epochs), Collections.unmodifiableMap(copy), epochsCopy, stoppedBy,
                stoppedEpoch, List.copyOf(earlyStopping));
    }

    /** The 0-based epochs that ran, in order (from the initial epoch, as Keras's {@code history.epoch}). */
    public List<Integer> epochs() {
        return epochs;
    }

    /**
     * The values of {@code metric}, one per epoch that produced it.
     *
     * @throws NoSuchElementException if no epoch produced {@code metric}; the message lists the metrics that exist
     */
    public List<Double> get(String metric) {
        List<Double> values = series.get(metric);
        if (values == null) {
            throw new NoSuchElementException(
                    "no metric \"" + metric + "\" in this history; it has " + series.keySet());
        }
        return values;
    }

    /**
     * The 0-based epochs in which {@code metric} had a value, one per entry of {@link #get(String)}: the same as
     * {@link #epochs()} unless the metric skipped epochs.
     *
     * @throws NoSuchElementException if no epoch produced {@code metric}
     */
    public List<Integer> epochsOf(String metric) {
        get(metric);
        return seriesEpochs.get(metric);
    }

    /** The metric names, sorted. */
    public Set<String> metrics() {
        return series.keySet();
    }

    /**
     * The last value of {@code metric}.
     *
     * @throws NoSuchElementException if no epoch produced {@code metric}
     */
    public double last(String metric) {
        List<Double> values = get(metric);
        return values.get(values.size() - 1);
    }

    /** Every series by metric name, sorted by name (Keras's {@code history.history}). */
    public Map<String, List<Double>> asMap() {
        return series;
    }

    /**
     * Who asked training to stop before its last epoch, if anyone: {@code "EarlyStopping(monitor=val_loss)"}
     * ({@code monitor=} names the method for a method-monitored {@code @EarlyStop}), {@code "TerminateOnNaN"}, or
     * {@link #STOPPED_BY_HOOK}. The first request of the fit counts. Empty when every epoch ran.
     */
    public Optional<String> stoppedBy() {
        return Optional.ofNullable(stoppedBy);
    }

    /** The 0-based epoch in which the stop of {@link #stoppedBy()} was requested (it still ended); empty if none. */
    public OptionalInt stoppedEpoch() {
        return stoppedBy == null ? OptionalInt.empty() : OptionalInt.of(stoppedEpoch);
    }

    /** What each {@code @EarlyStop} of the fit did, in the order the policies were prepared; empty without one. */
    public List<EarlyStoppingOutcome> earlyStopping() {
        return earlyStopping;
    }

    @Override
    public String toString() {
        return "History(epochs=" + epochs + ", " + series
                + (stoppedBy == null ? "" : ", stoppedBy=" + stoppedBy + " in epoch " + stoppedEpoch)
                + (earlyStopping.isEmpty() ? "" : ", earlyStopping=" + earlyStopping) + ")";
    }

    /**
     * What an {@code @EarlyStop} (Keras's EarlyStopping) did in a fit. Epochs are 0-based, as
     * in hooks (its messages print them 1-based).
     *
     * @param monitor the monitored metric (or method, for a method-monitored {@code @EarlyStop})
     * @param stopped whether this policy stopped training
     * @param stoppedEpoch the epoch in which it stopped training, or -1 (Keras's {@code stopped_epoch} is 0 then)
     * @param bestEpoch the epoch of the best value (the last one that improved), or -1 if no epoch was counted
     * @param bestValue the best value; NaN if no epoch was counted (it is also NaN if the first counted value was
     *     NaN: see {@link #monitored})
     * @param monitored whether at least one epoch was counted (the monitor had a value at or after
     *     {@code startFromEpoch})
     * @param weightsRestored whether the best weights were restored when training ended
     */
    public record EarlyStoppingOutcome(String monitor, boolean stopped, int stoppedEpoch, int bestEpoch,
            double bestValue, boolean monitored, boolean weightsRestored) {}
}
