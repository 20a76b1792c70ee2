package org.callbacks4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import org.callbacks4j.plot.HistoryPlot;
import org.callbacks4j.plot.PlotLibraries;
import org.callbacks4j.state.IncompatibleStateException;
import org.callbacks4j.state.StateReader;
import org.callbacks4j.state.StateWriter;
import org.callbacks4j.state.Stateful;

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
     * Draws the training curves to {@code path}, PNG or SVG by its extension: one chart per metric with the training
     * and {@code val_} series over the epochs (numbered from 1 on the axis, as Keras's epoch lines), and
     * {@code learning_rate} on a chart of its own. See {@link HistoryPlot}. The file is replaced atomically.
     *
     * @throws IllegalStateException if this history has no epochs
     * @throws IllegalArgumentException if {@code path} ends in neither {@code .png} nor {@code .svg}
     * @throws IllegalStateException if XChart (an optional dependency: README, "Plotting the curves") is not on the
     *     class path, or for {@code .svg} VectorGraphics2D
     */
    public void plot(Path path) throws IOException {
        plot(path, OptionalInt.empty());
    }

    /**
     * As {@link #plot(Path)}, with the epoch whose weights an early stop restored (0-based, as {@link #epochs()})
     * marked on every chart.
     *
     * @throws IllegalArgumentException if {@code restoredEpoch} is not one of {@link #epochs()}
     */
    public void plot(Path path, OptionalInt restoredEpoch) throws IOException {
        PlotLibraries.require(path); // before HistoryPlot, whose loading needs XChart
        HistoryPlot.write(this, path, restoredEpoch);
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
     * What an {@code @EarlyStop} ({@link org.callbacks4j.policy.EarlyStopping}) did in a fit. Epochs are 0-based, as
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

    /** Starts an empty history, for the trainer to fill epoch by epoch. */
    public static Recorder recorder() {
        return new Recorder();
    }

    /**
     * Fills a {@link History}: one {@link #record(int, Logs)} per finished epoch, then {@link #build()}. Its state
     * (the epochs and series recorded so far) is saved in backups, so that a resumed fit returns the whole run's
     * history.
     */
    public static final class Recorder implements Stateful {

        private final List<Integer> epochs = new ArrayList<>();
        private final Map<String, List<Double>> series = new TreeMap<>();
        private final Map<String, List<Integer>> seriesEpochs = new TreeMap<>();
        private final List<EarlyStoppingOutcome> earlyStopping = new ArrayList<>();
        private String stoppedBy;
        private int stoppedEpoch = -1;

        private Recorder() {}

        /** Records who stopped training and in which epoch (see {@link History#stoppedBy()}). */
        public Recorder stopped(String by, int epoch) {
            this.stoppedBy = Objects.requireNonNull(by, "by");
            this.stoppedEpoch = epoch;
            return this;
        }

        /** Adds the outcome of one {@code @EarlyStop}. */
        public Recorder earlyStopping(EarlyStoppingOutcome outcome) {
            earlyStopping.add(Objects.requireNonNull(outcome, "outcome"));
            return this;
        }

        /** Appends every value present in {@code logs} for {@code epoch}. */
        public Recorder record(int epoch, Logs logs) {
            epochs.add(epoch);
            for (String name : logs.names()) {
                series.computeIfAbsent(name, k -> new ArrayList<>()).add(logs.get(name));
                seriesEpochs.computeIfAbsent(name, k -> new ArrayList<>()).add(epoch);
            }
            return this;
        }

        /** The epochs and series recorded so far, and the stop if one was recorded. */
        @Override
        public void saveState(StateWriter out) {
            List<String> names = new ArrayList<>(series.keySet());
            int[] lengths = new int[names.size()];
            int total = 0;
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = series.get(names.get(i)).size();
                total += lengths[i];
            }
            double[] values = new double[total];
            int[] valueEpochs = new int[total];
            int at = 0;
            for (String name : names) {
                List<Double> v = series.get(name);
                List<Integer> e = seriesEpochs.get(name);
                for (int k = 0; k < v.size(); k++, at++) {
                    values[at] = v.get(k);
                    valueEpochs[at] = e.get(k);
                }
            }
            out.putInts("epochs", epochs.stream().mapToInt(Integer::intValue).toArray())
                    .putStrings("names", names)
                    .putInts("lengths", lengths)
                    .putDoubles("values", values)
                    .putInts("valueEpochs", valueEpochs)
                    .putString("stoppedBy", stoppedBy)
                    .putInt("stoppedEpoch", stoppedEpoch);
        }

        /**
         * Replaces what was recorded with the saved state (read completely before anything changes).
         *
         * @throws IncompatibleStateException if the saved series do not add up
         */
        @Override
        public void restoreState(StateReader in) {
            int[] savedEpochs = in.readInts("epochs");
            List<String> names = in.readStrings("names");
            int[] lengths = in.readInts("lengths");
            double[] values = in.readDoubles("values");
            int[] valueEpochs = in.readInts("valueEpochs");
            String savedStoppedBy = in.readString("stoppedBy");
            int savedStoppedEpoch = in.readInt("stoppedEpoch");
            long total = 0;
            boolean consistent = savedEpochs != null && names != null && lengths != null && values != null
                    && valueEpochs != null && lengths.length == names.size() && values.length == valueEpochs.length;
            if (consistent) {
                for (int length : lengths) {
                    consistent &= length >= 0;
                    total += length;
                }
            }
            if (!consistent || total != values.length) {
                throw new IncompatibleStateException("saved history: the series do not add up; the state is damaged");
            }
            epochs.clear();
            series.clear();
            seriesEpochs.clear();
            for (int e : savedEpochs) {
                epochs.add(e);
            }
            int at = 0;
            for (int i = 0; i < lengths.length; i++) {
                List<Double> v = new ArrayList<>(lengths[i]);
                List<Integer> e = new ArrayList<>(lengths[i]);
                for (int k = 0; k < lengths[i]; k++, at++) {
                    v.add(values[at]);
                    e.add(valueEpochs[at]);
                }
                series.put(names.get(i), v);
                seriesEpochs.put(names.get(i), e);
            }
            stoppedBy = savedStoppedBy;
            stoppedEpoch = savedStoppedEpoch;
        }

        /** An immutable history of what was recorded so far. */
        public History build() {
            Map<String, List<Double>> copy = new LinkedHashMap<>();
            Map<String, List<Integer>> epochsCopy = new LinkedHashMap<>();
            series.forEach((name, values) -> {
                copy.put(name, List.copyOf(values));
                epochsCopy.put(name, List.copyOf(seriesEpochs.get(name)));
            });
            return new History(List.copyOf(epochs), Collections.unmodifiableMap(copy), epochsCopy, stoppedBy,
                    stoppedEpoch, List.copyOf(earlyStopping));
        }
    }
}
