package org.callbacks4j.train;

import java.util.Map;
import org.callbacks4j.internal.train.SlotLogs;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Views for every batch of a run of rows: features, labels, and the slices of the per-example loss and metric
 * vectors each batch writes, created once per fit so the batch loop allocates none. Streamed rows (a file or iterator
 * source, or weighted training) have no feature and label views: their arrays come from a
 * {@link org.callbacks4j.data.BatchStream}, and weighted training adds a per-row weight vector ({@link #weigh()}).
 */
final class FitBatches {

    final int rows;
    final int count;
    final INDArray[] x;
    final INDArray[] y;
    final Network.Frame[] frames;
    final INDArray lossVector;
    final INDArray[] metricVectors;
    final INDArray[] loss;
    final INDArray[][] metrics;
    // Per-row weights of the epoch (weighted training only, see weigh()): metrics are weighted means.
    INDArray weightVector;
    INDArray[] weights;
    private final int batchSize;

    /**
     * {@code sourceX} and {@code sourceY} null: streamed or shuffled rows, no feature and label views (the caller
     * puts a shuffled fit's batch buffers into {@link #x} and {@link #y}).
     */
    FitBatches(INDArray sourceX, INDArray sourceY, int from, int rows, int batchSize,
            Map<Integer, Network.Frame> frameCache, Network net, int metricCount) {
        this.rows = rows;
        this.batchSize = batchSize;
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
            if (sourceX != null) {
                x[b] = sourceX.get(NDArrayIndex.interval(from + start, from + end), NDArrayIndex.all());
                y[b] = sourceY.get(NDArrayIndex.interval(from + start, from + end), NDArrayIndex.all());
            }
            frames[b] = frameCache.computeIfAbsent(end - start, net::frame);
            loss[b] = lossVector.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
            for (int k = 0; k < metricCount; k++) {
                metrics[b][k] = metricVectors[k].get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
            }
        }
    }

    /** Adds the per-row weight vector and its batch views (weighted training). */
    void weigh() {
        weightVector = Nd4j.create(DataType.FLOAT, rows, 1);
        weights = new INDArray[count];
        for (int b = 0; b < count; b++) {
            int start = b * batchSize;
            int end = Math.min(rows, start + batchSize);
            weights[b] = weightVector.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
        }
    }

    /** What the metrics' sums over the first {@code rowsRun} rows are divided by: rows, or weighted, the weights. */
    double metricDivisor(int rowsRun) {
        return weightVector == null ? rowsRun : sum(weightVector, rowsRun);
    }

    /**
     * Puts the means over the first {@code rowsRun} rows into {@code logs}: the loss over rows (weighted losses are
     * summed, as Keras's sum over the batch size), the metrics over rows or, weighted, over the weights (Keras).
     */
    void putMeans(SlotLogs logs, int lossSlot, int[] metricSlots, int rowsRun) {
        logs.put(lossSlot, sum(lossVector, rowsRun) / rowsRun);
        double divisor = metricDivisor(rowsRun);
        for (int k = 0; k < metricSlots.length; k++) {
            logs.put(metricSlots[k], sum(metricVectors[k], rowsRun) / divisor);
        }
    }

    private double sum(INDArray vector, int rowsRun) {
        INDArray part = rowsRun == rows ? vector : vector.get(NDArrayIndex.interval(0, rowsRun), NDArrayIndex.all());
        return part.sumNumber().doubleValue();
    }
}
