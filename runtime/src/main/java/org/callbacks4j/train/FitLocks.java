package org.callbacks4j.train;

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
 * What one fit holds exclusively while it runs: its model object (two fits of one {@link Sequential} at once would
 * each update the other's parameters) and an {@link OutputLock} on each output path its policies own. Taken after
 * the policies are prepared and before anything is restored or trained; released by {@link #close()} when the fit
 * ends, normally or not.
 */
final class FitLocks implements AutoCloseable {

    private static final Set<Sequential> MODELS_IN_FIT = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<>()));

    private final Sequential model;
    private final List<OutputLock> locks = new ArrayList<>();

    private FitLocks(Sequential model) {
        this.model = model;
    }

    /**
     * Takes the model and the lock of every path in {@code outputs} (path to its role, e.g. {@code "@CsvLogger
     * file"}), all or none.
     *
     * @throws IllegalStateException naming the model or the path and its holder if another fit holds one
     */
    static FitLocks acquire(Sequential model, Map<Path, String> outputs) {
        if (!MODELS_IN_FIT.add(model)) {
            throw new IllegalStateException("this model is being trained by another fit (in another thread); one fit "
                    + "at a time per model: wait for it to end, or train a copy (model.copy())");
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
