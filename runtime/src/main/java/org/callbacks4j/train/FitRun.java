package org.callbacks4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.callbacks4j.History;
import org.callbacks4j.data.BatchSource;
import org.callbacks4j.data.BatchStream;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.Dispatchers;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.internal.io.BackgroundWrites;
import org.callbacks4j.internal.progress.ProgbarLogger;
import org.callbacks4j.internal.train.FitLocks;
import org.callbacks4j.internal.train.HistoryRecorder;
import org.callbacks4j.internal.train.SlotLogs;
import org.callbacks4j.model.Sequential;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One {@code fit}: everything is checked and allocated in the constructor, then {@link #run()} drives the Keras 3 loop.
 * The batch loop touches only preallocated arrays: batch views over the (shuffled) training rows, or the batch arrays
 * of a {@link BatchStream} for streamed data, per-example loss and metric vectors for the epoch (summed once at epoch
 * end, so nothing is copied to the host per batch unless a batch hook reads logs), and the {@link Network}'s frames.
 *
 * <p>The constructor prepares every dispatcher ({@link CallbackDispatcher#prepare}) with this fit's
 * {@link FitRunPlan}: a policy that cannot serve the fit throws there, before anything is trained or written.
 *
 * <p>This class holds the setup and the loop; its parts are in their own files: {@link FitBatches} (the preallocated
 * batch views), {@link FitRunPlan} (what policies see and ask for), {@link FitBackups} (what a backup holds, and
 * putting it back) and {@link FitPredictions} (the outputs for prediction listeners).
 */
final class FitRun {

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

    // Training rows: [0, trainRows) of sourceX/sourceY, in each epoch's order when shuffling (ShuffledRows).
    private final int trainRows;
    private final INDArray sourceX;
    private final INDArray sourceY;
    private final ShuffledRows shuffled;
    private final FitBatches train;
    // Streamed batches (a file or iterator source, or weighted rows): the batch loop takes x, y and weights from
    // these instead of the views in train / validation; null when the data is an in-memory Dataset read as views.
    private final BatchStream trainStream;
    private final BatchStream validationStream;

    private final FitBatches validation;

    private final SlotLogs epochLogs;
    private final SlotLogs batchLogs;
    private final SlotLogs finalLogs;
    private final int lossSlot;
    private final int[] metricSlots;
    private final int valLossSlot;
    private final int[] valMetricSlots;
    private final double[] runningMetrics;
    private HistoryRecorder history = new HistoryRecorder();
    private final ProgbarLogger progbar;
    private final SlotLogs progressLogs;
    private double runningLoss;

    // @BackupAndRestore: the objects given to fit (their state is saved), the backup folder and what goes in it
    // (both null without one).
    private final Object[] callbackObjects;
    private final BackupRun backup;
    private final FitBackups backups;
    private int batchesSinceBackup;

    private final FitRunPlan plan;
    /** Epoch-end outputs for FitPlan.onPredictions listeners; null when there are none. */
    private final FitPredictions predictions;

    FitRun(Trainer trainer, Sequential model, BatchSource data, Fit fit, Object[] callbacks) {
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

        // Data: validation split (the last rows, before shuffling) or separate validation data. An in-memory Dataset
        // is read as views of its arrays; any other source, or weighted rows, streams through a BatchStream. Every
        // source is checked before anything is trained: a Dataset's arrays in place, a file or iterator by reading
        // every row once (which also fingerprints it for backups).
        Dataset memory = data instanceof Dataset d ? d : null;
        float[] sampleWeights = fit.sampleWeightArray();
        float[] classWeights = fit.classWeightTable();
        boolean weighted = sampleWeights != null || classWeights != null;
        String dataText;
        if (memory != null) {
            trainer.checkData("training", memory, model);
            dataText = null; // the backup describes it (with a checksum) only when there is a backup
        } else {
            if (fit.validationSplit().isPresent()) {
                throw new IllegalArgumentException("validationSplit(" + fit.validationSplit().getAsDouble() + ") "
                        + "needs an in-memory Dataset, as Keras's validation_split needs arrays; pass the validation "
                        + "rows as Fit.validationData(source)");
            }
            dataText = trainer.checkSource("training", data, model);
        }
        if (sampleWeights != null && sampleWeights.length != data.size()) {
            throw new IllegalArgumentException("sampleWeight has " + sampleWeights.length + " weights but the training "
                    + "data has " + data.size() + " rows; pass one weight per row");
        }
        if (classWeights != null && classWeights.length > Math.max(2, model.outputWidth())) {
            throw new IllegalArgumentException("classWeight names class " + (classWeights.length - 1) + " but the "
                    + "model has " + model.outputWidth() + " outputs; pass weights for classes 0 to "
                    + (Math.max(2, model.outputWidth()) - 1));
        }
        BatchSource validationData = fit.validationData().orElse(null);
        Dataset validationMemory = validationData instanceof Dataset d ? d : null;
        String validationText = null;
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
            if (validationMemory != null) {
                trainer.checkData("validation", validationMemory, model);
                validationRows = validationData.size();
            } else if (validationData != null) {
                validationText = trainer.checkSource("validation", validationData, model);
                validationRows = validationData.size();
            }
        }
        this.sourceX = memory == null ? null : memory.features();
        this.sourceY = memory == null ? null : memory.labels();

        BuiltInMetric[] metrics = trainer.metricArray();
        this.metricCount = metrics.length;
        this.net = new Network(model, trainer.loss(), metrics);
        this.optimizer = trainer.optimizerState(model);
        int batchSize = fit.batchSize();
        Map<Integer, Network.Frame> frames = new HashMap<>();

        if (memory == null || weighted) {
            // Streamed: batch arrays come from the stream; the split's head when weighting an in-memory split.
            BatchSource rows = memory != null && trainRows < memory.size() ? memory.rows(0, trainRows) : data;
            float[] rowWeights = sampleWeights == null || sampleWeights.length == trainRows ? sampleWeights
                    : java.util.Arrays.copyOf(sampleWeights, trainRows);
            trainStream = new BatchStream(rows, "training", batchSize, fit.shuffle(), fit.seed(), rowWeights,
                    classWeights);
            shuffled = null;
            train = newBatches(null, null, 0, trainRows, batchSize, frames);
            if (weighted) {
                train.weigh();
            }
        } else if (fit.shuffle()) {
            trainStream = null;
            shuffled = new ShuffledRows(sourceX, sourceY, trainRows, batchSize);
            train = newBatches(null, null, 0, trainRows, batchSize, frames);
            for (int b = 0; b < train.count; b++) {
                train.x[b] = shuffled.features(b);
                train.y[b] = shuffled.labels(b);
            }
        } else {
            trainStream = null;
            shuffled = null;
            train = newBatches(sourceX, sourceY, 0, trainRows, batchSize, frames);
        }
        if (validationRows > 0 && validationData != null && validationMemory == null) {
            validationStream = new BatchStream(validationData, "validation", batchSize, false, 0, null, null);
            validation = newBatches(null, null, 0, validationRows, batchSize, frames);
        } else if (validationRows == 0) {
            validationStream = null;
            validation = null;
        } else if (validationMemory != null) {
            validationStream = null;
            validation = newBatches(
                    validationMemory.features(), validationMemory.labels(), 0, validationRows, batchSize, frames);
        } else {
            validationStream = null;
            validation = newBatches(sourceX, sourceY, trainRows, validationRows, batchSize, frames);
        }
        this.context = new FitContext(model, optimizer, fit, train.count);

        List<String> names = new ArrayList<>();
        names.add("loss");
        for (BuiltInMetric m : metrics) {
            names.add(m.kerasName());
        }
        if (validation != null) {
            names.add("val_loss");
            for (BuiltInMetric m : metrics) {
                names.add("val_" + m.kerasName());
            }
        }
        this.epochLogs = new SlotLogs(names);
        // Policies resolve monitors and add their metrics now, before any training; the copies below get those slots.
        this.plan = new FitRunPlan(trainer, model, epochLogs, validation != null, context, optimizer, checkpointWrites);
        for (CallbackDispatcher d : dispatchers) {
            d.prepare(plan);
        }
        plan.preparing = false;
        this.backup = plan.backup;
        String backupConfiguration = backup == null ? null
                : BackupState.configuration(trainer, model, fit,
                        dataText != null ? dataText + "; " + trainStream.order() : BackupState.describe(memory),
                        validationText != null ? validationText
                                : validationMemory != null ? BackupState.describe(validationMemory) : null,
                        callbackObjects, dispatchers);
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

        this.backups = backup == null ? null : new FitBackups(backup, backupConfiguration, model, optimizer, train,
                metricCount, context, finalLogs, dispatchers, callbackObjects, fit.epochs(), checkpointWrites);

        if (!plan.predictionListeners.isEmpty() && (memory == null || validationStream != null)) {
            throw new IllegalArgumentException("a prediction metric (@Metric on model outputs) needs in-memory "
                    + "training and validation data, but this fit streams " + (memory == null ? data.describe()
                            : validationData.describe()) + "; load the data into a Dataset, or drop that metric");
        }
        if (plan.predictionListeners.isEmpty()) {
            predictions = null;
        } else {
            INDArray validationLabels = validation == null ? null
                    : validationMemory != null
                            ? validationMemory.labels()
                            : sourceY.get(NDArrayIndex.interval(trainRows, trainRows + validation.rows),
                                    NDArrayIndex.all());
            // The training batches hold no rows in dataset order when shuffled or streamed (weighted training).
            predictions = new FitPredictions(plan.predictionListeners, net, model.outputWidth(), train,
                    shuffled != null || trainStream != null, sourceX, sourceY, batchSize, frames, metricCount,
                    validation, validationLabels);
        }
    }

    History run() {
        // The model and every output path are this fit's alone until it ends (FitLocks), before anything is restored.
        try (FitLocks locks = FitLocks.acquire(model, plan.outputs)) {
            return runLocked();
        } finally {
            // The streams' reader threads and open files end with the fit, however it ends.
            if (trainStream != null) {
                trainStream.close();
            }
            if (validationStream != null) {
                validationStream.close();
            }
        }
    }

    private History runLocked() {
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
        FitBackups.Restored restored = backups == null ? null : backups.restore();
        BackupState.Position resumed = null;
        if (restored != null) {
            // The loop's own part of the backup: its running sums and the history so far.
            resumed = restored.position();
            runningLoss = restored.runningLoss();
            System.arraycopy(restored.runningMetrics(), 0, runningMetrics, 0, metricCount);
            history = restored.history();
            plan.resuming = true;
        }
        int firstEpoch = resumed == null ? fit.initialEpoch() : resumed.epoch();
        int resumedBatches = resumed == null ? 0 : resumed.batchesDone();
        // Saved at the end of the epoch that asked to stop: no further epoch runs.
        boolean ended = resumed != null && resumed.ended();
        if (restored != null && restored.complete()) {
            // The run ended normally before: its History and parameters are back, nothing is trained or written.
            return finishedHistory();
        }
        int reached = firstEpoch;
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
            if (shuffled != null) {
                shuffled.shuffle(fit.seed(), epoch);
            }
            int rowsRun = trainEpoch(epoch, midEpoch ? resumedBatches : 0, midEpoch ? resumed.rowsRun() : 0);
            train.putMeans(epochLogs, lossSlot, metricSlots, rowsRun);
            boolean validating = validation != null && fit.validatesAt(epoch);
            if (validating) {
                if (validationStream != null) {
                    validationStream.startEpoch(0, 0);
                }
                for (int b = 0; b < validation.count; b++) {
                    INDArray vx = validation.x[b];
                    INDArray vy = validation.y[b];
                    if (validationStream != null) {
                        BatchStream.Batch batch = validationStream.next();
                        vx = batch.x();
                        vy = batch.y();
                    }
                    net.evaluate(validation.frames[b], vx, vy, validation.loss[b], validation.metrics[b]);
                    if (predictions != null) {
                        predictions.keepValidation(b, net.output(validation.frames[b]));
                    }
                }
                validation.putMeans(epochLogs, valLossSlot, valMetricSlots, validation.rows);
            }
            if (predictions != null) {
                predictions.predict(epoch, validating);
            }
            // onTrainEnd sees the trainer's values only, not keys hooks add (Keras passes it its own epoch_logs).
            finalLogs.copyFrom(epochLogs);
            if (validating && has(Hooks.VALIDATION_END)) {
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
            reached = epoch + 1;
            progbar.onEpochEnd(epoch, (rowsRun + fit.batchSize() - 1) / fit.batchSize(), epochLogs);
            if (backup != null && backup.saveFreq == 0) {
                saveBackup(epoch + 1, 0, 0, context.isStopRequested());
            }
            if (context.isStopRequested()) {
                break;
            }
        }
        // Every checkpoint is on disk before onTrainEnd: hooks there may read the best one.
        drainCheckpoints(checkpointWrites);
        if (has(Hooks.TRAIN_END)) {
            for (CallbackDispatcher d : dispatchers) {
                d.onTrainEnd(finalLogs, context);
            }
        }
        if (backups != null) {
            // the completion record
            backups.write(reached, 0, 0, true, true, runningLoss, runningMetrics, history);
        }
        return finishedHistory();
    }

    /** The History with who stopped the run and the early-stopping outcomes. */
    private History finishedHistory() {
        if (context.stoppedBy() != null) {
            history.stopped(context.stoppedBy(), context.stopEpoch());
        }
        for (Supplier<History.EarlyStoppingOutcome> outcome : plan.outcomes) {
            history.earlyStopping(outcome.get());
        }
        return history.build();
    }

    /** Writes a backup ({@link FitBackups#write}) after {@code batchesDone} batches of {@code epoch}. */
    private void saveBackup(int epoch, int batchesDone, int rowsRun, boolean ended) {
        backups.write(epoch, batchesDone, rowsRun, ended, false, runningLoss, runningMetrics, history);
    }

    /** Waits for the checkpoint writes under way; a failed one fails the fit. */
    static void drainCheckpoints(BackgroundWrites checkpointWrites) {
        try {
            checkpointWrites.drain();
        } catch (IOException e) {
            throw new UncheckedIOException("@Checkpoint could not save: " + e.getMessage(), e);
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
        if (trainStream != null) {
            trainStream.startEpoch(epoch, firstBatch);
        }
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
            if (trainStream == null) {
                if (shuffled != null) {
                    shuffled.gather(b);
                }
                net.trainStep(train.frames[b], train.x[b], train.y[b], train.loss[b], train.metrics[b], optimizer,
                        epoch);
            } else {
                BatchStream.Batch batch = trainStream.next();
                INDArray w = batch.w();
                net.trainStep(train.frames[b], batch.x(), batch.y(), w, train.loss[b], train.metrics[b], optimizer,
                        epoch);
                if (w != null) {
                    train.weights[b].assign(w);
                }
            }
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
                    // Weighted rows: metrics are weighted means (Keras), the loss a sum over the rows.
                    double metricDivisor = train.metricDivisor(rowsRun);
                    for (int k = 0; k < metricCount; k++) {
                        runningMetrics[k] += train.metrics[b][k].sumNumber().doubleValue();
                        batchLogs.put(metricSlots[k], runningMetrics[k] / metricDivisor);
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

    private boolean has(int hook) {
        return (hooks & hook) != 0;
    }

    /** Keras {@code evaluate}: mean loss and metrics over {@code data}, in batches of {@code batchSize}. */
    static Map<String, Double> evaluate(Trainer trainer, Sequential model, Dataset data, int batchSize) {
        BuiltInMetric[] metrics = trainer.metricArray();
        Network net = new Network(model, trainer.loss(), metrics);
        FitBatches batches = new FitBatches(data.features(), data.labels(), 0, data.size(), batchSize, new HashMap<>(),
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

    /** Keras {@code evaluate} on a streamed source: as {@link #evaluate(Trainer, Sequential, Dataset, int)}. */
    static Map<String, Double> evaluate(Trainer trainer, Sequential model, BatchSource data, int batchSize) {
        BuiltInMetric[] metrics = trainer.metricArray();
        Network net = new Network(model, trainer.loss(), metrics);
        FitBatches batches = new FitBatches(null, null, 0, data.size(), batchSize, new HashMap<>(), net,
                metrics.length);
        try (BatchStream stream = new BatchStream(data, "evaluation", batchSize, false, 0, null, null)) {
            stream.startEpoch(0, 0);
            for (int b = 0; b < batches.count; b++) {
                BatchStream.Batch batch = stream.next();
                net.evaluate(batches.frames[b], batch.x(), batch.y(), batches.loss[b], batches.metrics[b]);
            }
        }
        Map<String, Double> result = new TreeMap<>();
        result.put("loss", batches.lossVector.sumNumber().doubleValue() / data.size());
        for (int k = 0; k < metrics.length; k++) {
            result.put(metrics[k].kerasName(), batches.metricVectors[k].sumNumber().doubleValue() / data.size());
        }
        return result;
    }

    private FitBatches newBatches(INDArray x, INDArray y, int from, int rows, int batchSize,
            Map<Integer, Network.Frame> frames) {
        return new FitBatches(x, y, from, rows, batchSize, frames, net, metricCount);
    }
}
