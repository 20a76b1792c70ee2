package org.callbacks4j.benchmarks.dispatch;

import org.openjdk.jmh.infra.Blackhole;

/**
 * The floor: the same trainer loop with the user's methods called by hand, directly, in the generated order. No
 * dispatcher, no hook mask; it still computes the batch logs its methods read, as the trainer must.
 */
abstract class FloorLoop {

    final Fixture f;

    FloorLoop(Fixture f) {
        this.f = f;
    }

    void trainBegin() {}

    abstract int trainEpoch(int epoch, Blackhole bh);

    abstract void epoch(int epoch);

    /** Batch loop without batch hooks: what is left is the train step. */
    int plainEpoch(Blackhole bh) {
        int rowsRun = 0;
        for (int b = 0; b < f.rows.length; b++) {
            bh.consume(b);
            rowsRun += f.rows[b];
            if (f.context.isStopRequested()) {
                break;
            }
        }
        return rowsRun;
    }

    /** Batch loop that keeps the running batch logs and calls {@link #batchEnd}. */
    final int loggingEpoch(int epoch, Blackhole bh) {
        double runningLoss = 0;
        double runningAccuracy = 0;
        f.batchLogs.clear();
        int rowsRun = 0;
        for (int b = 0; b < f.rows.length; b++) {
            bh.consume(b);
            rowsRun += f.rows[b];
            runningLoss += f.lossSums[b];
            f.batchLogs.put(f.lossSlot, runningLoss / rowsRun);
            runningAccuracy += f.accuracySums[b];
            f.batchLogs.put(f.accuracySlot, runningAccuracy / rowsRun);
            batchEnd(epoch, b);
            if (f.context.isStopRequested()) {
                break;
            }
        }
        return rowsRun;
    }

    void batchEnd(int epoch, int batch) {}

    static final class EpochOnly extends FloorLoop {
        private final EpochOnlyTraining t;

        EpochOnly(Fixture f, EpochOnlyTraining t) {
            super(f);
            this.t = t;
        }

        @Override
        int trainEpoch(int epoch, Blackhole bh) {
            return plainEpoch(bh);
        }

        @Override
        void epoch(int epoch) {
            f.context.resetStop();
            f.context.epoch(epoch);
            f.epochLogs.clear();
            f.putEpochMeans(epoch);
            t.report(epoch, f.epochLogs);
        }
    }

    static final class BatchLoss extends FloorLoop {
        private final BatchLossTraining t;

        BatchLoss(Fixture f, BatchLossTraining t) {
            super(f);
            this.t = t;
        }

        @Override
        int trainEpoch(int epoch, Blackhole bh) {
            return loggingEpoch(epoch, bh);
        }

        @Override
        void batchEnd(int epoch, int batch) {
            t.watch(batch, f.batchLogs);
        }

        @Override
        void epoch(int epoch) {
            f.context.resetStop();
            f.context.epoch(epoch);
            f.epochLogs.clear();
            f.putEpochMeans(epoch);
            t.report(epoch, f.epochLogs);
        }
    }

    static final class FullSet extends FloorLoop {
        private final FullSetTraining t;

        FullSet(Fixture f, FullSetTraining t) {
            super(f);
            this.t = t;
        }

        @Override
        void trainBegin() {
            t.resetPolicies(f.context);
        }

        @Override
        int trainEpoch(int epoch, Blackhole bh) {
            return loggingEpoch(epoch, bh);
        }

        @Override
        void batchEnd(int epoch, int batch) {
            t.showProgress(batch, f.batchLogs);
            t.stopOnNaN(epoch, batch, f.batchLogs, f.context);
        }

        @Override
        void epoch(int epoch) {
            f.context.resetStop();
            f.context.epoch(epoch);
            f.epochLogs.clear();
            t.epochBegins(epoch);
            f.putEpochMeans(epoch);
            t.reduceLrOnPlateau(epoch, f.epochLogs, f.context);
            t.saveBest(epoch, f.epochLogs);
            t.stopEarly(epoch, f.epochLogs, f.context);
        }
    }
}
