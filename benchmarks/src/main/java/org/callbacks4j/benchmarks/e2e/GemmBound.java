package org.callbacks4j.benchmarks.e2e;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The lower bound of an epoch: only its matrix products, with ND4J into preallocated targets. Per batch, as the
 * trainer's {@code Network}: the forward gemm of every layer ({@code Z = A W}), and backward the weight gradient of
 * every layer ({@code dW = A^T D}) and the input delta of every layer but the first ({@code dA = D W^T}). Nothing
 * else: no bias, activation, loss, optimizer or shuffle.
 */
final class GemmBound {

    private final INDArray[] weights;
    private final INDArray[] weightGradients;
    private final INDArray[] batchX;
    private final Frame[] frames;

    private static final class Frame {
        final INDArray[] a;
        final INDArray[] d;

        Frame(int rows, int[] widths) {
            int layers = widths.length - 1;
            a = new INDArray[layers];
            d = new INDArray[layers];
            for (int l = 0; l < layers; l++) {
                a[l] = Nd4j.rand(DataType.FLOAT, rows, widths[l + 1]);
                d[l] = Nd4j.rand(DataType.FLOAT, rows, widths[l + 1]);
            }
        }
    }

    GemmBound(int[] widths, INDArray features, int batchSize) {
        int layers = widths.length - 1;
        weights = new INDArray[layers];
        weightGradients = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            weights[l] = Nd4j.rand(DataType.FLOAT, widths[l], widths[l + 1]).subi(0.5).muli(0.1);
            weightGradients[l] = Nd4j.create(DataType.FLOAT, widths[l], widths[l + 1]);
        }
        int rows = (int) features.size(0);
        int count = (rows + batchSize - 1) / batchSize;
        batchX = new INDArray[count];
        frames = new Frame[count];
        Map<Integer, Frame> bySize = new HashMap<>();
        for (int b = 0; b < count; b++) {
            int start = b * batchSize;
            int end = Math.min(rows, start + batchSize);
            batchX[b] = features.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
            frames[b] = bySize.computeIfAbsent(end - start, n -> new Frame(n, widths));
        }
    }

    /** One epoch of gemms. */
    void epoch() {
        int layers = weights.length;
        for (int b = 0; b < batchX.length; b++) {
            Frame f = frames[b];
            INDArray in = batchX[b];
            for (int l = 0; l < layers; l++) {
                Nd4j.gemm(in, weights[l], f.a[l], false, false, 1.0, 0.0);
                in = f.a[l];
            }
            for (int l = layers - 1; l >= 0; l--) {
                INDArray input = l == 0 ? batchX[b] : f.a[l - 1];
                Nd4j.gemm(input, f.d[l], weightGradients[l], true, false, 1.0, 0.0);
                if (l > 0) {
                    Nd4j.gemm(f.d[l], weights[l], f.d[l - 1], false, true, 1.0, 0.0);
                }
            }
        }
    }

    /** Multiply-adds of one epoch, for the achieved GFLOP/s. */
    static double flops(int[] widths, int rows) {
        double perRow = 0;
        for (int l = 0; l < widths.length - 1; l++) {
            double mac = (double) widths[l] * widths[l + 1];
            perRow += mac * (l == 0 ? 2 : 3);
        }
        return 2 * perRow * rows;
    }
}
