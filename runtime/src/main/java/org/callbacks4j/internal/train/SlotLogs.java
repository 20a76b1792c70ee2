package org.callbacks4j.internal.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.callbacks4j.Logs;
import org.callbacks4j.internal.progress.ProgressValues;

/**
 * The trainer's {@link Logs}: names fixed to slots for a fit, values in a {@code double[]} with a presence flag per
 * slot. Reading or writing by slot allocates nothing. Names can be added later with {@link #define(String)} (for
 * example {@code learning_rate} by a policy); slots never move.
 */
public final class SlotLogs implements Logs, ProgressValues {

    private final Map<String, Integer> slots = new HashMap<>();
    private String[] names;
    private double[] values;
    private boolean[] present;
    private int size;
    private List<String> sortedPresent;

    /** Logs with a slot for each of {@code names} (in that order), all absent. */
    public SlotLogs(Collection<String> names) {
        int capacity = Math.max(8, names.size() + 4);
        this.names = new String[capacity];
        this.values = new double[capacity];
        this.present = new boolean[capacity];
        for (String name : names) {
            define(name);
        }
    }

    /** Logs with the same slots as {@code layout}, all absent. */
    public SlotLogs(SlotLogs layout) {
        this(Arrays.asList(layout.names).subList(0, layout.size));
    }

    /** The slot of {@code name}, adding it (absent) if this fit did not have it yet. */
    public int define(String name) {
        Objects.requireNonNull(name, "name");
        Integer slot = slots.get(name);
        if (slot != null) {
            return slot;
        }
        if (size == names.length) {
            int capacity = size * 2;
            names = Arrays.copyOf(names, capacity);
            values = Arrays.copyOf(values, capacity);
            present = Arrays.copyOf(present, capacity);
        }
        // Interned, so that a hook's string literal finds its slot by identity (slotOf).
        names[size] = name.intern();
        slots.put(names[size], size);
        return size++;
    }

    /**
     * The slot of {@code name}, or -1. Hooks read logs by string literal, once per batch: an identity scan of the few
     * slots finds a literal without hashing it; any other string goes through the map.
     */
    private int slotOf(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        Integer slot = slots.get(name);
        return slot == null ? -1 : slot;
    }

    /** Sets the value in {@code slot}. */
    public void put(int slot, double value) {
        values[slot] = value;
        if (!present[slot]) {
            present[slot] = true;
            sortedPresent = null;
        }
    }

    /** Sets the value of {@code name}, defining it if needed. */
    public void put(String name, double value) {
        put(define(name), value);
    }

    /** Makes {@code slot} absent. */
    public void remove(int slot) {
        if (present[slot]) {
            present[slot] = false;
            sortedPresent = null;
        }
    }

    /** Makes every slot absent. */
    public void clear() {
        for (int i = 0; i < size; i++) {
            if (present[i]) {
                present[i] = false;
                sortedPresent = null;
            }
        }
    }

    /** Copies the values and presence of {@code other}'s slots into the same slots here (same layout). */
    public void copyFrom(SlotLogs other) {
        for (int i = 0; i < other.size; i++) {
            int slot = i < size && names[i].equals(other.names[i]) ? i : define(other.names[i]);
            if (other.present[i]) {
                put(slot, other.values[i]);
            } else {
                remove(slot);
            }
        }
    }

    /** Number of slots (defined names, present or not). */
    @Override
    public int slotCount() {
        return size;
    }

    /** The name of {@code slot}. */
    @Override
    public String name(int slot) {
        if (slot < 0 || slot >= size) {
            throw new IndexOutOfBoundsException("slot " + slot + " outside [0, " + size + ")");
        }
        return names[slot];
    }

    @Override
    public boolean has(int slot) {
        return slot >= 0 && slot < size && present[slot];
    }

    @Override
    public double get(String name) {
        int slot = slotOf(name);
        if (slot < 0 || !present[slot]) {
            throw new NoSuchElementException(
                    "no value for \"" + name + "\" now; the logs hold " + names()
                            + (name != null && name.startsWith("val_")
                                    ? " (val_ values exist only after validation; pass Fit.validationSplit(..) or "
                                            + "Fit.validationData(..))"
                                    : ""));
        }
        return values[slot];
    }

    @Override
    public double get(int slot) {
        return slot >= 0 && slot < size && present[slot] ? values[slot] : Double.NaN;
    }

    @Override
    public boolean contains(String name) {
        int slot = slotOf(name);
        return slot >= 0 && present[slot];
    }

    @Override
    public int slot(String name) {
        return slotOf(name);
    }

    @Override
    public List<String> names() {
        List<String> sorted = sortedPresent;
        if (sorted == null) {
            List<String> list = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                if (present[i]) {
                    list.add(names[i]);
                }
            }
            Collections.sort(list);
            sorted = Collections.unmodifiableList(list);
            sortedPresent = sorted;
        }
        return sorted;
    }

    @Override
    public Map<String, Double> toMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        for (String name : names()) {
            map.put(name, values[slots.get(name)]);
        }
        return map;
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
