package org.callbacks4j.spark;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import org.callbacks4j.History;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.Dispatchers;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.internal.io.NativeFloats;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.internal.progress.ProgbarLogger;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;
import org.callbacks4j.internal.state.Stateful;
import org.callbacks4j.train.BackupFolder;
import org.callbacks4j.internal.train.Backups;
import org.callbacks4j.train.Checkpoints;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.OptimizerState;
import org.callbacks4j.train.SavedTraining;
import org.callbacks4j.train.ShardTrainer;
import org.callbacks4j.internal.train.HistoryRecorder;
import org.callbacks4j.internal.train.SlotLogs;
import org.callbacks4j.train.Trainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Spark fit, on the driver: the Keras 3 loop of {@code Trainer.fit} with each batch step replaced by a
 * synchronisation round (every partition runs {@code syncEvery} local steps from the broadcast parameters and optimizer
 * state; the driver averages them, weighted by rows, in a fixed order: {@link RoundSum}). The callbacks run here,
 * once, with the global values.
 */
final class SparkFitRun {

    private static final Logger log = LoggerFactory.getLogger(SparkFitRun.class);

    private final Trainer trainer;
    private final Sequential model;
    private final Fit fit;
    private final int syncEvery;
    /** log2 of the partitions summed together on executors before the driver, 0: none (see {@link #runRound}). */
    private final int groupBits;
    private final Recipe recipe;
    private final JavaSparkContext sc;
    private final OptimizerState optimizer;
    private final CallbackDispatcher[] dispatchers;
    private final int hooks;
    private final SparkContextView context;

    private final JavaRDD<Shard> trainShards;
    private final int partitions;
    private final int trainRows;
    private final int rounds;
    private final JavaRDD<Shard> validationShards;
    private final int validationRows;

    private final int metricCount;
    private final SlotLogs epochLogs;
    private final SlotLogs batchLogs;
    private final SlotLogs finalLogs;
    private final SlotLogs progressLogs;
    private final int lossSlot;
    private final int[] metricSlots;
    private final int valLossSlot;
    private final int[] valMetricSlots;
    private final INDArray lossVector;
    private final INDArray[] metricVectors;
    private final INDArray valLossVector;
    private final INDArray[] valMetricVectors;
    private final ProgbarLogger progbar;
    private final Plan plan;
    private HistoryRecorder history = new HistoryRecorder();
    /** The backup restored is a completion record: the run ended normally before. */
    private boolean completeRun;
    private double runningLoss;
    private double[] runningMetrics;

    // @BackupAndRestore: the objects given to fit (their state is saved), the folder (null without one).
    private final Object[] callbackObjects;
    private BackupFolder backup;
    private String backupConfiguration;
    private boolean resuming;
    private int roundsSinceBackup;
    /** Rows and a checksum of each partition's examples, in the backup configuration: a resume needs the same. */
    private final List<String> partitionDigests = new ArrayList<>();

    SparkFitRun(Trainer trainer, Sequential model, JavaRDD<Example> data, JavaRDD<Example> validation, Fit fit,
            int syncEvery, Object[] callbacks) {
        this.trainer = trainer;
        this.model = model;
        this.fit = fit;
        this.syncEvery = syncEvery;
        this.sc = JavaSparkContext.fromSparkContext(data.context());

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

        if (fit.validationSplit().isPresent()) {
            throw new IllegalArgumentException("validationSplit(" + fit.validationSplit().getAsDouble() + ") has no "
                    + "row order to split on in a Spark data set; pass the validation rows as their own RDD "
                    + "(SparkTrainer.fit(model, train, validation, fit, ..); JavaRDD.randomSplit makes one) or "
                    + "Fit.validationData(..)");
        }
        new ShardTrainer(trainer, model); // checks the model against the loss before any Spark work
        this.recipe = new Recipe(UUID.randomUUID().toString(), model, trainer, fit, syncEvery);
        this.metricCount = trainer.metrics().size();
        this.optimizer = trainer.optimizerState(model);

        this.trainShards = shards(data, "training");
        this.partitions = trainShards.getNumPartitions();
        this.groupBits = groupBits(partitions);
        int[] rows = rowsPerPartition(trainShards, "training");
        int total = 0;
        int maxBatches = 0;
        for (int r : rows) {
            total += r;
            maxBatches = Math.max(maxBatches, recipe.batches(r));
        }
        if (total == 0) {
            release();
            throw new IllegalArgumentException("training data has no rows; pass at least one example");
        }
        this.trainRows = total;
        this.rounds = (maxBatches + syncEvery - 1) / syncEvery;

        JavaRDD<Example> validationSource = validation;
        if (validationSource == null && fit.validationData().isPresent()) {
            // A Dataset: SparkTrainer.fit refuses other sources.
            validationSource = SparkData.parallelize(sc, (Dataset) fit.validationData().get(), partitions);
        }
        if (validationSource != null) {
            this.validationShards = shards(validationSource, "validation");
            int valTotal = 0;
            for (int r : rowsPerPartition(validationShards, "validation")) {
                valTotal += r;
            }
            if (valTotal == 0) {
                release();
                throw new IllegalArgumentException("validation data has no rows; pass at least one example or no "
                        + "validation data");
            }
            this.validationRows = valTotal;
        } else {
            this.validationShards = null;
            this.validationRows = 0;
        }
        this.context = new SparkContextView(model, optimizer, fit, rounds);

        List<String> names = new ArrayList<>();
        names.add("loss");
        names.addAll(trainer.metrics());
        if (validationShards != null) {
            names.add("val_loss");
            for (String m : trainer.metrics()) {
                names.add("val_" + m);
            }
        }
        this.epochLogs = new SlotLogs(names);
        this.plan = new Plan();
        try {
            for (CallbackDispatcher d : dispatchers) {
                d.prepare(plan);
            }
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        plan.preparing = false;
        this.backupConfiguration = backup == null ? null : configuration();
        this.runningMetrics = new double[metricCount];
        this.batchLogs = new SlotLogs(epochLogs);
        this.finalLogs = new SlotLogs(epochLogs);
        this.progressLogs = new SlotLogs(epochLogs);
        this.lossSlot = epochLogs.slot("loss");
        this.metricSlots = new int[metricCount];
        this.valMetricSlots = new int[metricCount];
        for (int k = 0; k < metricCount; k++) {
            metricSlots[k] = epochLogs.slot(trainer.metrics().get(k));
            valMetricSlots[k] = epochLogs.slot("val_" + trainer.metrics().get(k));
        }
        this.valLossSlot = epochLogs.slot("val_loss");
        this.lossVector = Nd4j.create(DataType.FLOAT, trainRows, 1);
        this.metricVectors = vectors(trainRows);
        this.valLossVector = validationRows == 0 ? null : Nd4j.create(DataType.FLOAT, validationRows, 1);
        this.valMetricVectors = validationRows == 0 ? null : vectors(validationRows);
        this.progbar = ProgbarLogger.create(fit.verbose(), fit.progressOutput(), fit.progressTerminal());
    }

    private INDArray[] vectors(int rows) {
        INDArray[] out = new INDArray[metricCount];
        for (int k = 0; k < metricCount; k++) {
            out[k] = Nd4j.create(DataType.FLOAT, rows, 1);
        }
        return out;
    }

    /**
     * The examples of each partition as one cached {@link Shard}, behind a shuffle that keeps every shard in the
     * partition it came from. The shuffle (one pass over the data per fit) cuts the tasks' ties to the source's
     * partitions: an RDD made by {@code sc.parallelize} carries its rows in its partition objects, which Spark would
     * otherwise serialize into every task of every round (megabytes per task, where the round needs bytes). A lost
     * shard is rebuilt from the shuffle files, or from the source if those are lost too.
     */
    private JavaRDD<Shard> shards(JavaRDD<Example> data, String what) {
        int fw = model.inputWidth();
        int lw = model.outputWidth();
        int count = data.getNumPartitions();
        JavaRDD<Tuple2<Integer, Shard>> built = data.mapPartitionsWithIndex(
                (p, it) -> List.of(new Tuple2<>(p, Shard.of(p, it, fw, lw))).iterator(), true);
        // An Integer's hash is itself: partition p's shard lands in partition p, the only block that partition reads.
        return JavaPairRDD.fromJavaRDD(built).partitionBy(new HashPartitioner(count)).values()
                .setName("callbacks4j " + what + " shards")
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    /**
     * Caches the shards (one job) and checks every partition as {@code Trainer.fit} checks its data; returns the rows
     * per partition.
     *
     * @throws IllegalArgumentException naming the partition, the row and the fix
     */
    private int[] rowsPerPartition(JavaRDD<Shard> shards, String what) {
        Recipe r = recipe;
        List<String> reports = shards.mapPartitionsWithIndex((p, it) -> {
            Shard s = it.next();
            String problem = s.problem;
            if (problem == null && s.rows > 0) {
                try {
                    new ShardTrainer(r.trainer(), r.model()).checkData(what + " partition " + p, Dataset.of(
                            Nd4j.createFromArray(s.x).reshape(s.rows, s.featureWidth),
                            Nd4j.createFromArray(s.y).reshape(s.rows, s.labelWidth)));
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                }
            }
            if (problem != null) {
                return List.of("!" + problem).iterator();
            }
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * (s.x.length + s.y.length));
            bytes.asFloatBuffer().put(s.x).put(s.y);
            crc.update(bytes.array());
            return List.of(s.rows + ":" + String.format("%08x", crc.getValue())).iterator();
        }, true).collect();
        int[] rows = new int[reports.size()];
        for (int p = 0; p < rows.length; p++) {
            String report = reports.get(p);
            if (report.startsWith("!")) {
                release();
                throw new IllegalArgumentException(what + " data: " + report.substring(1));
            }
            rows[p] = Integer.parseInt(report.substring(0, report.indexOf(':')));
            partitionDigests.add(what + " partition " + p + ": " + report.replace(":", " rows, crc32c "));
        }
        return rows;
    }

    History run() {
        try {
            return train();
        } finally {
            release();
        }
    }

    private void release() {
        if (trainShards != null) {
            trainShards.unpersist(false);
        }
        if (validationShards != null) {
            validationShards.unpersist(false);
        }
        ShardWorker.forget(recipe.fitId);
    }

    private History train() {
        // A backup puts everything back before any hook runs; the loop then continues where it was saved.
        int[] resumed = backup == null ? null : restore();
        int firstEpoch = resumed == null ? fit.initialEpoch() : resumed[0];
        int resumedRounds = resumed == null ? 0 : resumed[1];
        boolean ended = resumed != null && resumed[3] != 0;
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
            saveBackup(firstEpoch, 0, 0, false);
        }
        for (int epoch = firstEpoch; !ended && epoch < fit.epochs(); epoch++) {
            boolean midEpoch = epoch == firstEpoch && resumedRounds > 0;
            context.epoch(epoch);
            epochLogs.clear();
            if (has(Hooks.EPOCH_BEGIN) && !midEpoch) {
                for (CallbackDispatcher d : dispatchers) {
                    d.onEpochBegin(epoch, context);
                }
            }
            progbar.onEpochBegin(epoch, fit.epochs(), rounds);
            int[] done = trainEpoch(epoch, midEpoch ? resumedRounds : 0, midEpoch ? resumed[2] : 0);
            int rowsRun = done[0];
            putMeans(epochLogs, lossVector, metricVectors, lossSlot, metricSlots, rowsRun, trainRows);
            if (validationShards != null) {
                validate(epoch);
                putMeans(epochLogs, valLossVector, valMetricVectors, valLossSlot, valMetricSlots, validationRows,
                        validationRows);
            }
            finalLogs.copyFrom(epochLogs);
            if (validationShards != null && has(Hooks.VALIDATION_END)) {
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
            progbar.onEpochEnd(epoch, done[1], epochLogs);
            reached = epoch + 1;
            if (backup != null && backup.saveFreq() == 0) {
                saveBackup(epoch + 1, 0, 0, context.isStopRequested());
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
        if (backup != null) {
            writeBackup(reached, 0, 0, true, true); // the completion record: a restart returns this run
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

    /** The rounds of one epoch; returns the training rows and the rounds run. */
    private int[] trainEpoch(int epoch, int firstRound, int rowsBefore) {
        boolean batchBegin = has(Hooks.BATCH_BEGIN);
        boolean batchEnd = has(Hooks.BATCH_END);
        boolean batchValues = batchEnd && has(Hooks.BATCH_LOGS);
        if (batchValues) {
            batchLogs.clear();
        }
        if (firstRound == 0) {
            runningLoss = 0;
            Arrays.fill(runningMetrics, 0);
        } else if (context.isStopRequested()) {
            return new int[] {rowsBefore, firstRound}; // the backup was taken after the round that asked to stop
        }
        int rowsRun = rowsBefore;
        int roundsRun = firstRound;
        FloatBuffer lossOut = NativeFloats.view(lossVector);
        FloatBuffer[] metricOut = new FloatBuffer[metricCount];
        for (int k = 0; k < metricCount; k++) {
            metricOut[k] = NativeFloats.view(metricVectors[k]);
        }
        for (int r = firstRound; r < rounds; r++) {
            if (batchBegin) {
                for (CallbackDispatcher d : dispatchers) {
                    d.onBatchBegin(epoch, r, context);
                }
            }
            RoundSum sum = runRound(epoch, r);
            float[] params = sum.params();
            if (params != null) {
                model.setParams(Nd4j.createFromArray(params));
                optimizer.restore(Floats.array(sum.state()), optimizer.iterations() + sum.maxSteps());
            }
            for (Part p : sum.parts()) {
                lossOut.put(rowsRun, p.loss);
                for (int k = 0; k < metricCount; k++) {
                    metricOut[k].put(rowsRun, p.metrics[k]);
                }
                if (batchValues) {
                    for (float v : p.loss) {
                        runningLoss += v;
                    }
                    for (int k = 0; k < metricCount; k++) {
                        for (float v : p.metrics[k]) {
                            runningMetrics[k] += v;
                        }
                    }
                }
                rowsRun += p.rows;
            }
            roundsRun++;
            if (progbar.redrawDue()) {
                putMeans(progressLogs, lossVector, metricVectors, lossSlot, metricSlots, rowsRun, trainRows);
                progbar.update(r + 1, progressLogs);
            }
            if (batchEnd) {
                if (batchValues) {
                    batchLogs.put(lossSlot, runningLoss / rowsRun);
                    for (int k = 0; k < metricCount; k++) {
                        batchLogs.put(metricSlots[k], runningMetrics[k] / rowsRun);
                    }
                }
                for (CallbackDispatcher d : dispatchers) {
                    d.onBatchEnd(epoch, r, batchLogs, context);
                }
            }
            if (backup != null && backup.saveFreq() > 0 && ++roundsSinceBackup == backup.saveFreq()) {
                roundsSinceBackup = 0;
                saveBackup(epoch, r + 1, rowsRun, false);
            }
            if (context.isStopRequested()) {
                break;
            }
        }
        return new int[] {rowsRun, roundsRun};
    }

    /** One synchronisation round: broadcast, local steps on every partition, the row-weighted average. */
    private RoundSum runRound(int epoch, int round) {
        Round input = new Round(epoch, round, model.params().toFloatVector(), Floats.of(optimizer.flat()),
                optimizer.iterations(), optimizer.learningRate());
        Broadcast<Round> broadcast = sc.broadcast(input);
        try {
            Recipe r = recipe;
            int count = partitions;
            JavaRDD<Part> parts = trainShards
                    .mapPartitionsWithIndex((p, it) -> ShardWorker.train(r, broadcast.value(), p, it), true);
            RoundSum sum;
            if (groupBits == 0) {
                // Few partitions: each sends its floats to the driver (aggregate: treeAggregate of depth 1).
                sum = parts.treeAggregate(new RoundSum(count), RoundSum::add, RoundSum::merge, 1);
            } else {
                // Many: aligned groups of 2^groupBits partitions (whole subtrees of RoundSum's fixed tree) are summed
                // on executors first, so the driver receives one partial sum per group.
                int bits = groupBits;
                sum = parts.mapToPair(p -> new Tuple2<>(p.partition >> bits, p))
                        .aggregateByKey(new RoundSum(count), ((count - 1) >> bits) + 1, RoundSum::add,
                                RoundSum::merge)
                        .values()
                        .treeAggregate(new RoundSum(count), RoundSum::merge, RoundSum::merge, 1);
            }
            return sum;
        } finally {
            broadcast.destroy(false);
        }
    }

    /**
     * Up to 8 partitions, none (the driver receives every partition's parameters and state); beyond, groups of about
     * the square root of the partition count, rounded to a power of two so that each group is a subtree of the sum's
     * fixed tree: the driver then receives about sqrt(partitions) partial sums, at the cost of one shuffle per round.
     */
    static int groupBits(int partitions) {
        if (partitions <= 8) {
            return 0;
        }
        int bits = 0;
        while ((1L << (2 * (bits + 1))) <= partitions) {
            bits++;
        }
        return bits;
    }

    /** The validation pass, distributed: per-example values into the validation vectors, in partition order. */
    private void validate(int epoch) {
        Round input = new Round(epoch, -1, model.params().toFloatVector(), new float[0], 0, 0);
        Broadcast<Round> broadcast = sc.broadcast(input);
        try {
            Recipe r = recipe;
            List<Part> parts = validationShards
                    .mapPartitionsWithIndex((p, it) -> ShardWorker.evaluate(r, broadcast.value(), p, it), true)
                    .collect();
            FloatBuffer lossOut = NativeFloats.view(valLossVector);
            int at = 0;
            for (Part p : parts) {
                lossOut.put(at, p.loss);
                for (int k = 0; k < metricCount; k++) {
                    NativeFloats.view(valMetricVectors[k]).put(at, p.metrics[k]);
                }
                at += p.rows;
            }
        } finally {
            broadcast.destroy(false);
        }
    }

    /** Example-weighted means over the first {@code rowsRun} rows, summed by ND4J as {@code Trainer.fit} sums. */
    private static void putMeans(SlotLogs logs, INDArray loss, INDArray[] metrics, int lossSlot, int[] metricSlots,
            int rowsRun, int rows) {
        logs.put(lossSlot, sum(loss, rowsRun, rows) / rowsRun);
        for (int k = 0; k < metricSlots.length; k++) {
            logs.put(metricSlots[k], sum(metrics[k], rowsRun, rows) / rowsRun);
        }
    }

    private static double sum(INDArray vector, int rowsRun, int rows) {
        INDArray part = rowsRun == rows ? vector : vector.get(NDArrayIndex.interval(0, rowsRun), NDArrayIndex.all());
        return part.sumNumber().doubleValue();
    }

    private boolean has(int hook) {
        return (hooks & hook) != 0;
    }

    int partitions() {
        return partitions;
    }

    int rounds() {
        return rounds;
    }

    /**
     * The text of the backup's {@code configuration.txt}: everything the training's bits depend on (model, trainer,
     * batching, seed, the partitioning and a checksum of every partition's rows, the callbacks and their settings).
     * A resume with other text is refused, naming the first line that differs.
     */
    private String configuration() {
        StringBuilder text = new StringBuilder(512);
        text.append("callbacks4j spark backup configuration 1\n");
        text.append("model: ").append(model.layers()).append('\n');
        text.append("trainer: loss ").append(trainer.loss().name()).append("; optimizer ").append(trainer.optimizer())
                .append("; metrics ").append(trainer.metrics()).append('\n');
        text.append("fit: batchSize ").append(fit.batchSize()).append("; shuffle ").append(fit.shuffle())
                .append("; seed ").append(fit.seed()).append('\n');
        text.append("spark: partitions ").append(partitions).append("; syncEvery ").append(syncEvery).append('\n');
        for (String digest : partitionDigests) {
            text.append(digest).append('\n');
        }
        for (int i = 0; i < callbackObjects.length; i++) {
            text.append("callback ").append(i).append(": ").append(callbackObjects[i].getClass().getName())
                    .append('\n');
            if (dispatchers[i] instanceof Stateful st) {
                for (String line : st.stateConfiguration().split("\n")) {
                    text.append("  ").append(line).append('\n');
                }
            }
        }
        return text.toString();
    }

    /**
     * Writes a backup: {@code roundsDone} rounds of {@code epoch} done, holding {@code rowsRun} rows ({@code ended}:
     * no epoch is left), the driver's model, optimizer state, epoch-to-date values and history, and every callback's
     * state. The executors hold nothing that is not derived from these, the data and the seeds.
     */
    private void saveBackup(int epoch, int roundsDone, int rowsRun, boolean ended) {
        writeBackup(epoch, roundsDone, rowsRun, ended, false);
    }

    /** As {@link #saveBackup}; {@code complete}: the completion record of a run that ended normally. */
    private void writeBackup(int epoch, int roundsDone, int rowsRun, boolean ended, boolean complete) {
        boolean midEpoch = roundsDone > 0;
        StateWriter out = new StateWriter();
        out.putInt("epoch", epoch).putInt("roundsDone", roundsDone).putInt("rowsRun", rowsRun)
                .putBoolean("ended", ended)
                .putFloats("params", model.params())
                .putString("optimizer", optimizer.optimizer())
                .putFloats("optimizerState", optimizer.flat())
                .putLong("iterations", optimizer.iterations())
                .putDouble("learningRate", optimizer.learningRate())
                .putFloats("epochLoss", midEpoch ? firstRows(lossVector, rowsRun) : null);
        for (int k = 0; k < metricCount; k++) {
            out.putFloats("epochMetric" + k, midEpoch ? firstRows(metricVectors[k], rowsRun) : null);
        }
        out.putDouble("runningLoss", runningLoss)
                .putDoubles("runningMetrics", runningMetrics)
                .putString("stoppedBy", context.isStopRequested() ? context.stoppedBy() : null)
                .putInt("stopEpoch", context.stopEpoch());
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int slot = 0; slot < finalLogs.slotCount(); slot++) {
            if (finalLogs.has(slot)) {
                names.add(finalLogs.name(slot));
                values.add(finalLogs.get(slot));
            }
        }
        out.putStrings("finalLogs.names", names)
                .putDoubles("finalLogs.values", values.stream().mapToDouble(Double::doubleValue).toArray());
        out.putSection("history", history);
        if (complete) {
            backup.complete(epoch, backupConfiguration, out.toByteArray(), callbackState());
        } else {
            backup.save(epoch, roundsDone, backupConfiguration, out.toByteArray(), callbackState());
        }
    }

    private static INDArray firstRows(INDArray vector, int rows) {
        return vector.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
    }

    /**
     * Puts the newest intact backup back and returns {epoch, roundsDone, rowsRun, ended}, or null if there is none.
     * Checks first, changing nothing, that it was written for this training; then restores the callbacks (undone if
     * one fails), then the driver's state.
     *
     * @throws IllegalStateException naming the backup and what differs
     */
    private int[] restore() {
        Backups.Backup saved = backup.loadNewest();
        if (saved == null) {
            return null;
        }
        String source = "backup " + saved.file().toAbsolutePath();
        String refusal = " Resume with the settings and partitioning it was written with, or move or delete the "
                + "folder " + backup.dir().toAbsolutePath() + " to start a new run.";
        String difference = firstDifference(saved.configuration(), backupConfiguration);
        if (difference != null) {
            throw new IllegalStateException("@BackupAndRestore: " + source + " was written for another training: "
                    + difference + "." + refusal);
        }
        byte[] current = callbackState();
        String layout = StateReader.layoutDifference(current, BackupFolder.callbackState(saved));
        if (layout != null) {
            throw new IllegalStateException("@BackupAndRestore: " + source + " holds callback state that does not fit "
                    + "this training: " + layout + "." + refusal);
        }
        StateReader in = new StateReader(BackupFolder.trainerState(saved), source + " trainer state");
        int epoch = in.readInt("epoch");
        int roundsDone = in.readInt("roundsDone");
        int rowsRun = in.readInt("rowsRun");
        boolean ended = in.readBoolean("ended");
        float[] params = in.readFloats("params");
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
        List<String> finalNames = in.readStrings("finalLogs.names");
        double[] finalValues = in.readDoubles("finalLogs.values");
        HistoryRecorder savedHistory = new HistoryRecorder();
        in.readSection("history", savedHistory);
        in.finish();
        boolean midEpoch = roundsDone > 0;
        String damage = null;
        if (params == null || params.length != model.paramCount()) {
            damage = "params";
        } else if (!optimizer.optimizer().equals(optimizerName) || optimizerState == null
                || optimizerState.length != optimizer.flat().length() || iterations < 0) {
            damage = "optimizer";
        } else if (epoch < 0 || roundsDone < 0 || roundsDone > rounds || rowsRun < 0 || rowsRun > trainRows) {
            damage = "position";
        } else if (midEpoch && (epochLoss == null || epochLoss.length != rowsRun)) {
            damage = "epochLoss";
        } else if (savedRunningMetrics == null || savedRunningMetrics.length != metricCount) {
            damage = "runningMetrics";
        } else if (finalNames == null || finalValues == null || finalNames.size() != finalValues.length) {
            damage = "finalLogs";
        }
        for (int k = 0; damage == null && midEpoch && k < metricCount; k++) {
            if (epochMetrics[k] == null || epochMetrics[k].length != rowsRun) {
                damage = "epochMetric" + k;
            }
        }
        if (damage != null) {
            throw new IllegalStateException("@BackupAndRestore: " + source + ": the trainer state's \"" + damage
                    + "\" does not fit this model and data." + refusal);
        }
        try {
            restoreCallbacks(new StateReader(BackupFolder.callbackState(saved), source + " callback state"));
        } catch (RuntimeException e) {
            try {
                restoreCallbacks(new StateReader(current, "the callbacks' state before resuming"));
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        model.setParams(Nd4j.createFromArray(params));
        optimizer.restore(Floats.array(optimizerState), iterations);
        if (optimizer.learningRate() != learningRate) {
            optimizer.setLearningRate(learningRate);
        }
        if (midEpoch) {
            NativeFloats.view(lossVector).put(0, epochLoss);
            for (int k = 0; k < metricCount; k++) {
                NativeFloats.view(metricVectors[k]).put(0, epochMetrics[k]);
            }
        }
        runningLoss = savedRunningLoss;
        System.arraycopy(savedRunningMetrics, 0, runningMetrics, 0, metricCount);
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
        return new int[] {epoch, roundsDone, rowsRun, ended ? 1 : 0};
    }

    /** The first line where {@code saved} and {@code ours} differ, as "saved X, this fit Y", or null if equal. */
    private static String firstDifference(String saved, String ours) {
        String[] a = saved.split("\n", -1);
        String[] b = ours.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "(nothing)";
            String y = i < b.length ? b[i] : "(nothing)";
            if (!x.equals(y)) {
                return "saved \"" + x + "\", this fit \"" + y + "\"";
            }
        }
        return null;
    }

    /** Every callback's state: a section per callback object (its dispatcher's, and its own if it is Stateful). */
    private byte[] callbackState() {
        StateWriter out = new StateWriter();
        for (int i = 0; i < dispatchers.length; i++) {
            out.beginSection("callback" + i, callbackObjects[i].getClass().getName());
            if (dispatchers[i] instanceof Stateful st) {
                out.putSection("dispatcher", st);
            }
            if (callbackObjects[i] != dispatchers[i] && callbackObjects[i] instanceof Stateful st) {
                out.putSection("target", st);
            }
            out.endSection();
        }
        return out.toByteArray();
    }

    private void restoreCallbacks(StateReader in) {
        for (int i = 0; i < dispatchers.length; i++) {
            in.beginSection("callback" + i);
            if (dispatchers[i] instanceof Stateful st) {
                in.readSection("dispatcher", st);
            }
            if (callbackObjects[i] != dispatchers[i] && callbackObjects[i] instanceof Stateful st) {
                in.readSection("target", st);
            }
            in.endSection();
        }
        in.finish();
    }

    /** The {@link FitPlan} of a Spark fit: the driver's logs, and the services built-in policies use, on the driver. */
    private final class Plan implements FitPlan {

        boolean preparing = true;
        final List<Supplier<History.EarlyStoppingOutcome>> outcomes = new ArrayList<>();

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
            return validationShards != null;
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
            throw new IllegalStateException("a metric computed from all predictions (PredictionMetric) needs every "
                    + "output on one machine, which a Spark fit does not gather; compute it after fit with "
                    + "Sequential.predict on the rows you need, or train with Trainer.fit");
        }

        @Override
        public void saveCheckpoint(Path file, boolean weightsOnly, int epoch, int batch, Logs logs)
                throws IOException {
            SavedTraining.OptimizerSnapshot state = weightsOnly ? null : new SavedTraining.OptimizerSnapshot(
                    optimizer.optimizer(), trainer.optimizer().toString(), optimizer.flat(), optimizer.iterations(),
                    optimizer.learningRate());
            Checkpoints.save(file, new SavedTraining(Checkpoints.FORMAT_VERSION, model, state, epoch, batch,
                    logs.toMap(), trainer.loss().name(), trainer.metrics()));
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
                throw new IllegalStateException("two @BackupAndRestore in one fit (folders " + backup.dir() + " and "
                        + dir + "); keep one: it backs up the whole training");
            }
            backup = new BackupFolder(dir, saveFreq, deleteBackup);
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

    @Override
    public String toString() {
        return "SparkFitRun(partitions=" + partitions + ", rounds/epoch=" + rounds + ", syncEvery=" + syncEvery + ", "
                + Arrays.toString(new int[] {trainRows, validationRows}) + ")";
    }
}
