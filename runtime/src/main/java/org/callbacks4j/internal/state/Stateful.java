package org.callbacks4j.internal.state;

/**
 * Something whose state a backup saves and a resumed run restores: the built-in policies, the generated dispatchers
 * (which hold the policies), the trainer's own position, and, if it implements this interface, the user's training
 * object.
 *
 * <p>{@link #saveState} writes named, typed fields in a fixed order; {@link #restoreState} reads the same fields in the
 * same order. The order and the types are the state's layout: before anything is restored, a resumed run compares the
 * layout of the backup with the layout its own objects write, and the {@link #stateConfiguration()} of every section,
 * and refuses the backup if they differ (so a backup is never half applied). Keep variable-length data in array fields
 * ({@link StateWriter#putDoubles}, {@link StateWriter#putFloats}, ...) so that the layout does not depend on it.
 *
 * <pre>{@code
 * public void saveState(StateWriter out) {
 *     out.putInt("wait", wait).putBoolean("hasBest", hasBest).putDouble("best", best);
 * }
 * public void restoreState(StateReader in) {
 *     wait = in.readInt("wait");
 *     hasBest = in.readBoolean("hasBest");
 *     best = in.readDouble("best");
 * }
 * }</pre>
 */
public interface Stateful {

    /** Writes the state, reading it only (the object is unchanged). */
    void saveState(StateWriter out);

    /**
     * Reads what {@link #saveState} wrote and makes it the current state.
     *
     * @throws IncompatibleStateException if the fields in {@code in} are not those {@link #saveState} writes
     */
    void restoreState(StateReader in);

    /**
     * The settings the state belongs to, as one line of text (for a policy: its class and the attribute values that
     * give its state a meaning, such as the monitor and the patience of an early stop). A section is restored only
     * into an object with the same configuration. The default is the class name.
     */
    default String stateConfiguration() {
        return getClass().getName();
    }
}
