package org.callbacks4j.internal.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.callbacks4j.Logs;

/** A {@link Logs} over a fixed set of names (the fit's slots), with the values present now set per epoch. */
final class TestLogs implements Logs {

    private final List<String> universe;
    private final double[] values;
    private final boolean[] present;

    /** @param names every name the "fit" can produce; slot = index in sorted order */
    TestLogs(String... names) {
        List<String> sorted = new ArrayList<>(Arrays.asList(names));
        Collections.sort(sorted);
        this.universe = List.copyOf(sorted);
        this.values = new double[names.length];
        this.present = new boolean[names.length];
    }

    /** Clears every value, then sets alternating name/value pairs. */
    TestLogs set(Object... nameValues) {
        Arrays.fill(present, false);
        for (int i = 0; i < nameValues.length; i += 2) {
            int slot = slot((String) nameValues[i]);
            if (slot < 0) {
                throw new IllegalArgumentException("not in this fit: " + nameValues[i]);
            }
            values[slot] = ((Number) nameValues[i + 1]).doubleValue();
            present[slot] = true;
        }
        return this;
    }

    @Override
    public double get(String name) {
        int slot = slot(name);
        if (slot < 0 || !present[slot]) {
            throw new NoSuchElementException(name + " not in " + names());
        }
        return values[slot];
    }

    @Override
    public double get(int slot) {
        return slot >= 0 && present[slot] ? values[slot] : Double.NaN;
    }

    @Override
    public boolean has(int slot) {
        return slot >= 0 && present[slot];
    }

    @Override
    public boolean contains(String name) {
        int slot = slot(name);
        return slot >= 0 && present[slot];
    }

    @Override
    public int slot(String name) {
        return universe.indexOf(name);
    }

    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < universe.size(); i++) {
            if (present[i]) {
                names.add(universe.get(i));
            }
        }
        return names;
    }

    @Override
    public Map<String, Double> toMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        for (String name : names()) {
            map.put(name, get(name));
        }
        return map;
    }
}
