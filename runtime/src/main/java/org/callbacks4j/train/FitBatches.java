package org.callbacks4j.train;

import java.util.Map;
import org.callbacks4j.internal.train.SlotLogs;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Views for every batch of a run of rows: features, labels, and the slices of the per-example loss and metric
 * vectors each batch writes, created once per fit so the batch loop allocates none.
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

    FitBatches(INDArray sourceX, INDArray sourceY, int from, int rows, int batchSize,
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
