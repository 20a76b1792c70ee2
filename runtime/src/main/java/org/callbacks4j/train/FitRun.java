package org.callbacks4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
import org.callbacks4j.model.Sequential;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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

    private final Trainer trainer;
    private final Sequential model;
    private final Fit fit;
    private final Network net;
    private final int metricCount;
    private final CallbackDispatcher[] dispatchers;
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
    private final History.Recorder history = History.recorder();

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
        context.resetStop();
        if (has(Hooks.TRAIN_BEGIN)) {
            for (CallbackDispatcher d : dispatchers) {
                d.onTrainBegin(context);
            }
        }
        for (int epoch = fit.initialEpoch(); epoch < fit.epochs(); epoch++) {
            long start = System.nanoTime();
            context.epoch(epoch);
            epochLogs.clear();
            if (has(Hooks.EPOCH_BEGIN)) {
                for (CallbackDispatcher d : dispatchers) {
                    d.onEpochBegin(epoch, context);
                }
            }
            if (order != null) {
                shuffle(epoch);
            }
            int rowsRun = trainEpoch(epoch);
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
            if (fit.verbose() > 0) {
                System.out.println(progressLine(epoch, rowsRun, System.nanoTime() - start));
            }
            if (context.isStopRequested()) {
                break;
            }
        }
        if (has(Hooks.TRAIN_END)) {
            for (CallbackDispatcher d : dispatchers) {
                d.onTrainEnd(finalLogs, context);
            }
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

    /** The batch loop of one epoch; returns the number of training rows it ran (fewer if a hook stopped it). */
    private int trainEpoch(int epoch) {
        boolean batchBegin = has(Hooks.BATCH_BEGIN);
        boolean batchEnd = has(Hooks.BATCH_END);
        boolean batchValues = batchEnd && has(Hooks.BATCH_LOGS);
        double runningLoss = 0;
        if (batchValues) {
            batchLogs.clear();
            java.util.Arrays.fill(runningMetrics, 0);
        }
        int rowsRun = 0;
        for (int b = 0; b < train.count; b++) {
            if (batchBegin) {
                for (CallbackDispatcher d : dispatchers) {
                    d.onBatchBegin(epoch, b, context);
                }
            }
            net.trainStep(train.frames[b], train.x[b], train.y[b], train.loss[b], train.metrics[b], optimizer, epoch);
            rowsRun += train.frames[b].rows;
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
                for (CallbackDispatcher d : dispatchers) {
                    d.onBatchEnd(epoch, b, batchLogs, context);
                }
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

    private String progressLine(int epoch, int rowsRun, long nanos) {
        StringBuilder sb = new StringBuilder();
        sb.append("Epoch ").append(epoch + 1).append('/').append(fit.epochs());
        sb.append(" - ").append(rowsRun).append(" rows - ").append(formatDuration(nanos));
        for (String name : epochLogs.names()) {
            sb.append(" - ").append(name).append(": ").append(formatValue(epochLogs.get(name)));
        }
        return sb.toString();
    }

    private static String formatDuration(long nanos) {
        double ms = nanos / 1e6;
        return ms < 1000 ? String.format(Locale.ROOT, "%.0fms", ms) : String.format(Locale.ROOT, "%.1fs", ms / 1000);
    }

    /** Keras's progress bar format: 4 decimals, or scientific notation for tiny values. */
    static String formatValue(double v) {
        return Math.abs(v) >= 1e-3 || v == 0 || !Double.isFinite(v)
                ? String.format(Locale.ROOT, "%.4f", v)
                : String.format(Locale.ROOT, "%.4e", v);
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
            Checkpoints.save(file, new SavedTraining(Checkpoints.FORMAT_VERSION, model,
                    state == null ? null : new SavedTraining.OptimizerSnapshot(state.optimizer(),
                            trainer.optimizer().toString(), state.flat(), state.iterations(), state.learningRate()),
                    epoch, batch, logs.toMap(), trainer.loss().name(), trainer.metrics()));
        }

        @Override
        public long iterations() {
            return optimizer.iterations();
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
