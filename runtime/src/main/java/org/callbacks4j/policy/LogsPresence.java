package org.callbacks4j.policy;

import org.callbacks4j.Logs;

/**
 * Whether a slot of {@link Logs} holds a value now, without a by-name lookup. {@link Logs#get(int)} answers NaN both
 * for "absent this epoch" and for a genuinely NaN loss, and Keras treats them differently: an absent monitor skips
 * the epoch, a NaN one is compared (and loses every comparison). Proposed as {@code boolean has(int slot)} on
 * {@link Logs}; until then the trainer's logs implement this interface.
 */
public interface LogsPresence {

    /** Whether {@code slot} holds a value now; false for -1. */
    boolean has(int slot);

    /**
     * Whether {@code slot} (the slot of {@code name}) of {@code logs} holds a value now, given the value already read
     * from it. Only a NaN value needs a presence check, and only logs that do not implement this interface fall back
     * to the lookup by name, so the common case costs a comparison.
     */
    static boolean present(Logs logs, int slot, double value, String name) {
        if (!Double.isNaN(value)) {
            return true;
        }
        if (logs instanceof LogsPresence presence) {
            return presence.has(slot);
        }
        return logs.contains(name);
    }
}
