package org.callbacks4j.benchmarks.dispatch;

import java.util.List;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.Dispatchers;
import org.callbacks4j.internal.train.SlotLogs;

/**
 * What the dispatch benchmarks share: the trainer's logs and context for one fit of Fashion-MNIST's shape (60,000 rows
 * in batches of 128: 468 full batches and one of 96), host-side stand-ins for the per-batch loss and accuracy sums the
 * device would hold, and the four variants of one case, each with its own training object.
 */
final class Fixture {

    static final int ROWS = 60_000;
    static final int BATCH_SIZE = 128;
    static final int BATCHES = (ROWS + BATCH_SIZE - 1) / BATCH_SIZE;
    static final List<String> NAMES = List.of("loss", "accuracy", "val_loss", "val_accuracy", "learning_rate");

    /** The cases of the issue. */
    enum Case {
        /** Epoch hooks only. */
        NO_BATCH_HOOKS,
        /** One batch-end hook reading the loss. */
        BATCH_LOSS,
        /** Early stopping, best-only checkpoint, plateau LR, TerminateOnNaN, progress bar. */
        FULL_SET
    }

    final SlotLogs epochLogs = new SlotLogs(NAMES);
    final SlotLogs batchLogs = new SlotLogs(epochLogs);
    final int lossSlot = epochLogs.slot("loss");
    final int accuracySlot = epochLogs.slot("accuracy");
    final int valLossSlot = epochLogs.slot("val_loss");
    final int valAccuracySlot = epochLogs.slot("val_accuracy");
    final BenchContext context = new BenchContext(1_000_000, BATCHES);
    final int[] rows = new int[BATCHES];
    final double[] lossSums = new double[BATCHES];
    final double[] accuracySums = new double[BATCHES];
    /** Epoch values with improvements and plateaus, so that the policies take all their paths. */
    final double[] epochLoss = new double[64];

    final Case hookCase;
    /** The training object of each variant (each has its own, so their state can be compared). */
    final Object generatedTraining;
    final Object reflectionTraining;
    final Object floorTraining;
    final Object listenerTraining;
    final TrainerLoop generated;
    final TrainerLoop reflection;
    final TrainerLoop noCallbacks;
    final FloorLoop handWritten;
    final ListenerLoop listeners;

    Fixture(Case hookCase) {
        this.hookCase = hookCase;
        for (int b = 0; b < BATCHES; b++) {
            rows[b] = Math.min(BATCH_SIZE, ROWS - b * BATCH_SIZE);
            double loss = 0.3 + 0.5 * Math.exp(-b / 100.0) + 0.01 * ((b * 7919) % 13);
            lossSums[b] = loss * rows[b];
            accuracySums[b] = (0.9 - 0.3 * Math.exp(-b / 100.0)) * rows[b];
        }
        for (int e = 0; e < epochLoss.length; e++) {
            epochLoss[e] = 0.3 + 0.4 / (1 + e % 16) + 0.02 * (e % 5);
        }
        this.generatedTraining = newTraining(hookCase);
        this.reflectionTraining = newTraining(hookCase);
        this.floorTraining = newTraining(hookCase);
        this.listenerTraining = newTraining(hookCase);
        MapLogs mapLogs = new MapLogs(NAMES);
        if (hookCase == Case.FULL_SET) {
            for (Object t : List.of(generatedTraining, reflectionTraining, floorTraining)) {
                ((FullSetTraining) t).prepare(new BenchPlan(epochLogs, epochLogs::put, context), BATCHES);
            }
            ((FullSetTraining) listenerTraining).prepare(new BenchPlan(mapLogs, mapLogs::set, context), BATCHES);
        }

        CallbackDispatcher dispatcher = Dispatchers.of(generatedTraining);
        if (!dispatcher.getClass().getSimpleName().endsWith("_Callbacks")) {
            throw new IllegalStateException("expected a generated dispatcher, got " + dispatcher.getClass());
        }
        this.generated = new TrainerLoop(this, new CallbackDispatcher[] {dispatcher});
        this.reflection = new TrainerLoop(this, new CallbackDispatcher[] {new ReflectiveDispatcher(reflectionTraining)});
        this.noCallbacks = new TrainerLoop(this, new CallbackDispatcher[0]);
        if (generated.hooks() != reflection.hooks()) {
            throw new IllegalStateException("generated hooks " + Integer.toBinaryString(generated.hooks())
                    + " differ from reflective hooks " + Integer.toBinaryString(reflection.hooks()));
        }
        this.handWritten = switch (hookCase) {
            case NO_BATCH_HOOKS -> new FloorLoop.EpochOnly(this, (EpochOnlyTraining) floorTraining);
            case BATCH_LOSS -> new FloorLoop.BatchLoss(this, (BatchLossTraining) floorTraining);
            case FULL_SET -> new FloorLoop.FullSet(this, (FullSetTraining) floorTraining);
        };
        this.listeners = new ListenerLoop(this, switch (hookCase) {
            case NO_BATCH_HOOKS -> Listeners.epochOnly((EpochOnlyTraining) listenerTraining, NAMES);
            case BATCH_LOSS -> Listeners.batchLoss((BatchLossTraining) listenerTraining, NAMES);
            case FULL_SET -> Listeners.fullSet((FullSetTraining) listenerTraining, mapLogs);
        });

        generated.trainBegin();
        reflection.trainBegin();
        handWritten.trainBegin();
        listeners.trainBegin();
    }

    private static Object newTraining(Case c) {
        return switch (c) {
            case NO_BATCH_HOOKS -> new EpochOnlyTraining();
            case BATCH_LOSS -> new BatchLossTraining();
            case FULL_SET -> new FullSetTraining();
        };
    }

    /** The trainer's epoch means (what {@code FitRun} puts after the batch loop and after validation). */
    void putEpochMeans(int epoch) {
        double loss = epochLoss[epoch & 63];
        epochLogs.put(lossSlot, loss);
        epochLogs.put(accuracySlot, 1 - loss / 2);
        epochLogs.put(valLossSlot, loss + 0.05);
        epochLogs.put(valAccuracySlot, 1 - loss / 2 - 0.02);
    }
}
