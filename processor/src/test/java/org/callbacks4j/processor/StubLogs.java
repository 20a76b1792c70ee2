package org.callbacks4j.processor;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.callbacks4j.Logs;

/** Fixed metric values, for calling a generated dispatcher without a trainer. */
final class StubLogs implements Logs {

    private final TreeMap<String, Double> values = new TreeMap<>();

    StubLogs(Map<String, Double> values) {
        this.values.putAll(values);
    }

    @Override
    public double get(String name) {
        Double value = values.get(name);
        if (value == null) {
            throw new NoSuchElementException(name + " not in " + values.keySet());
        }
        return value;
    }

    @Override
    public double get(int slot) {
        return slot < 0 || slot >= values.size() ? Double.NaN : get(names().get(slot));
    }

    @Override
    public boolean has(int slot) {
        return slot >= 0 && slot < values.size();
    }

    @Override
    public boolean contains(String name) {
        return values.containsKey(name);
    }

    @Override
    public int slot(String name) {
        return names().indexOf(name);
    }

    @Override
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    @Override
    public Map<String, Double> toMap() {
        return new TreeMap<>(values);
    }
}
