package org.callbacks4j.dl4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.callbacks4j.History;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.Dispatchers;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.internal.io.AtomicFiles;
import org.callbacks4j.internal.io.BackgroundWrites;
import org.callbacks4j.internal.progress.ProgbarLogger;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;
import org.callbacks4j.internal.state.Stateful;
import org.callbacks4j.internal.train.Backups;
import org.callbacks4j.internal.train.FitLocks;
import org.callbacks4j.internal.train.HistoryRecorder;
import org.callbacks4j.internal.train.SlotLogs;
import org.callbacks4j.train.BackupRun;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.classification.ROC;
import org.nd4j.evaluation.classification.ROCMultiClass;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.AsyncDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Dl4jTrainer} fit: the Keras 3 loop of {@code org.callbacks4j.train.FitRun} around DL4J's own epoch.
 * Each epoch is one {@code fit(DataSetIterator)} of the network (DL4J's loop, workspaces and listeners; for a
 * {@code SameDiff} graph its {@code fit(iterator, 1, listener)}, see {@link SameDiffNetwork}) over a
 * {@link Batches} iterator that wraps the user's: its {@code next()} runs the batch-begin hooks, and its
 * {@code hasNext()} ends the previous batch (loss, batch-end hooks, progress bar, backup) once DL4J has completely
 * finished that step (update, constraints, counters), and ends the epoch early when a stop was requested. So the
 * generated dispatcher is driven exactly as by the callbacks4j trainer, with no listener and no per-batch allocation:
 * the training loss is DL4J's score, already on the host.
 *
 * <p>Everything is checked in the constructor, which ends by preparing every dispatcher with this fit's
 * {@link Plan}: a policy that cannot serve the fit throws there, before anything is trained or written.
 */
final class Dl4jFitRun {

    private static final Logger log = LoggerFactory.getLogger(Dl4jFitRun.class);

    private final Dl4jNetwork net;
    private final DataSetIterator trainData;
    private final DataSetIterator validationData;
    private final Dl4jFit fit;
    private final Object[] callbackObjects;
    private final CallbackDispatcher[] dispatchers;
    private final CallbackDispatcher soleDispatcher;
    private final int hooks;
    private final int batchesPerEpoch;
    private final Dl4jContext context;
    private final Batches batches;
    private final BackgroundWrites checkpointWrites = new BackgroundWrites();

    private final SlotLogs epochLogs;
    private final SlotLogs batchLogs;
    private final SlotLogs finalLogs;
    private final SlotLogs progressLogs;
    private final int lossSlot;
    private final int valLossSlot;
    private final int[] metricSlots;
    private final int[] valMetricSlots;
    private final List<String> metrics;
    private final ProgbarLogger progbar;
    private final Plan plan;
    private HistoryRecorder history = new HistoryRecorder();
    /** The backup restored is a completion record: the run ended normally before. */
    private boolean completeRun;

    private BackupRun backup;
    private String backupConfiguration;
    private boolean resuming;
    private int batchesSinceBackup;

    Dl4jFitRun(Dl4jNetwork net, DataSetIterator trainData, Dl4jFit fit, Object[] callbacks) {
        this.net = net;
        this.fit = fit;
        this.trainData = Objects.requireNonNull(trainData, "training data is null; pass a DataSetIterator");
        this.validationData = fit.validationData().orElse(null);

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

        if (!fit.metrics().isEmpty() && validationData == null && !fit.trainingMetrics()) {
            throw new IllegalArgumentException("metrics " + fit.metrics() + " are computed on the validation data, "
                    + "and this fit has none; pass Dl4jFit.validationData(..), or trainingMetrics(true) to compute "
                    + "them on the training data");
        }
        if (!trainData.resetSupported()) {
            throw new IllegalArgumentException("training iterator " + trainData.getClass().getName() + " cannot be "
                    + "reset, so it cannot run more than one epoch (nor be counted for the progress bar and backups); "
                    + "pass a resettable iterator");
        }
        this.batchesPerEpoch = countBatches(trainData, "training");
        if (validationData != null) {
            countBatches(validationData, "validation");
        }
        this.metrics = fit.metrics();
        this.context = new Dl4jContext(net, fit, batchesPerEpoch);

        List<String> names = new ArrayList<>();
        names.add("loss");
        if (fit.trainingMetrics()) {
            names.addAll(metrics);
        }
        if (validationData != null) {
            names.add("val_loss");
            for (String m : metrics) {
                names.add("val_" + m);
            }
        }
        this.epochLogs = new SlotLogs(names);
        this.plan = new Plan();
        for (CallbackDispatcher d : dispatchers) {
            d.prepare(plan);
        }
        plan.preparing = false;
        this.batchLogs = new SlotLogs(epochLogs);
        this.finalLogs = new SlotLogs(epochLogs);
        this.progressLogs = new SlotLogs(epochLogs);
        this.lossSlot = epochLogs.slot("loss");
        this.valLossSlot = epochLogs.slot("val_loss");
        this.metricSlots = new int[metrics.size()];
        this.valMetricSlots = new int[metrics.size()];
        for (int k = 0; k < metrics.size(); k++) {
            metricSlots[k] = epochLogs.slot(metrics.get(k));
            valMetricSlots[k] = epochLogs.slot("val_" + metrics.get(k));
        }
        this.progbar = ProgbarLogger.create(fit.verbose(), fit.progressOutput(), fit.progressTerminal());
        this.batches = new Batches();
        this.backupConfiguration = backup == null ? null : configuration();
    }

    private static int countBatches(DataSetIterator data, String what) {
        data.reset();
        int count = 0;
        while (data.hasNext()) {
            data.next();
            count++;
        }
        data.reset();
        if (count == 0) {
            throw new IllegalArgumentException("the " + what + " iterator " + data.getClass().getName()
                    + " gives no batches; pass data");
        }
        return count;
    }

    History run() {
        // The network and every output path are this fit's alone until it ends (the runtime trainer's FitLocks, so
        // the two trainers refuse each other too), taken before anything is restored or trained.
        try (FitLocks locks = FitLocks.acquire(net.model(), net.inUseMessage(), plan.outputs)) {
            return runLocked();
        }
    }

    private History runLocked() {
        try {
            return train();
        } catch (RuntimeException | Error e) {
            try {
                checkpointWrites.drain();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private History train() {
        Position resumed = backup == null ? null : restore();
        int firstEpoch = resumed == null ? fit.initialEpoch() : resumed.epoch;
        int resumedBatches = resumed == null ? 0 : resumed.batchesDone;
        boolean ended = resumed != null && resumed.ended;
        if (completeRun) {
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
            saveBackup(firstEpoch, 0, false);
        }
        for (int epoch = firstEpoch; !ended && epoch < fit.epochs(); epoch++) {
            boolean midEpoch = epoch == firstEpoch && resumedBatches > 0;
            context.epoch(epoch);
            epochLogs.clear();
            if (has(Hooks.EPOCH_BEGIN) && !midEpoch) {
                for (CallbackDispatcher d : dispatchers) {
                    d.onEpochBegin(epoch, context);
                }
            }
            progbar.onEpochBegin(epoch, fit.epochs(), batchesPerEpoch);
            try {
                if (midEpoch) {
                    batches.resume(epoch, resumedBatches);
                } else {
                    batches.start(epoch);
                }
                if (!(midEpoch && context.isStopRequested())) { // else saved after the batch that asked to stop
                    net.fitEpoch(batches);
                }
            } finally {
                batches.finish();
            }
            epochLogs.put(lossSlot, batches.lossSum / batches.rows);
            if (fit.trainingMetrics() && !metrics.isEmpty()) {
                evaluate(trainData, metricSlots);
            }
            if (validationData != null) {
                validate();
            }
            if (!plan.predictionListeners.isEmpty()) {
                predict(epoch);
            }
            finalLogs.copyFrom(epochLogs);
            if (validationData != null && has(Hooks.VALIDATION_END)) {
                for (CallbackDispatcher d : dispatchers) {
                    d.onValidationEnd(epoch, epochLogs, context);
                }
            }
            if (has(Hooks.EPOCH_END)) {
                for (CallbackDispatcher d : dispatchers) {
                    d.onEpochEnd(epoch, epochLogs, context);
                }
            }
            history.record(epoch, epochLogs);
            progbar.onEpochEnd(epoch, batches.batch, epochLogs);
            reached = epoch + 1;
            if (backup != null && backup.saveFreq() == 0) {
                saveBackup(epoch + 1, 0, context.isStopRequested());
            }
            if (context.isStopRequested()) {
                break;
            }
        }
        drainCheckpoints();
        if (has(Hooks.TRAIN_END)) {
            for (CallbackDispatcher d : dispatchers) {
                d.onTrainEnd(finalLogs, context);
            }
        }
        if (backup != null) {
            writeBackup(reached, 0, true, true); // the completion record: a restart returns this run
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

    /** {@code val_loss} (DL4J's inference-mode score, example-weighted) and the {@code val_} metrics. */
    private void validate() {
        validationData.reset();
        double sum = 0;
        long rows = 0;
        while (validationData.hasNext()) {
            DataSet batch = validationData.next();
            int n = batch.numExamples();
            sum += net.score(batch) * n;
            rows += n;
        }
        epochLogs.put(valLossSlot, sum / rows);
        if (!metrics.isEmpty()) {
            evaluate(validationData, valMetricSlots);
        }
    }

    /** Runs DL4J's evaluators for {@link #metrics} over {@code data} and writes their values into {@code slots}. */
    private void evaluate(DataSetIterator data, int[] slots) {
        Evaluation classification = null;
        IEvaluation<?> roc = null;
        RegressionEvaluation regression = null;
        List<IEvaluation<?>> all = new ArrayList<>(3);
        for (String m : metrics) {
            switch (m) {
                case "accuracy", "precision", "recall", "f1" -> {
                    if (classification == null) {
                        classification = new Evaluation();
                        all.add(classification);
                    }
                }
                case "auc" -> {
                    if (roc == null) {
                        roc = labelColumns(data) <= 2 ? new ROC(0) : new ROCMultiClass(0);
                        all.add(roc);
                    }
                }
                case "mse", "mae" -> {
                    if (regression == null) {
                        regression = new RegressionEvaluation();
                        all.add(regression);
                    }
                }
                default -> throw new IllegalStateException("unknown metric " + m);
            }
        }
        data.reset();
        net.evaluate(data, all.toArray(new IEvaluation<?>[0]));
        for (int k = 0; k < metrics.size(); k++) {
            double value = switch (metrics.get(k)) {
                case "accuracy" -> classification.accuracy();
                case "precision" -> classification.precision();
                case "recall" -> classification.recall();
                case "f1" -> classification.f1();
                case "auc" -> roc instanceof ROC binary ? binary.calculateAUC()
                        : ((ROCMultiClass) roc).calculateAverageAUC();
                case "mse" -> regression.averageMeanSquaredError();
                case "mae" -> regression.averageMeanAbsoluteError();
                default -> throw new IllegalStateException("unknown metric " + metrics.get(k));
            };
            epochLogs.put(slots[k], value);
        }
    }

    private int labelColumns = -1;

    private int labelColumns(DataSetIterator data) {
        if (labelColumns < 0) {
            data.reset();
            labelColumns = (int) data.next().getLabels().size(1);
            data.reset();
        }
        return labelColumns;
    }

    /** The model's outputs on all training rows and validation rows, for the prediction listeners. */
    private void predict(int epoch) {
        INDArray[] train = outputs(trainData);
        INDArray[] validation = validationData == null ? new INDArray[2] : outputs(validationData);
        for (FitPlan.PredictionListener listener : plan.predictionListeners) {
            listener.onPredictions(epoch, train[0], train[1], validation[0], validation[1]);
        }
    }

    private INDArray[] outputs(DataSetIterator data) {
        List<INDArray> outputs = new ArrayList<>();
        List<INDArray> labels = new ArrayList<>();
        data.reset();
        while (data.hasNext()) {
            DataSet batch = data.next();
            outputs.add(net.output(batch.getFeatures()).detach());
            labels.add(batch.getLabels().detach());
        }
        return new INDArray[] {Nd4j.vstack(outputs), Nd4j.vstack(labels)};
    }

    private boolean has(int hook) {
        return (hooks & hook) != 0;
    }

    private void drainCheckpoints() {
        try {
            checkpointWrites.drain();
        } catch (IOException e) {
            throw new UncheckedIOException("@Checkpoint could not save: " + e.getMessage(), e);
        }
    }

    // ---- @BackupAndRestore

    private record Position(int epoch, int batchesDone, boolean ended) {}

    /** What a backup must have been written for: the network, its configuration, the data's shape, the callbacks. */
    private String configuration() {
        StringBuilder text = new StringBuilder();
        text.append("trainer: callbacks4j-dl4j\n");
        text.append("network: ").append(net.model().getClass().getName()).append('\n');
        CRC32C crc = new CRC32C();
        crc.update(net.configurationJson().getBytes(StandardCharsets.UTF_8));
        text.append("network configuration crc32c: ").append(String.format("%08x", crc.getValue())).append('\n');
        text.append("parameters: ").append(net.params().length()).append(' ').append(net.params().dataType())
                .append('\n');
        text.append("epochs: ").append(fit.epochs()).append('\n');
        text.append("training batches per epoch: ").append(batchesPerEpoch).append('\n');
        text.append("validation: ").append(validationData != null).append('\n');
        text.append("metrics: ").append(metrics).append(fit.trainingMetrics() ? " (also on training data)" : "")
                .append('\n');
        for (int i = 0; i < callbackObjects.length; i++) {
            text.append("callback ").append(i).append(": ").append(callbackObjects[i].getClass().getName())
                    .append('\n');
        }
        return text.toString();
    }

    private static String firstDifference(String saved, String ours) {
        String[] a = saved.split("\n");
        String[] b = ours.split("\n");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "(nothing)";
            String y = i < b.length ? b[i] : "(nothing)";
            if (!x.equals(y)) {
                return "it has \"" + x + "\", this fit \"" + y + "\"";
            }
        }
        return null;
    }

    private Position restore() {
        Backups.Backup saved = backup.loadNewest();
        if (saved == null) {
            return null;
        }
        String source = "backup " + saved.file().toAbsolutePath();
        String refusal = " Resume with the settings it was written with, or move or delete the folder "
                + backup.dir().toAbsolutePath() + " to start a new run.";
        String difference = firstDifference(saved.configuration(), backupConfiguration);
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
        StateReader in = new StateReader(saved.trainerState(), source + " trainer state");
        Position position = new Position(in.readInt("epoch"), in.readInt("batchesDone"), in.readBoolean("ended"));
        double[] params = in.readDoubles("params");
        double[] updater = in.readDoubles("updaterState");
        int iterationCount = in.readInt("iterationCount");
        int epochCount = in.readInt("epochCount");
        double learningRate = in.readDouble("learningRate");
        double lossSum = in.readDouble("lossSum");
        long rows = in.readLong("rows");
        long randomRoot = in.readLong("randomRoot");
        long randomNode = in.readLong("randomNode");
        String stoppedBy = in.readString("stoppedBy");
        int stopEpoch = in.readInt("stopEpoch");
        List<String> finalNames = in.readStrings("finalLogs.names");
        double[] finalValues = in.readDoubles("finalLogs.values");
        HistoryRecorder savedHistory = new HistoryRecorder();
        in.readSection("history", savedHistory);
        in.finish();
        INDArray updaterView = net.updaterState();
        String damage = null;
        if (params == null || params.length != net.params().length()) {
            damage = "params";
        } else if ((updater == null) != (updaterView == null)
                || (updater != null && updater.length != updaterView.length())) {
            damage = "updaterState";
        } else if (position.epoch < 0 || position.batchesDone < 0 || position.batchesDone > batchesPerEpoch) {
            damage = "position";
        } else if (finalNames == null || finalValues == null || finalNames.size() != finalValues.length) {
            damage = "finalLogs";
        }
        if (damage != null) {
            throw new IllegalStateException("@BackupAndRestore: " + source + ": the trainer state's \"" + damage
                    + "\" does not fit this network and data." + refusal);
        }
        try {
            restoreCallbacks(new StateReader(saved.callbackState(), source + " callbacks state"));
        } catch (RuntimeException e) {
            try {
                restoreCallbacks(new StateReader(current, "the callbacks' state before resuming"));
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        INDArray live = net.params();
        net.setParams(Nd4j.createFromArray(params).castTo(live.dataType()));
        if (updaterView != null) {
            net.setUpdaterState(Nd4j.createFromArray(updater).castTo(updaterView.dataType()));
        }
        net.setIterationCount(iterationCount);
        net.setEpochCount(epochCount);
        if (!(Double.isNaN(learningRate) || learningRate == net.learningRate())) {
            net.setLearningRate(learningRate); // changed by a schedule or a plateau since the start
        }
        Nd4j.getRandom().setStates(randomRoot, randomNode);
        batches.lossSum = lossSum;
        batches.rows = rows;
        context.restoreStop(stoppedBy, stopEpoch);
        finalLogs.clear();
        for (int i = 0; i < finalNames.size(); i++) {
            finalLogs.put(finalNames.get(i), finalValues[i]);
        }
        history = savedHistory;
        resuming = true;
        completeRun = saved.complete();
        if (completeRun) {
            log.info("@BackupAndRestore: the run backed up in {} is complete ({}): returning its History and "
                    + "parameters without training. To train again, delete the folder or back up to another one",
                    backup.dir().toAbsolutePath(), saved.file().getFileName());
        } else {
            log.info("@BackupAndRestore: resuming from {}", saved);
        }
        return position;
    }

    /** Writes a backup: {@code batchesDone} batches of {@code epoch} done ({@code ended}: no epoch left to run). */
    private void saveBackup(int epoch, int batchesDone, boolean ended) {
        writeBackup(epoch, batchesDone, ended, false);
    }

    /** As {@link #saveBackup}; {@code complete}: the completion record of a run that ended normally. */
    private void writeBackup(int epoch, int batchesDone, boolean ended, boolean complete) {
        drainCheckpoints();
        INDArray updater = net.updaterState();
        List<String> finalNames = new ArrayList<>();
        List<Double> finalValues = new ArrayList<>();
        for (int slot = 0; slot < finalLogs.slotCount(); slot++) {
            if (finalLogs.has(slot)) {
                finalNames.add(finalLogs.name(slot));
                finalValues.add(finalLogs.get(slot));
            }
        }
        StateWriter out = new StateWriter();
        out.putInt("epoch", epoch).putInt("batchesDone", batchesDone).putBoolean("ended", ended)
                .putDoubles("params", net.params().toDoubleVector())
                .putDoubles("updaterState", updater == null ? null : updater.toDoubleVector())
                .putInt("iterationCount", net.iterationCount())
                .putInt("epochCount", net.epochCount())
                .putDouble("learningRate", net.learningRate())
                .putDouble("lossSum", batchesDone > 0 ? batches.lossSum : 0)
                .putLong("rows", batchesDone > 0 ? batches.rows : 0)
                .putLong("randomRoot", Nd4j.getRandom().rootState())
                .putLong("randomNode", Nd4j.getRandom().nodeState())
                .putString("stoppedBy", context.isStopRequested() ? context.stoppedBy() : null)
                .putInt("stopEpoch", context.stopEpoch())
                .putStrings("finalLogs.names", finalNames)
                .putDoubles("finalLogs.values", finalValues.stream().mapToDouble(Double::doubleValue).toArray());
        out.putSection("history", history);
        if (complete) {
            backup.complete(epoch, backupConfiguration, out.toByteArray(), callbackState());
        } else {
            backup.save(epoch, batchesDone, backupConfiguration, out.toByteArray(), callbackState());
        }
    }

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
     * The iterator DL4J's {@code fit} runs an epoch over: the user's batches, with the hooks around each. DL4J calls
     * {@code hasNext()} before each batch and once more after the last, each time after the previous step is
     * complete, and {@code next()} right before the step: so the batch-end work runs in {@code hasNext()}, the
     * batch-begin hooks in {@code next()}. Never asynchronous (DL4J would prefetch, calling {@code next()} ahead of
     * the step on another thread), never reset by DL4J (the fit resets the user's iterator itself).
     */
    private final class Batches implements DataSetIterator {

        private static final long serialVersionUID = 1L;

        int epoch;
        /** The number of batches of this epoch started so far. */
        int batch;
        /** Rows and summed (row-weighted) loss of the epoch's finished batches. */
        long rows;
        double lossSum;
        private int lastRows;
        private boolean pendingEnd;
        private boolean stopped;

        private final boolean batchBegin = has(Hooks.BATCH_BEGIN);
        private final boolean batchEnd = has(Hooks.BATCH_END);
        private final boolean batchValues = batchEnd && has(Hooks.BATCH_LOGS);

        /** The user's iterator, or DL4J's prefetching wrapper around it when it supports that (as DL4J's fit). */
        private DataSetIterator source;

        void start(int epoch) {
            this.epoch = epoch;
            batch = 0;
            rows = 0;
            lossSum = 0;
            begin();
        }

        /** Continues {@code epoch} after {@code batchesDone} batches (rows and loss were restored). */
        void resume(int epoch, int batchesDone) {
            this.epoch = epoch;
            batch = batchesDone;
            begin();
            for (int b = 0; b < batchesDone; b++) {
                if (!source.hasNext()) {
                    throw new IllegalStateException("@BackupAndRestore: the training iterator gives fewer than the "
                            + batchesDone + " batches the backup had done in epoch " + (epoch + 1) + "; resume with "
                            + "the same data");
                }
                source.next();
            }
        }

        private void begin() {
            pendingEnd = false;
            stopped = false;
            trainData.reset();
            // DL4J's fit prefetches on a thread when the iterator allows it; it cannot here (the hooks must run on
            // the training thread, in order), so the prefetching happens below this iterator, as DL4J sets it up.
            source = trainData.asyncSupported() ? new AsyncDataSetIterator(trainData, 2, true) : trainData;
            if (batchValues) {
                batchLogs.clear();
                if (rows > 0) {
                    batchLogs.put(lossSlot, lossSum / rows);
                }
            }
        }

        /** After the epoch (or its failure): stops the prefetching thread, if any. */
        void finish() {
            if (source instanceof AsyncDataSetIterator async) {
                async.shutdown();
            }
            source = null;
        }

        @Override
        public boolean hasNext() {
            if (pendingEnd) {
                pendingEnd = false;
                endBatch();
            }
            return !stopped && source.hasNext();
        }

        @Override
        public DataSet next() {
            if (batchBegin) {
                if (soleDispatcher != null) {
                    soleDispatcher.onBatchBegin(epoch, batch, context);
                } else {
                    for (CallbackDispatcher d : dispatchers) {
                        d.onBatchBegin(epoch, batch, context);
                    }
                }
            }
            DataSet next = source.next();
            lastRows = next.numExamples();
            pendingEnd = true;
            return next;
        }

        /** The end of batch {@code batch}: DL4J's step is complete. */
        private void endBatch() {
            int b = batch++;
            rows += lastRows;
            lossSum += net.score() * lastRows;
            if (progbar.redrawDue()) {
                progressLogs.put(lossSlot, lossSum / rows);
                progbar.update(b + 1, progressLogs);
            }
            if (batchEnd) {
                if (batchValues) {
                    batchLogs.put(lossSlot, lossSum / rows);
                }
                if (soleDispatcher != null) {
                    soleDispatcher.onBatchEnd(epoch, b, batchLogs, context);
                } else {
                    for (CallbackDispatcher d : dispatchers) {
                        d.onBatchEnd(epoch, b, batchLogs, context);
                    }
                }
            }
            if (backup != null && backup.saveFreq() > 0 && ++batchesSinceBackup == backup.saveFreq()) {
                batchesSinceBackup = 0;
                saveBackup(epoch, b + 1, false);
            }
            if (context.isStopRequested()) {
                stopped = true;
            }
        }

        @Override
        public DataSet next(int num) {
            throw new UnsupportedOperationException("next(int)");
        }

        @Override
        public int inputColumns() {
            return trainData.inputColumns();
        }

        @Override
        public int totalOutcomes() {
            return trainData.totalOutcomes();
        }

        @Override
        public boolean resetSupported() {
            return false;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("the fit resets the training iterator itself");
        }

        @Override
        public int batch() {
            return trainData.batch();
        }

        @Override
        public void setPreProcessor(DataSetPreProcessor preProcessor) {
            trainData.setPreProcessor(preProcessor);
        }

        @Override
        public DataSetPreProcessor getPreProcessor() {
            return trainData.getPreProcessor();
        }

        @Override
        public List<String> getLabels() {
            return trainData.getLabels();
        }
    }

    /** The {@link FitPlan} of this fit. */
    private final class Plan implements FitPlan {

        boolean preparing = true;
        final List<Supplier<History.EarlyStoppingOutcome>> outcomes = new ArrayList<>();
        final List<PredictionListener> predictionListeners = new ArrayList<>();
        /** The paths this fit writes, with their role in messages, locked for the whole fit. */
        final Map<Path, String> outputs = new LinkedHashMap<>();

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
            return validationData != null;
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

        /**
         * The network's saved form (DL4J's model zip, or SameDiff's FlatBuffers for a graph; see
         * {@link Dl4jNetwork#write}): configuration, parameters and, unless {@code weightsOnly}, the
         * updater state), serialized now on the training thread and written atomically on the writer thread.
         */
        @Override
        public void saveCheckpoint(Path file, boolean weightsOnly, int epoch, int batch, Logs logs)
                throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            net.write(bytes, !weightsOnly);
            byte[] zip = bytes.toByteArray();
            checkpointWrites.submit("checkpoint " + file.toAbsolutePath() + " (epoch " + (epoch + 1) + ")",
                    () -> AtomicFiles.write(file, zip));
        }

        @Override
        public long iterations() {
            return net.iterationCount();
        }

        @Override
        public void backupAndRestore(Path dir, int saveFreq, boolean deleteBackup) {
            checkPreparing("backupAndRestore");
            Objects.requireNonNull(dir, "dir");
            if (backup != null) {
                throw new IllegalStateException("two @BackupAndRestore in one fit (folders " + backup.dir() + " and "
                        + dir + "); keep one: it backs up the whole training");
            }
            backup = new BackupRun(dir, saveFreq, deleteBackup);
            outputs.put(dir.toAbsolutePath().normalize(), "@BackupAndRestore folder");
        }

        @Override
        public void ownOutput(Path path, String what) {
            checkPreparing("ownOutput");
            outputs.putIfAbsent(Objects.requireNonNull(path, "path").toAbsolutePath().normalize(),
                    Objects.requireNonNull(what, "what"));
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
}
