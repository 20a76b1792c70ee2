package org.callbacks4j.spark;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.callbacks4j.internal.io.NativeFloats;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.OptimizerState;
import org.callbacks4j.train.ShardTrainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The executor side of a fit: runs one round of training steps, or one validation pass, on one partition.
 *
 * <p>A worker (model, network buffers, the epoch's row order) is kept per fit and partition in the executor between
 * rounds, so a round costs its steps and two copies of the parameters, not a rebuild. Everything a round computes
 * follows from the broadcast, the partition's rows and the seeds: a task Spark retries, on this executor or another,
 * returns the same bits.
 */
final class ShardWorker {

    /** Workers of the fits running in this JVM, by fit, kind and partition; taken out while a task uses one. */
    private static final Map<String, ShardWorker> CACHE = new ConcurrentHashMap<>();

    private final Recipe recipe;
    private final ShardTrainer trainer;
    private final Sequential model;
    private final int metricCount;
    private final Map<Integer, Buffers> buffers = new HashMap<>();
    private int[] order;
    private int orderEpoch = -1;

    private ShardWorker(Recipe recipe) {
        this.recipe = recipe;
        this.model = recipe.model();
        this.trainer = new ShardTrainer(recipe.trainer(), model);
        this.metricCount = trainer.metricCount();
    }

    /** Runs round {@code round} on partition {@code partition} (its shard is the iterator's only element). */
    static Iterator<Part> train(Recipe recipe, Round round, int partition, Iterator<Shard> shards) {
        Shard shard = shards.next();
        String key = recipe.fitId + "/train/" + partition;
        ShardWorker worker = take(key, recipe);
        Part part = worker.trainRound(round, partition, shard);
        CACHE.put(key, worker);
        return List.of(part).iterator();
    }

    /** The per-example loss and metrics of the round's parameters on partition {@code partition}. */
    static Iterator<Part> evaluate(Recipe recipe, Round round, int partition, Iterator<Shard> shards) {
        Shard shard = shards.next();
        String key = recipe.fitId + "/validate/" + partition;
        ShardWorker worker = take(key, recipe);
        Part part = worker.evaluate(round, partition, shard);
        CACHE.put(key, worker);
        return List.of(part).iterator();
    }

    /** Forgets the workers of fit {@code fitId} in this JVM (the driver's, in local mode). */
    static void forget(String fitId) {
        CACHE.keySet().removeIf(k -> k.startsWith(fitId + "/"));
    }

    private static ShardWorker take(String key, Recipe recipe) {
        ShardWorker worker = CACHE.remove(key);
        if (worker == null) {
            // Workers of fits that ended hold memory only: one fit at a time keeps its own.
            CACHE.keySet().removeIf(k -> !k.startsWith(recipe.fitId + "/"));
            worker = new ShardWorker(recipe);
        }
        return worker;
    }

    private Part trainRound(Round round, int partition, Shard shard) {
        int batchSize = recipe.batchSize;
        int batches = recipe.batches(shard.rows);
        int first = round.round * recipe.syncEvery;
        int last = Math.min(batches, first + recipe.syncEvery);
        if (first >= last) {
            return new Part(partition, 0, 0, null, null, new float[0], new float[metricCount][0]);
        }
        load(round);
        int[] rows = order(round.epoch, partition, shard.rows);
        int firstRow = first * batchSize;
        int rowCount = Math.min(shard.rows, last * batchSize) - firstRow;
        float[] loss = new float[rowCount];
        float[][] metrics = new float[metricCount][rowCount];
        for (int b = first; b < last; b++) {
            int start = b * batchSize;
            int end = Math.min(shard.rows, start + batchSize);
            Buffers buf = buffers(end - start);
            buf.fill(shard, rows, start, end);
            trainer.trainStep(buf.x, buf.y, buf.loss, buf.metrics, round.epoch);
            buf.copyScores(loss, metrics, start - firstRow);
        }
        OptimizerState opt = trainer.optimizerState();
        return new Part(partition, rowCount, last - first, model.params().toFloatVector(),
                Floats.of(opt.flat()), loss, metrics);
    }

    private Part evaluate(Round round, int partition, Shard shard) {
        model.setParams(Nd4j.createFromArray(round.params));
        float[] loss = new float[shard.rows];
        float[][] metrics = new float[metricCount][shard.rows];
        for (int start = 0; start < shard.rows; start += recipe.batchSize) {
            int end = Math.min(shard.rows, start + recipe.batchSize);
            Buffers buf = buffers(end - start);
            buf.fill(shard, null, start, end);
            trainer.evaluate(buf.x, buf.y, buf.loss, buf.metrics);
            buf.copyScores(loss, metrics, start);
        }
        return new Part(partition, shard.rows, 0, null, null, loss, metrics);
    }

    /** Puts the round's parameters, optimizer state, step count and learning rate into this worker. */
    private void load(Round round) {
        model.setParams(Nd4j.createFromArray(round.params));
        OptimizerState opt = trainer.optimizerState();
        opt.restore(Floats.array(round.state), round.iterations);
        if (opt.learningRate() != round.learningRate) {
            opt.setLearningRate(round.learningRate);
        }
    }

    /**
     * The rows of partition {@code partition} in epoch {@code epoch}'s order: Fisher-Yates with a generator that
     * depends only on the fit's seed, the epoch and the partition. Partition 0 uses the single-machine trainer's
     * generator, so a one-partition fit visits rows exactly as {@code Trainer.fit} does.
     */
    private int[] order(int epoch, int partition, int rowCount) {
        if (!recipe.shuffle) {
            return null;
        }
        if (order == null || order.length != rowCount) {
            order = new int[rowCount];
            orderEpoch = -1;
        }
        if (orderEpoch != epoch) {
            for (int i = 0; i < rowCount; i++) {
                order[i] = i;
            }
            SplittableRandom random = new SplittableRandom(
                    recipe.shuffleSeed + 0x9E3779B97F4A7C15L * (epoch + 1L) + 0xBF58476D1CE4E5B9L * partition);
            for (int i = rowCount - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            orderEpoch = epoch;
        }
        return order;
    }

    private Buffers buffers(int rows) {
        return buffers.computeIfAbsent(rows, r -> new Buffers(r, recipe.inputWidth, recipe.outputWidth(), metricCount));
    }

    /** Native arrays for batches of one size, filled from the shard's Java arrays. */
    private static final class Buffers {

        final int rows;
        final INDArray x;
        final INDArray y;
        final INDArray loss;
        final INDArray[] metrics;
        final FloatBuffer xView;
        final FloatBuffer yView;
        final float[] xRows;
        final float[] yRows;

        Buffers(int rows, int inputs, int outputs, int metricCount) {
            this.rows = rows;
            x = Nd4j.create(DataType.FLOAT, rows, inputs);
            y = Nd4j.create(DataType.FLOAT, rows, outputs);
            loss = Nd4j.create(DataType.FLOAT, rows, 1);
            metrics = new INDArray[metricCount];
            for (int k = 0; k < metricCount; k++) {
                metrics[k] = Nd4j.create(DataType.FLOAT, rows, 1);
            }
            xView = NativeFloats.view(x);
            yView = NativeFloats.view(y);
            xRows = new float[rows * inputs];
            yRows = new float[rows * outputs];
        }

        /** The shard's rows {@code [start, end)} of {@code order} (or in shard order if null) into x and y. */
        void fill(Shard shard, int[] order, int start, int end) {
            int fw = shard.featureWidth;
            int lw = shard.labelWidth;
            for (int i = start; i < end; i++) {
                int row = order == null ? i : order[i];
                System.arraycopy(shard.x, row * fw, xRows, (i - start) * fw, fw);
                System.arraycopy(shard.y, row * lw, yRows, (i - start) * lw, lw);
            }
            xView.put(0, xRows);
            yView.put(0, yRows);
        }

        void copyScores(float[] lossOut, float[][] metricsOut, int at) {
            System.arraycopy(loss.toFloatVector(), 0, lossOut, at, rows);
            for (int k = 0; k < metrics.length; k++) {
                System.arraycopy(metrics[k].toFloatVector(), 0, metricsOut[k], at, rows);
            }
        }
    }
}
