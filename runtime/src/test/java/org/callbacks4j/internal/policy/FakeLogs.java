package org.callbacks4j.internal.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.callbacks4j.Logs;

/**
 * Logs with a set of names (slot = position; {@link #define} adds one), values set per step, as the trainer's logs.
 * Counts by-name lookups, so tests can check the hot path.
 */
final class FakeLogs implements Logs {

    private final List<String> names;
    private double[] values;
    private boolean[] present;
    int byNameLookups;

    FakeLogs(String... names) {
        this.names = new ArrayList<>(List.of(names));
        this.values = new double[names.length];
        this.present = new boolean[names.length];
        Arrays.fill(values, Double.NaN);
    }

    /** The slot of {@code name}, added (absent) if new. */
    int define(String name) {
        int slot = names.indexOf(name);
        if (slot >= 0) {
            return slot;
        }
        names.add(name);
        values = Arrays.copyOf(values, names.size());
        present = Arrays.copyOf(present, names.size());
        values[names.size() - 1] = Double.NaN;
        return names.size() - 1;
    }

    /** Every defined name, present or not, sorted. */
    List<String> allNames() {
        List<String> out = new ArrayList<>(names);
        out.sort(null);
        return out;
    }

    FakeLogs put(String name, double value) {
        int slot = requireSlot(name);
        values[slot] = value;
        present[slot] = true;
        return this;
    }

    /** Sets {@code name} to {@code value}, or makes it absent when {@code value} is null. */
    FakeLogs putOrRemove(String name, Double value) {
        return value == null ? remove(name) : put(name, value);
    }

    FakeLogs remove(String name) {
        int slot = requireSlot(name);
        values[slot] = Double.NaN;
        present[slot] = false;
        return this;
    }

    FakeLogs clear() {
        Arrays.fill(values, Double.NaN);
        Arrays.fill(present, false);
        return this;
    }

    private int requireSlot(String name) {
        int slot = names.indexOf(name);
        if (slot < 0) {
            throw new IllegalArgumentException("no slot for " + name);
        }
        return slot;
    }

    @Override
    public double get(String name) {
        byNameLookups++;
        int slot = names.indexOf(name);
        if (slot < 0 || !present[slot]) {
            throw new NoSuchElementException(name + "; present: " + names());
        }
        return values[slot];
    }

    @Override
    public double get(int slot) {
        return slot < 0 || !present[slot] ? Double.NaN : values[slot];
    }

    @Override
    public boolean contains(String name) {
        byNameLookups++;
        int slot = names.indexOf(name);
        return slot >= 0 && present[slot];
    }

    @Override
    public int slot(String name) {
        return names.indexOf(name);
    }

    @Override
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < present.length; i++) {
            if (present[i]) {
                out.add(names.get(i));
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public Map<String, Double> toMap() {
        Map<String, Double> out = new TreeMap<>();
        for (String name : names()) {
            out.put(name, values[names.indexOf(name)]);
        }
        return new LinkedHashMap<>(out);
    }

    @Override
    public boolean has(int slot) {
        return slot >= 0 && present[slot];
    }

    /** Sets the value in {@code slot}. */
    void set(int slot, double value) {
        values[slot] = value;
        present[slot] = true;
    }
}
