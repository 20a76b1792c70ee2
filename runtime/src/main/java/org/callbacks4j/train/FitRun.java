package org.callbacks4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.callbacks4j.History;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.dispatch.CallbackDispatcher;
import org.callbacks4j.dispatch.Dispatchers;
import org.callbacks4j.dispatch.FitPlan;
import org.callbacks4j.dispatch.Hooks;
import org.callbacks4j.io.BackgroundWrites;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.progress.ProgbarLogger;
import org.callbacks4j.state.StateReader;
import org.callbacks4j.state.StateWriter;
import org.callbacks4j.state.Stateful;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code fit}: everything is checked and allocated in the constructor, then {@link #run()} drives the Keras 3 loop.
 * The batch loop touches only preallocated arrays: batch views over the (shuffled) training rows, per-example loss
 * and metric vectors for the epoch (summed once at epoch end, so nothing is copied to the host per batch unless a
 * batch hook reads logs), and the {@link Network}'s frames.
 *
 * <p>The constructor ends by preparing every dispatcher ({@link CallbackDispatcher#prepare}) with this fit's
 * {@link Plan}: a policy that cannot serve the fit throws there, before anything is trained or written.
 */
final class FitRun {

    private static final Logger log = LoggerFactory.getLogger(FitRun.class);

    private final Trainer trainer;
    private final Sequential model;
    private final Fit fit;
    private final Network net;
    private final BackgroundWrites checkpointWrites = new BackgroundWrites();
    private final int metricCount;
    private final CallbackDispatcher[] dispatchers;
    /** The only dispatcher, if there is one: the batch loop calls it without a loop (the common case). */
    private final CallbackDispatcher soleDispatcher;
    private final int hooks;
    private final FitContext context;
    private final OptimizerState optimizer;

    // Training rows: [0, trainRows) of sourceX/sourceY, gathered into shuffledX/shuffledY each epoch when shuffling.
    private final int trainRows;
    private final INDArray sourceX;
    private final INDArray sourceY;
    private final int[] order;
    private final INDArray shuffledX;
    private final INDArray shuffledY;
    private final Batches train;

    private final Batches validation;

    private final SlotLogs epochLogs;
    private final SlotLogs batchLogs;
    private final SlotLogs finalLogs;
    private final int lossSlot;
    private final int[] metricSlots;
    private final int valLossSlot;
    private final int[] valMetricSlots;
    private final double[] runningMetrics;
    private History.Recorder history = History.recorder();
    private final ProgbarLogger progbar;
    private final SlotLogs progressLogs;
    private double runningLoss;

    // @BackupAndRestore: the objects given to fit (their state is saved), the backup folder (null without one).
    private final Object[] callbackObjects;
    private BackupRun backup;
    private String backupConfiguration;
    private boolean resuming;
    private int batchesSinceBackup;

    private final Plan plan;
    // Epoch-end outputs for FitPlan.onPredictions listeners; null when there are none.
    private final Batches predictionBatches;
    private final INDArray trainOutputs;
    private final INDArray[] trainOutputViews;
    private final INDArray trainLabels;
    private final INDArray validationOutputs;
    private final INDArray[] validationOutputViews;
    private final INDArray validationLabels;

    FitRun(Trainer trainer, Sequential model, Dataset data, Fit fit, Object[] callbacks) {
        this.trainer = trainer;
        this.model = model;
        this.fit = fit;

        // Callbacks first: a missing generated class is the most likely setup mistake.
        this.callbackObjects = callbacks.clone();
        this.dispatchers = new CallbackDispatcher[callbacks.length];
        int mask = 0;
        for (int i = 0; i < callbacks.length; i++) {
            if (callbacks[i] == null) {
                throw new IllegalArgumentException(
                        "callback " + i + " is null; pass instances of classes with hook methods, or leave it out");
            }
            dispatchers[i] = Dispatchers.of(callbacks[i]);
            mask |= dispatchers[i].hooks();
        }
        this.hooks = mask;
        this.soleDispatcher = dispatchers.length == 1 ? dispatchers[0] : null;

        // Data: validation split (the last rows, before shuffling) or separate validation data.
        trainer.checkData("training", data, model);
        Dataset validationData = fit.validationData().orElse(null);
        int validationRows = 0;
        if (fit.validationSplit().isPresent()) {
            double fraction = fit.validationSplit().getAsDouble();
            int at = Dataset.splitPoint(data.size(), fraction);
            if (at < 1 || at >= data.size()) {
                throw new IllegalArgumentException(
                        "validationSplit " + fraction + " of " + data.size() + " rows leaves " + at
                                + " training and " + (data.size() - at) + " validation rows; pass a split that "
                                + "leaves rows on both sides (e.g. 0.2) or more data");
            }
            trainRows = at;
            validationRows = data.size() - at;
        } else {
            trainRows = data.size();
            if (validationData != null) {
                trainer.checkData("validation", validationData, model);
                validationRows = validationData.size();
            }
        }
        this.sourceX = data.features();
        this.sourceY = data.labels();

        Metric[] metrics = trainer.metricArray();
        this.metricCount = metrics.length;
        this.net = new Network(model, trainer.loss(), metrics);
        this.optimizer = trainer.optimizerState(model);
        int batchSize = fit.batchSize();
        Map<Integer, Network.Frame> frames = new HashMap<>();

        if (fit.shuffle()) {
            order = new int[trainRows];
            shuffledX = Nd4j.create(DataType.FLOAT, trainRows, sourceX.size(1));
            shuffledY = Nd4j.create(DataType.FLOAT, trainRows, sourceY.size(1));
            train = newBatches(shuffledX, shuffledY, 0, trainRows, batchSize, frames);
        } else {
            order = null;
            shuffledX = null;
            shuffledY = null;
            train = newBatches(sourceX, sourceY, 0, trainRows, batchSize, frames);
        }
        if (validationRows == 0) {
            validation = null;
        } else if (validationData != null) {
            validation = newBatches(
                    validationData.features(), validationData.labels(), 0, validationRows, batchSize, frames);
        } else {
            validation = newBatches(sourceX, sourceY, trainRows, validationRows, batchSize, frames);
        }
        this.context = new FitContext(model, optimizer, fit, train.count);

        List<String> names = new ArrayList<>();
        names.add("loss");
        for (Metric m : metrics) {
            names.add(m.kerasName());
        }
        if (validation != null) {
            names.add("val_loss");
            for (Metric m : metrics) {
                names.add("val_" + m.kerasName());
            }
        }
        this.epochLogs = new SlotLogs(names);
        // Policies resolve monitors and add their metrics now, before any training; the copies below get those slots.
        this.plan = new Plan();
        for (CallbackDispatcher d : dispatchers) {
            d.prepare(plan);
        }
        plan.preparing = false;
        this.backupConfiguration = backup == null ? null
                : BackupState.configuration(trainer, model, fit, data, validationData, callbackObjects, dispatchers);
        this.batchLogs = new SlotLogs(epochLogs);
        this.finalLogs = new SlotLogs(epochLogs);
        this.lossSlot = epochLogs.slot("loss");
        this.metricSlots = new int[metricCount];
        this.valMetricSlots = new int[metricCount];
        for (int k = 0; k < metricCount; k++) {
            metricSlots[k] = epochLogs.slot(metrics[k].kerasName());
            valMetricSlots[k] = epochLogs.slot("val_" + metrics[k].kerasName());
        }
        this.valLossSlot = epochLogs.slot("val_loss");
        this.runningMetrics = new double[metricCount];
        this.progbar = ProgbarLogger.create(fit.verbose(), fit.progressOutput(), fit.progressTerminal());
        this.progressLogs = new SlotLogs(epochLogs);

        if (plan.predictionListeners.isEmpty()) {
            predictionBatches = null;
            trainOutputs = null;
            trainOutputViews = null;
            trainLabels = null;
            validationOutputs = null;
            validationOutputViews = null;
            validationLabels = null;
        } else {
            // Training outputs come from one extra pass over the training rows in dataset order; validation outputs
            // are copied from the validation pass, which computes them anyway.
            predictionBatches = order == null ? train : newBatches(sourceX, sourceY, 0, trainRows, batchSize, frames);
            trainOutputs = Nd4j.create(DataType.FLOAT, trainRows, model.outputWidth());
            trainOutputViews = rowViews(trainOutputs, predictionBatches);
            trainLabels = sourceY.get(NDArrayIndex.interval(0, trainRows), NDArrayIndex.all());
            if (validation == null) {
                validationOutputs = null;
                validationOutputViews = null;
                validationLabels = null;
            } else {
                validationOutputs = Nd4j.create(DataType.FLOAT, validation.rows, model.outputWidth());
                validationOutputViews = rowViews(validationOutputs, validation);
                validationLabels = validationData != null
                        ? validationData.labels()
                        : sourceY.get(NDArrayIndex.interval(trainRows, trainRows + validation.rows),
                                NDArrayIndex.all());
            }
        }
    }

    /** Views of {@code outputs} with the rows of each batch of {@code batches}. */
    private static INDArray[] rowViews(INDArray outputs, Batches batches) {
        INDArray[] views = new INDArray[batches.count];
        long start = 0;
        for (int b = 0; b < batches.count; b++) {
            long rows = batches.x[b].size(0);
            views[b] = outputs.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all());
            start += rows;
        }
        return views;
    }

    History run() {
        try {
            return train();
        } catch (RuntimeException | Error e) {
            // A checkpoint write still under way when a hook threw: it finishes (whole or absent) before fit returns.
            try {
                checkpointWrites.drain();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private History train() {
        context.resetStop();
        // A backup puts everything back before any hook runs; the loop then continues where it was saved.
        BackupState.Position resumed = backup == null ? null : restore();
        int firstEpoch = resumed == null ? fit.initialEpoch() : resumed.epoch();
        int resumedBatches = resumed == null ? 0 : resumed.batchesDone();
        // Saved at the end of the epoch that asked to stop: no further epoch runs.
        boolean ended = resumed != null && resumed.ended();
        if (has(Hooks.TRAIN_BEGIN)) {
            for (CallbackDispatcher d : dispatchers) {
                d.onTrainBegin(context);
            }
        }
        if (backup != null && resumed == null) {
            // A first backup before any training: what the run writes before the first save point (event files, CSV
            // rows, checkpoints) then belongs to a backed-up run, and a restart continues it instead of starting over.
            saveBackup(firstEpoch, 0, 0, false);
        }
        for (int epoch = firstEpoch; !ended && epoch < fit.epochs(); epoch++) {
            // Resumed in the middle of this epoch: its begin hooks already ran before the backup.
            boolean midEpoch = epoch == firstEpoch && resumedBatches > 0;
            context.epoch(epoch);
            epochLogs.clear();
            if (has(Hooks.EPOCH_BEGIN) && !midEpoch) {
                for (CallbackDispatcher d : dispatchers) {
                    d.onEpochBegin(epoch, context);
                }
            }
            progbar.onEpochBegin(epoch, fit.epochs(), train.count);
            if (order != null) {
                shuffle(epoch);
            }
            int rowsRun = trainEpoch(epoch, midEpoch ? resumedBatches : 0, midEpoch ? resumed.rowsRun() : 0);
            train.putMeans(epochLogs, lossSlot, metricSlots, rowsRun);
            if (validation != null) {
                for (int b = 0; b < validation.count; b++) {
                    net.evaluate(validation.frames[b], validation.x[b], validation.y[b], validation.loss[b],
                            validation.metrics[b]);
                    if (validationOutputViews != null) {
                        validationOutputViews[b].assign(net.output(validation.frames[b]));
                    }
                }
                validation.putMeans(epochLogs, valLossSlot, valMetricSlots, validation.rows);
            }
            if (predictionBatches != null) {
                predict(epoch);
            }
            // onTrainEnd sees the trainer's values only, not keys hooks add (Keras passes it its own epoch_logs).
            finalLogs.copyFrom(epochLogs);
            if (validation != null && has(Hooks.VALIDATION_END)) {
                for (CallbackDispatcher d : dispatchers) {
                    d.onValidationEnd(epoch, epochLogs, context);
                }
            }
            if (has(Hooks.EPOCH_END)) {
                for (CallbackDispatcher d : dispatchers) {
                    d.onEpochEnd(epoch, epochLogs, context);
                }
            }
            // History comes after the user's callbacks, as in Keras, so it records keys they add.
            history.record(epoch, epochLogs);
            progbar.onEpochEnd(epoch, (rowsRun + fit.batchSize() - 1) / fit.batchSize(), epochLogs);
            if (backup != null && backup.saveFreq == 0) {
                saveBackup(epoch + 1, 0, 0, context.isStopRequested());
            }
            if (context.isStopRequested()) {
                break;
            }
        }
        // Every checkpoint is on disk before onTrainEnd: hooks there may read the best one.
        drainCheckpoints();
        if (has(Hooks.TRAIN_END)) {
            for (CallbackDispatcher d : dispatchers) {
                d.onTrainEnd(finalLogs, context);
            }
        }
        if (backup != null) {
            backup.finish();
        }
        if (context.stoppedBy() != null) {
            history.stopped(context.stoppedBy(), context.stopEpoch());
        }
        for (Supplier<History.EarlyStoppingOutcome> outcome : plan.outcomes) {
            history.earlyStopping(outcome.get());
        }
        return history.build();
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
    private BackupState.Position restore() {
        Backups.Backup saved = backup.loadNewest();
        if (saved == null) {
            return null;
        }
        String source = "backup " + saved.file().toAbsolutePath();
        String refusal = " Resume with the settings it was written with, or move or delete the folder "
                + backup.dir.toAbsolutePath() + " to start a new run.";
        String difference = BackupState.firstDifference(saved.configuration(), backupConfiguration);
        if (difference != null) {
            throw new IllegalStateException("@BackupAndRestore: " + source + " was written for another training: "
                    + difference + "." + refusal);
        }
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
        float[][] epochMetrics = new float[metricCount][];
        for (int k = 0; k < metricCount; k++) {
            epochMetrics[k] = in.readFloats("epochMetric" + k);
        }
        double savedRunningLoss = in.readDouble("runningLoss");
        double[] savedRunningMetrics = in.readDoubles("runningMetrics");
        String stoppedBy = in.readString("stoppedBy");
        int stopEpoch = in.readInt("stopEpoch");
        BackupState.LogsSnapshot savedFinalLogs = BackupState.readLogs(in, "finalLogs");
        History.Recorder savedHistory = History.recorder();
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
            for (int k = 0; k < metricCount; k++) {
                train.metricVectors[k].get(NDArrayIndex.interval(0, rows), NDArrayIndex.all())
                        .assign(Nd4j.createFromArray(epochMetrics[k]).reshape(rows, 1));
            }
        }
        runningLoss = savedRunningLoss;
        System.arraycopy(savedRunningMetrics, 0, runningMetrics, 0, metricCount);
        context.restoreStop(stoppedBy, stopEpoch);
        savedFinalLogs.applyTo(finalLogs);
        history = savedHistory;
        resuming = true;
        log.info("@BackupAndRestore: resuming from {}", saved);
        return position;
    }

    /**
     * Writes a backup: the trainer's state at this point ({@code batchesDone} batches of {@code epoch} done, holding
     * {@code rowsRun} rows; {@code ended}: no epoch is left to run) and every callback's.
     */
    private void saveBackup(int epoch, int batchesDone, int rowsRun, boolean ended) {
        // The backup records the checkpoint policies' state: the checkpoints it implies must exist first.
        drainCheckpoints();
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
        for (int k = 0; k < metricCount; k++) {
            out.putFloats("epochMetric" + k, midEpoch ? rows(train.metricVectors[k], rowsRun) : null);
        }
        out.putDouble("runningLoss", runningLoss)
                .putDoubles("runningMetrics", runningMetrics)
                .putString("stoppedBy", context.isStopRequested() ? context.stoppedBy() : null)
                .putInt("stopEpoch", context.stopEpoch());
        BackupState.putLogs(out, "finalLogs", finalLogs);
        out.putSection("history", history);
        backup.save(epoch, batchesDone, backupConfiguration, out.toByteArray(), callbackState());
    }

    private void drainCheckpoints() {
        try {
            checkpointWrites.drain();
        } catch (IOException e) {
            throw new UncheckedIOException("@Checkpoint could not save: " + e.getMessage(), e);
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

    /**
     * The model's outputs on the training rows (one forward pass, in dataset order) and, already copied by the
     * validation pass, on the validation rows, handed to the prediction listeners, which write their metrics.
     */
    private void predict(int epoch) {
        Batches rows = predictionBatches;
        for (int b = 0; b < rows.count; b++) {
            net.forward(rows.frames[b], rows.x[b], false);
            trainOutputViews[b].assign(net.output(rows.frames[b]));
        }
        for (FitPlan.PredictionListener listener : plan.predictionListeners) {
            listener.onPredictions(epoch, trainOutputs, trainLabels, validationOutputs, validationLabels);
        }
    }

    /**
     * The batch loop of one epoch from batch {@code firstBatch} ({@code rowsBefore} rows already run: resumed from a
     * backup); returns the number of training rows run (fewer if a hook stopped it).
     */
    private int trainEpoch(int epoch, int firstBatch, int rowsBefore) {
        boolean batchBegin = has(Hooks.BATCH_BEGIN);
        boolean batchEnd = has(Hooks.BATCH_END);
        boolean batchValues = batchEnd && has(Hooks.BATCH_LOGS);
        if (batchValues) {
            batchLogs.clear();
        }
        if (firstBatch == 0) {
            runningLoss = 0;
            java.util.Arrays.fill(runningMetrics, 0);
        } else if (context.isStopRequested()) {
            return rowsBefore; // the backup was taken after the batch that asked to stop
        }
        int rowsRun = rowsBefore;
        for (int b = firstBatch; b < train.count; b++) {
            if (batchBegin) {
                if (soleDispatcher != null) {
                    soleDispatcher.onBatchBegin(epoch, b, context);
                } else {
                    for (CallbackDispatcher d : dispatchers) {
                        d.onBatchBegin(epoch, b, context);
                    }
                }
            }
            net.trainStep(train.frames[b], train.x[b], train.y[b], train.loss[b], train.metrics[b], optimizer, epoch);
            rowsRun += train.frames[b].rows;
            if (progbar.redrawDue()) {
                // Epoch-to-date means for the live bar: a host copy only when it redraws, not per batch.
                train.putMeans(progressLogs, lossSlot, metricSlots, rowsRun);
                progbar.update(b + 1, progressLogs);
            }
            if (batchEnd) {
                if (batchValues) {
                    // Epoch-to-date, example-weighted means, as Keras's batch logs; the only per-batch host copy.
                    runningLoss += train.loss[b].sumNumber().doubleValue();
                    batchLogs.put(lossSlot, runningLoss / rowsRun);
                    for (int k = 0; k < metricCount; k++) {
                        runningMetrics[k] += train.metrics[b][k].sumNumber().doubleValue();
                        batchLogs.put(metricSlots[k], runningMetrics[k] / rowsRun);
                    }
                }
                // A loop over one element here costs as much as the call itself (2 to 5 ns against a 3.5 ns floor,
                // BENCHMARKS.md): the only dispatcher is called directly.
                if (soleDispatcher != null) {
                    soleDispatcher.onBatchEnd(epoch, b, batchLogs, context);
                } else {
                    for (CallbackDispatcher d : dispatchers) {
                        d.onBatchEnd(epoch, b, batchLogs, context);
                    }
                }
            }
            if (backup != null && backup.saveFreq > 0 && ++batchesSinceBackup == backup.saveFreq) {
                batchesSinceBackup = 0;
                saveBackup(epoch, b + 1, rowsRun, false);
            }
            if (context.isStopRequested()) {
                break;
            }
        }
        return rowsRun;
    }

    /** Gathers the training rows in epoch {@code epoch}'s order, which depends only on the seed and the epoch. */
    private void shuffle(int epoch) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(fit.seed() + 0x9E3779B97F4A7C15L * (epoch + 1L));
        for (int i = order.length - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        Nd4j.pullRows(sourceX, shuffledX, 1, order);
        Nd4j.pullRows(sourceY, shuffledY, 1, order);
    }

    private boolean has(int hook) {
        return (hooks & hook) != 0;
    }

    /** Keras {@code evaluate}: mean loss and metrics over {@code data}, in batches of {@code batchSize}. */
    static Map<String, Double> evaluate(Trainer trainer, Sequential model, Dataset data, int batchSize) {
        Metric[] metrics = trainer.metricArray();
        Network net = new Network(model, trainer.loss(), metrics);
        Batches batches = new Batches(data.features(), data.labels(), 0, data.size(), batchSize, new HashMap<>(),
                net, metrics.length);
        for (int b = 0; b < batches.count; b++) {
            net.evaluate(batches.frames[b], batches.x[b], batches.y[b], batches.loss[b], batches.metrics[b]);
        }
        Map<String, Double> result = new TreeMap<>();
        result.put("loss", batches.lossVector.sumNumber().doubleValue() / data.size());
        for (int k = 0; k < metrics.length; k++) {
            result.put(metrics[k].kerasName(), batches.metricVectors[k].sumNumber().doubleValue() / data.size());
        }
        return result;
    }

    private Batches newBatches(INDArray x, INDArray y, int from, int rows, int batchSize,
            Map<Integer, Network.Frame> frames) {
        return new Batches(x, y, from, rows, batchSize, frames, net, metricCount);
    }

    /** The {@link FitPlan} of this fit: the epoch logs, and the trainer's services to built-in policies. */
    private final class Plan implements FitPlan {

        boolean preparing = true;
        final List<Supplier<History.EarlyStoppingOutcome>> outcomes = new ArrayList<>();
        final List<PredictionListener> predictionListeners = new ArrayList<>();

        @Override
        public Logs logs() {
            return epochLogs;
        }

        @Override
        public int defineMetric(String name) {
            checkPreparing("defineMetric");
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a metric name must not be empty");
            }
            return epochLogs.define(name);
        }

        @Override
        public void set(int slot, double value) {
            if (slot < 0 || slot >= epochLogs.slotCount()) {
                throw new IllegalArgumentException("slot " + slot + " is not a slot of this fit's logs; use the slot "
                        + "defineMetric(..) returned");
            }
            epochLogs.put(slot, value);
        }

        @Override
        public boolean hasValidation() {
            return validation != null;
        }

        @Override
        public TrainingContext context() {
            return context;
        }

        @Override
        public List<String> metricNames() {
            List<String> all = new ArrayList<>(epochLogs.slotCount());
            for (int i = 0; i < epochLogs.slotCount(); i++) {
                all.add(epochLogs.name(i));
            }
            all.sort(null);
            return all;
        }

        @Override
        public void stopTraining(String stoppedBy) {
            context.requestStop(Objects.requireNonNull(stoppedBy, "stoppedBy"));
        }

        @Override
        public void reportOutcome(Supplier<History.EarlyStoppingOutcome> outcome) {
            checkPreparing("reportOutcome");
            outcomes.add(Objects.requireNonNull(outcome, "outcome"));
        }

        @Override
        public void onPredictions(PredictionListener listener) {
            checkPreparing("onPredictions");
            predictionListeners.add(Objects.requireNonNull(listener, "listener"));
        }

        @Override
        public void saveCheckpoint(Path file, boolean weightsOnly, int epoch, int batch, Logs logs)
                throws IOException {
            OptimizerState state = weightsOnly ? null : optimizer;
            // The bytes now, on the training thread; the zip, fsync and rename on the writer thread.
            Checkpoints.Prepared checkpoint = Checkpoints.prepare(file, new SavedTraining(Checkpoints.FORMAT_VERSION,
                    model, state == null ? null : new SavedTraining.OptimizerSnapshot(state.optimizer(),
                            trainer.optimizer().toString(), state.flat(), state.iterations(), state.learningRate()),
                    epoch, batch, logs.toMap(), trainer.loss().name(), trainer.metrics()));
            checkpointWrites.submit("checkpoint " + file.toAbsolutePath() + " (epoch " + (epoch + 1) + ")",
                    checkpoint::write);
        }

        @Override
        public long iterations() {
            return optimizer.iterations();
        }

        @Override
        public void backupAndRestore(Path dir, int saveFreq, boolean deleteBackup) {
            checkPreparing("backupAndRestore");
            Objects.requireNonNull(dir, "dir");
            if (backup != null) {
                throw new IllegalStateException("two @BackupAndRestore in one fit (folders " + backup.dir + " and "
                        + dir + "); keep one: it backs up the whole training");
            }
            backup = new BackupRun(dir, saveFreq, deleteBackup);
        }

        @Override
        public boolean resuming() {
            return resuming;
        }

        private void checkPreparing(String method) {
            if (!preparing) {
                throw new IllegalStateException("FitPlan." + method + "(..) is only allowed in prepare(..), before "
                        + "training starts");
            }
        }
    }

    /**
     * Views for every batch of a run of rows: features, labels, and the slices of the per-example loss and metric
     * vectors each batch writes, created once per fit so the batch loop allocates none.
     */
    private static final class Batches {

        final int rows;
        final int count;
        final INDArray[] x;
        final INDArray[] y;
        final Network.Frame[] frames;
        final INDArray lossVector;
        final INDArray[] metricVectors;
        final INDArray[] loss;
        final INDArray[][] metrics;

        Batches(INDArray sourceX, INDArray sourceY, int from, int rows, int batchSize,
                Map<Integer, Network.Frame> frameCache, Network net, int metricCount) {
            this.rows = rows;
            this.count = (rows + batchSize - 1) / batchSize;
            x = new INDArray[count];
            y = new INDArray[count];
            frames = new Network.Frame[count];
            loss = new INDArray[count];
            metrics = new INDArray[count][metricCount];
            lossVector = Nd4j.create(DataType.FLOAT, rows, 1);
            metricVectors = new INDArray[metricCount];
            for (int k = 0; k < metricCount; k++) {
                metricVectors[k] = Nd4j.create(DataType.FLOAT, rows, 1);
            }
            for (int b = 0; b < count; b++) {
                int start = b * batchSize;
                int end = Math.min(rows, start + batchSize);
                x[b] = sourceX.get(NDArrayIndex.interval(from + start, from + end), NDArrayIndex.all());
                y[b] = sourceY.get(NDArrayIndex.interval(from + start, from + end), NDArrayIndex.all());
                frames[b] = frameCache.computeIfAbsent(end - start, net::frame);
                loss[b] = lossVector.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
                for (int k = 0; k < metricCount; k++) {
                    metrics[b][k] = metricVectors[k].get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
                }
            }
        }

        /** Puts the example-weighted means over the first {@code rowsRun} rows into {@code logs}. */
        void putMeans(SlotLogs logs, int lossSlot, int[] metricSlots, int rowsRun) {
            logs.put(lossSlot, sum(lossVector, rowsRun) / rowsRun);
            for (int k = 0; k < metricSlots.length; k++) {
                logs.put(metricSlots[k], sum(metricVectors[k], rowsRun) / rowsRun);
            }
        }

        private double sum(INDArray vector, int rowsRun) {
            INDArray part = rowsRun == rows ? vector : vector.get(NDArrayIndex.interval(0, rowsRun), NDArrayIndex.all());
            return part.sumNumber().doubleValue();
        }
    }
}
