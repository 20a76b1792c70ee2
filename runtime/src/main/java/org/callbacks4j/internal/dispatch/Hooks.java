package org.callbacks4j.internal.dispatch;

/**
 * Bits of {@link CallbackDispatcher#hooks()}. Generated code ORs these constants; the trainer tests them once per
 * fit to decide which phases it dispatches at all.
 */
public final class Hooks {

    public static final int TRAIN_BEGIN = 1;
    public static final int TRAIN_END = 1 << 1;
    public static final int EPOCH_BEGIN = 1 << 2;
    public static final int EPOCH_END = 1 << 3;
    public static final int BATCH_BEGIN = 1 << 4;
    public static final int BATCH_END = 1 << 5;
    public static final int VALIDATION_END = 1 << 6;

    /**
     * A batch-end hook reads {@link org.callbacks4j.Logs}: only then does the trainer copy each batch's loss to the
     * host and keep running batch metrics.
     */
    public static final int BATCH_LOGS = 1 << 7;

    private Hooks() {}
}
