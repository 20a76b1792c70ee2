package org.callbacks4j.train;

import java.util.List;
import java.util.Map;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The epoch-end outputs a {@link FitRun} hands to {@link FitPlan#onPredictions} listeners: the model's outputs on the
 * training rows (one extra forward pass, in dataset order) and on the validation rows (copied from the validation
 * pass, which computes them anyway), with their labels. Allocated once per fit; a fit without listeners has none.
 */
final class FitPredictions {

    private final List<FitPlan.PredictionListener> listeners;
    private final Network net;
    private final FitBatches batches;
    private final INDArray trainOutputs;
    private final INDArray[] trainOutputViews;
    private final INDArray trainLabels;
    private final INDArray validationOutputs;
    private final INDArray[] validationOutputViews;
    private final INDArray validationLabels;

    /**
     * @param train the training batches; reused for the extra pass unless {@code shuffled} (then they hold the rows
     *     in epoch order, or no rows when streamed, and the pass gets its own batches over {@code sourceX} in dataset
     *     order)
     * @param validation the validation batches, or null without validation
     * @param validationLabels the labels of the validation rows, or null without validation
     */
    FitPredictions(List<FitPlan.PredictionListener> listeners, Network net, int outputWidth, FitBatches train,
            boolean shuffled, INDArray sourceX, INDArray sourceY, int batchSize, Map<Integer, Network.Frame> frames,
            int metricCount, FitBatches validation, INDArray validationLabels) {
        this.listeners = listeners;
        this.net = net;
        int trainRows = train.rows;
        batches = shuffled
                ? new FitBatches(sourceX, sourceY, 0, trainRows, batchSize, frames, net, metricCount)
                : train;
        trainOutputs = Nd4j.create(DataType.FLOAT, trainRows, outputWidth);
        trainOutputViews = rowViews(trainOutputs, batches);
        trainLabels = sourceY.get(NDArrayIndex.interval(0, trainRows), NDArrayIndex.all());
        if (validation == null) {
            validationOutputs = null;
            validationOutputViews = null;
            this.validationLabels = null;
        } else {
            validationOutputs = Nd4j.create(DataType.FLOAT, validation.rows, outputWidth);
            validationOutputViews = rowViews(validationOutputs, validation);
            this.validationLabels = validationLabels;
        }
    }

    /** Views of {@code outputs} with the rows of each batch of {@code batches}. */
    private static INDArray[] rowViews(INDArray outputs, FitBatches batches) {
        INDArray[] views = new INDArray[batches.count];
        long start = 0;
        for (int b = 0; b < batches.count; b++) {
            long rows = batches.frames[b].rows;
            views[b] = outputs.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all());
            start += rows;
        }
        return views;
    }

    /** Keeps the validation pass's outputs {@code output} of validation batch {@code b}. */
    void keepValidation(int b, INDArray output) {
        validationOutputViews[b].assign(output);
    }

    /**
     * The model's outputs on the training rows (one forward pass, in dataset order) and, already kept from the
     * validation pass, on the validation rows (null in an epoch that does not validate: {@link Fit#validationFreq}),
     * handed to the prediction listeners, which write their metrics.
     */
    void predict(int epoch, boolean validating) {
        FitBatches rows = batches;
        for (int b = 0; b < rows.count; b++) {
            net.forward(rows.frames[b], rows.x[b], false);
            trainOutputViews[b].assign(net.output(rows.frames[b]));
        }
        for (FitPlan.PredictionListener listener : listeners) {
            listener.onPredictions(epoch, trainOutputs, trainLabels, validating ? validationOutputs : null,
                    validationLabels);
        }
    }
}
