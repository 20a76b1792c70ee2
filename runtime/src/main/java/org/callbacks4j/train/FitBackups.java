package org.callbacks4j.train;

import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.io.BackgroundWrites;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;
import org.callbacks4j.internal.state.Stateful;
import org.callbacks4j.internal.train.Backups;
import org.callbacks4j.internal.train.HistoryRecorder;
import org.callbacks4j.internal.train.SlotLogs;
import org.callbacks4j.model.Sequential;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link FitRun} with {@code @BackupAndRestore} writes to and reads from its {@link BackupRun} folder: the
 * trainer's state (position, parameters, optimizer, the epoch's per-example vectors so far and, weighted, their
 * weights, running sums, stop, final logs, history) and every callback's. The run decides when to save; this class
 * decides what goes in and checks a backup fits this training before putting any of it back. The position in a
 * streamed source is the epoch and batch: its order is a function of the seed and the epoch.
 */
final class FitBackups {

    // The run's logger, so the resume line keeps the category it has always had.
    private static final Logger log = LoggerFactory.getLogger(FitRun.class);

    /**
     * A backup put back: where the loop continues, and the batch loop's running sums and the history, which the run
     * owns; {@code complete}: the run ended normally before, so nothing is left to train.
     */
    record Restored(BackupState.Position position, double runningLoss, double[] runningMetrics,
            HistoryRecorder history, boolean complete) {}

    private final BackupRun backup;
    /** {@link BackupState#configuration}: a backup written for another training is refused. */
    private final String configuration;
    private final Sequential model;
    private final OptimizerState optimizer;
    private final FitBatches train;
    private final int metricCount;
    private final FitContext context;
    private final SlotLogs finalLogs;
    private final CallbackDispatcher[] dispatchers;
    private final Object[] callbackObjects;
    private final int epochs;
    private final BackgroundWrites checkpointWrites;

    FitBackups(BackupRun backup, String configuration, Sequential model, OptimizerState optimizer, FitBatches train,
            int metricCount, FitContext context, SlotLogs finalLogs, CallbackDispatcher[] dispatchers,
            Object[] callbackObjects, int epochs, BackgroundWrites checkpointWrites) {
        this.backup = backup;
        this.configuration = configuration;
        this.model = model;
        this.optimizer = optimizer;
        this.train = train;
        this.metricCount = metricCount;
        this.context = context;
        this.finalLogs = finalLogs;
        this.dispatchers = dispatchers;
        this.callbackObjects = callbackObjects;
        this.epochs = epochs;
        this.checkpointWrites = checkpointWrites;
    }

    /**
     * Puts the newest intact backup back (or returns null if there is none): first checks, changing nothing, that it
     * was written for this training (configuration text, the layout and configuration of every callback's state) and
     * decodes the trainer's part completely; then restores the callbacks (undone if one of them fails), then the
     * trainer. So a backup is applied whole or not at all.
     *
     * @throws IllegalStateException naming the backup and what differs, if it belongs to another training or cannot
     *     be continued (a log file changed since); or if every backup in the folder is damaged
     */
    Restored restore() {
        Backups.Backup saved = backup.loadNewest();
        if (saved == null) {
            return null;
        }
        String source = "backup " + saved.file().toAbsolutePath();
        String refusal = " Resume with the settings it was written with, or move or delete the folder "
                + backup.dir.toAbsolutePath() + " to start a new run.";
        String difference = BackupState.firstDifference(saved.configuration(), configuration);
        if (difference != null) {
            throw new IllegalStateException("@BackupAndRestore: " + source + " was written for another training: "
                    + difference + "." + refusal);
        }
        BackupCompletion.checkEpochs(saved, epochs, backup.dir);
        byte[] current = callbackState();
        String layout = StateReader.layoutDifference(current, saved.callbackState());
        if (layout != null) {
            throw new IllegalStateException("@BackupAndRestore: " + source + " holds callback state that does not fit "
                    + "this training: " + layout + "." + refusal);
        }

        StateReader in = new StateReader(saved.trainerState(), source + " " + Backups.TRAINER);
        BackupState.Position position = new BackupState.Position(in.readInt("epoch"), in.readInt("batchesDone"),
                in.readInt("rowsRun"), in.readBoolean("ended"));
        float[] params = in.readFloats("params");
        // Written only for models that have them (the configuration, checked above, says which), so that backups of
        // dense models keep their layout.
        float[] modelState = model.stateCount() > 0 ? in.readFloats("modelState") : null;
        long[] dropoutGenerator = model.dropoutRandom() != null ? in.readLongs("dropoutGenerator") : null;
        String optimizerName = in.readString("optimizer");
        float[] optimizerState = in.readFloats("optimizerState");
        long iterations = in.readLong("iterations");
        double learningRate = in.readDouble("learningRate");
        float[] epochLoss = in.readFloats("epochLoss");
        // Written only for weighted training (the configuration, checked above, says so), so that other backups keep
        // their layout.
        float[] epochWeight = train.weightVector != null ? in.readFloats("epochWeight") : null;
        float[][] epochMetrics = new float[metricCount][];
        for (int k = 0; k < metricCount; k++) {
            epochMetrics[k] = in.readFloats("epochMetric" + k);
        }
        double savedRunningLoss = in.readDouble("runningLoss");
        double[] savedRunningMetrics = in.readDoubles("runningMetrics");
        String stoppedBy = in.readString("stoppedBy");
        int stopEpoch = in.readInt("stopEpoch");
        BackupState.LogsSnapshot savedFinalLogs = BackupState.readLogs(in, "finalLogs");
        HistoryRecorder savedHistory = new HistoryRecorder();
        in.readSection("history", savedHistory);
        in.finish();
        boolean midEpoch = position.batchesDone() > 0;
        String damage = null;
        if (params == null || params.length != model.paramCount()) {
            damage = "params";
        } else if (model.stateCount() > 0 && (modelState == null || modelState.length != model.stateCount())) {
            damage = "modelState";
        } else if (model.dropoutRandom() != null && (dropoutGenerator == null || dropoutGenerator.length != 2)) {
            damage = "dropoutGenerator";
        } else if (!optimizer.optimizer().equals(optimizerName) || optimizerState == null
                || optimizerState.length != optimizer.flat().length() || iterations < 0) {
            damage = "optimizer";
        } else if (position.epoch() < 0 || position.batchesDone() < 0 || position.batchesDone() > train.count
                || position.rowsRun() < 0 || position.rowsRun() > train.rows) {
            damage = "position";
        } else if (midEpoch && (epochLoss == null || epochLoss.length != position.rowsRun())) {
            damage = "epochLoss";
        } else if (midEpoch && train.weightVector != null
                && (epochWeight == null || epochWeight.length != position.rowsRun())) {
            damage = "epochWeight";
        } else if (savedRunningMetrics == null || savedRunningMetrics.length != metricCount) {
            damage = "runningMetrics";
        }
        for (int k = 0; damage == null && midEpoch && k < metricCount; k++) {
            if (epochMetrics[k] == null || epochMetrics[k].length != position.rowsRun()) {
                damage = "epochMetric" + k;
            }
        }
        if (damage != null) {
            throw new IllegalStateException("@BackupAndRestore: " + source + ": the trainer state's \"" + damage
                    + "\" does not fit this model and data." + refusal);
        }

        try {
            restoreCallbacks(new StateReader(saved.callbackState(), source + " " + Backups.CALLBACKS));
        } catch (RuntimeException e) {
            try {
                restoreCallbacks(new StateReader(current, "the callbacks' state before resuming"));
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }

        model.setParams(Nd4j.createFromArray(params));
        if (modelState != null) {
            model.setState(Nd4j.createFromArray(modelState));
        }
        if (dropoutGenerator != null) {
            model.dropoutRandom().setStates(dropoutGenerator[0], dropoutGenerator[1]);
        }
        optimizer.restore(Nd4j.createFromArray(optimizerState), iterations);
        if (optimizer.learningRate() != learningRate) {
            optimizer.setLearningRate(learningRate); // changed by a schedule or a plateau since the start
        }
        if (midEpoch) {
            int rows = position.rowsRun();
            train.lossVector.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all())
                    .assign(Nd4j.createFromArray(epochLoss).reshape(rows, 1));
            if (train.weightVector != null) {
                train.weightVector.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all())
                        .assign(Nd4j.createFromArray(epochWeight).reshape(rows, 1));
            }
            for (int k = 0; k < metricCount; k++) {
                train.metricVectors[k].get(NDArrayIndex.interval(0, rows), NDArrayIndex.all())
                        .assign(Nd4j.createFromArray(epochMetrics[k]).reshape(rows, 1));
            }
        }
        context.restoreStop(stoppedBy, stopEpoch);
        savedFinalLogs.applyTo(finalLogs);
        if (saved.complete()) {
            BackupCompletion.logComplete(saved, backup.dir);
        } else {
            log.info("@BackupAndRestore: resuming from {}", saved);
        }
        return new Restored(position, savedRunningLoss, savedRunningMetrics, savedHistory, saved.complete());
    }

    /**
     * Writes a backup: the trainer's state at this point ({@code batchesDone} batches of {@code epoch} done, holding
     * {@code rowsRun} rows; {@code ended}: no epoch is left to run; the batch loop's running sums and the history so
     * far) and every callback's. {@code complete}: the completion record of a run that ended normally.
     */
    void write(int epoch, int batchesDone, int rowsRun, boolean ended, boolean complete, double runningLoss,
            double[] runningMetrics, HistoryRecorder history) {
        // The backup records the checkpoint policies' state: the checkpoints it implies must exist first.
        FitRun.drainCheckpoints(checkpointWrites);
        boolean midEpoch = batchesDone > 0;
        StateWriter out = new StateWriter();
        out.putInt("epoch", epoch).putInt("batchesDone", batchesDone).putInt("rowsRun", rowsRun)
                .putBoolean("ended", ended)
                .putFloats("params", model.params());
        if (model.stateCount() > 0) {
            out.putFloats("modelState", model.state());
        }
        if (model.dropoutRandom() != null) {
            out.putLongs("dropoutGenerator",
                    new long[] {model.dropoutRandom().rootState(), model.dropoutRandom().nodeState()});
        }
        out.putString("optimizer", optimizer.optimizer())
                .putFloats("optimizerState", optimizer.flat())
                .putLong("iterations", optimizer.iterations())
                .putDouble("learningRate", optimizer.learningRate())
                .putFloats("epochLoss", midEpoch ? rows(train.lossVector, rowsRun) : null);
        if (train.weightVector != null) {
            out.putFloats("epochWeight", midEpoch ? rows(train.weightVector, rowsRun) : null);
        }
        for (int k = 0; k < metricCount; k++) {
            out.putFloats("epochMetric" + k, midEpoch ? rows(train.metricVectors[k], rowsRun) : null);
        }
        out.putDouble("runningLoss", runningLoss)
                .putDoubles("runningMetrics", runningMetrics)
                .putString("stoppedBy", context.isStopRequested() ? context.stoppedBy() : null)
                .putInt("stopEpoch", context.stopEpoch());
        BackupState.putLogs(out, "finalLogs", finalLogs);
        out.putSection("history", history);
        if (complete) {
            backup.complete(epoch, configuration, out.toByteArray(), callbackState());
        } else {
            backup.save(epoch, batchesDone, configuration, out.toByteArray(), callbackState());
        }
    }

    private static INDArray rows(INDArray vector, int rows) {
        return vector.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
    }

    /**
     * Every callback's state: a section per callback object, holding its dispatcher's state (a generated dispatcher
     * saves its policies') and the object's own if it is {@link Stateful}.
     */
    private byte[] callbackState() {
        StateWriter out = new StateWriter();
        for (int i = 0; i < dispatchers.length; i++) {
            out.beginSection("callback" + i, callbackObjects[i].getClass().getName());
            if (dispatchers[i] instanceof Stateful s) {
                out.putSection("dispatcher", s);
            }
            if (callbackObjects[i] != dispatchers[i] && callbackObjects[i] instanceof Stateful s) {
                out.putSection("target", s);
            }
            out.endSection();
        }
        return out.toByteArray();
    }

    private void restoreCallbacks(StateReader in) {
        for (int i = 0; i < dispatchers.length; i++) {
            in.beginSection("callback" + i);
            if (dispatchers[i] instanceof Stateful s) {
                in.readSection("dispatcher", s);
            }
            if (callbackObjects[i] != dispatchers[i] && callbackObjects[i] instanceof Stateful s) {
                in.readSection("target", s);
            }
            in.endSection();
        }
        in.finish();
    }
}
