package org.callbacks4j.train;

import java.util.Objects;
import org.callbacks4j.model.Sequential;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Predictions of a model with image, dropout or batch-norm layers ({@link Sequential#predict}): the trainer's own
 * forward pass in inference mode, in chunks of {@value #CHUNK} rows so that the image layers' buffers stay small.
 * Internal: public only for {@code Sequential}.
 */
public final class Inference {

    /** Rows per forward pass. */
    static final int CHUNK = 256;

    private Inference() {}

    /** The outputs for {@code features} ({@code [rows, inputWidth]} float32), a new {@code [rows, outputs]} array. */
    public static INDArray predict(Sequential model, INDArray features) {
        Objects.requireNonNull(model, "model");
        long rows = features.size(0);
        INDArray out = Nd4j.create(DataType.FLOAT, rows, model.outputWidth());
        if (rows == 0) {
            return out;
        }
        Network net = new Network(model, null, new BuiltInMetric[0]);
        Network.Frame full = null;
        for (long from = 0; from < rows; from += CHUNK) {
            long to = Math.min(rows, from + CHUNK);
            int n = (int) (to - from);
            Network.Frame f = full != null && full.rows == n ? full : net.frame(n);
            if (n == CHUNK) {
                full = f;
            }
            net.forward(f, features.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()), false);
            out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(net.output(f));
        }
        return out;
    }
}
