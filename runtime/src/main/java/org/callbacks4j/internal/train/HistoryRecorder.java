package org.callbacks4j.internal.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.callbacks4j.History;
import org.callbacks4j.History.EarlyStoppingOutcome;
import org.callbacks4j.Logs;
import org.callbacks4j.internal.state.IncompatibleStateException;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;
import org.callbacks4j.internal.state.Stateful;

/**
 * Fills a {@link History}: one {@link #record(int, Logs)} per finished epoch, then {@link #build()}. Its state
 * (the epochs and series recorded so far) is saved in backups, so that a resumed fit returns the whole run's
 * history.
 */
public final class HistoryRecorder implements Stateful {

    private final List<Integer> epochs = new ArrayList<>();
    private final Map<String, List<Double>> series = new TreeMap<>();
    private final Map<String, List<Integer>> seriesEpochs = new TreeMap<>();
    private final List<EarlyStoppingOutcome> earlyStopping = new ArrayList<>();
    private String stoppedBy;
    private int stoppedEpoch = -1;

    /** Records who stopped training and in which epoch (see {@link History#stoppedBy()}). */
    public HistoryRecorder stopped(String by, int epoch) {
        this.stoppedBy = Objects.requireNonNull(by, "by");
        this.stoppedEpoch = epoch;
        return this;
    }

    /** Adds the outcome of one {@code @EarlyStop}. */
    public HistoryRecorder earlyStopping(EarlyStoppingOutcome outcome) {
        earlyStopping.add(Objects.requireNonNull(outcome, "outcome"));
        return this;
    }

    /** Appends every value present in {@code logs} for {@code epoch}. */
    public HistoryRecorder record(int epoch, Logs logs) {
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
        return History.of(epochs, series, seriesEpochs, stoppedBy, stoppedEpoch, earlyStopping);
    }
}
