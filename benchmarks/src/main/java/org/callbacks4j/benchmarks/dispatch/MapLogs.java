package org.callbacks4j.benchmarks.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.callbacks4j.Logs;

/**
 * {@link Logs} over the map a listener receives, so the listener reference can call the same user methods and
 * policies as the other variants. Slots index a fixed name table; every read is a lookup in the current map, which is
 * what code written against a {@code Map<String, Double>} does.
 */
final class MapLogs implements Logs {

    private final List<String> names;
    private Map<String, Double> map = Map.of();

    MapLogs(List<String> names) {
        this.names = List.copyOf(names);
    }

    /** Points this view at the map of the current call. */
    MapLogs reset(Map<String, Double> current) {
        this.map = current;
        return this;
    }

    /** Writes {@code value} into the current map (policies that add {@code learning_rate}). */
    void set(int slot, double value) {
        map.put(names.get(slot), value);
    }

    @Override
    public double get(String name) {
        Double v = map.get(name);
        if (v == null) {
            throw new NoSuchElementException("no value for \"" + name + "\" now; the logs hold " + names());
        }
        return v;
    }

    @Override
    public double get(int slot) {
        if (slot < 0) {
            return Double.NaN;
        }
        Double v = map.get(names.get(slot));
        return v == null ? Double.NaN : v;
    }

    @Override
    public boolean has(int slot) {
        return slot >= 0 && map.containsKey(names.get(slot));
    }

    @Override
    public boolean contains(String name) {
        return map.containsKey(name);
    }

    @Override
    public int slot(String name) {
        return names.indexOf(name);
    }

    @Override
    public List<String> names() {
        List<String> present = new ArrayList<>(map.keySet());
        Collections.sort(present);
        return present;
    }

    @Override
    public Map<String, Double> toMap() {
        return new TreeMap<>(map);
    }
}
