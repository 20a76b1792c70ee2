package org.callbacks4j.internal.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.callbacks4j.model.Sequential;

/**
 * What one fit holds exclusively while it runs: its model object (two fits of one {@link Sequential}, or of one DL4J
 * network, at once would each update the other's parameters) and an {@link OutputLock} on each output path its
 * policies own. Taken after the policies are prepared and before anything is restored or trained; released by
 * {@link #close()} when the fit ends, normally or not. Models are held by identity, whatever their class, in one
 * registry for every trainer of this JVM.
 */
public final class FitLocks implements AutoCloseable {

    private static final Set<Object> MODELS_IN_FIT = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<>()));

    private final Object model;
    private final List<OutputLock> locks = new ArrayList<>();

    private FitLocks(Object model) {
        this.model = model;
    }

    /**
     * Takes the model and the lock of every path in {@code outputs} (path to its role, e.g. {@code "@CsvLogger
     * file"}), all or none.
     *
     * @throws IllegalStateException naming the model or the path and its holder if another fit holds one
     */
    public static FitLocks acquire(Sequential model, Map<Path, String> outputs) {
        return acquire(model, "this model is being trained by another fit (in another thread); one fit at a time per "
                + "model: wait for it to end, or train a copy (model.copy())", outputs);
    }

    /**
     * As {@link #acquire(Sequential, Map)}, for any model object (held by identity); {@code inUse} is the message of
     * the refusal when another fit holds it (saying what to do, e.g. which copy to train).
     */
    public static FitLocks acquire(Object model, String inUse, Map<Path, String> outputs) {
        if (!MODELS_IN_FIT.add(model)) {
            throw new IllegalStateException(inUse);
        }
        FitLocks held = new FitLocks(model);
        try {
            Set<Path> taken = new HashSet<>();
            for (Map.Entry<Path, String> e : outputs.entrySet()) {
                // Two policies of one fit on one path (a folder for two things) lock it once.
                if (taken.add(OutputLock.lockFileOf(e.getKey()))) {
                    held.locks.add(OutputLock.acquire(e.getKey(), e.getValue()));
                }
            }
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
        return held;
    }

    @Override
    public void close() {
        for (int i = locks.size() - 1; i >= 0; i--) {
            locks.get(i).close();
        }
        locks.clear();
        MODELS_IN_FIT.remove(model);
    }
}
