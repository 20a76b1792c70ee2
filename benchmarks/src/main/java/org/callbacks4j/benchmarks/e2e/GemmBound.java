package org.callbacks4j.benchmarks.e2e;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.callbacks4j.internal.train.BoundOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The lower bound of an epoch: only its matrix products, libnd4j's {@code matmul} into preallocated targets, each op
 * bound once to its arrays as the trainer's {@code Network} binds its own ({@link BoundOp}: no per-call context, so the
 * bound holds the products' own cost). Per batch, as the trainer: the forward product of every layer
 * ({@code Z = A W}), and backward the weight gradient of every layer ({@code dW = A^T D}) and the input delta of every
 * layer but the first ({@code dA = D W^T}). Nothing else: no bias, activation, loss, optimizer or shuffle.
 */
final class GemmBound {

    private final INDArray[] batchX;
    private final Frame[] frames;

    /** The products of one batch size, in the order an epoch runs them; the first reads the batch's rows. */
    private static final class Frame {
        final BoundOp[] products;
        final BoundOp forwardFirst;
        final BoundOp weightGradientFirst;

        Frame(int rows, int[] widths, INDArray[] weights, INDArray[] weightGradients) {
            int layers = widths.length - 1;
            INDArray[] a = new INDArray[layers];
            INDArray[] d = new INDArray[layers];
            for (int l = 0; l < layers; l++) {
                a[l] = Nd4j.rand(DataType.FLOAT, rows, widths[l + 1]);
                d[l] = Nd4j.rand(DataType.FLOAT, rows, widths[l + 1]);
            }
            INDArray x = Nd4j.rand(DataType.FLOAT, rows, widths[0]); // until the first batch binds its rows
            List<BoundOp> ops = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                ops.add(BoundOp.matmul(l == 0 ? x : a[l - 1], false, weights[l], false, a[l], 1.0));
            }
            for (int l = layers - 1; l >= 0; l--) {
                ops.add(BoundOp.matmul(l == 0 ? x : a[l - 1], true, d[l], false, weightGradients[l], 1.0));
                if (l > 0) {
                    ops.add(BoundOp.matmul(d[l], false, weights[l], true, d[l - 1], 1.0));
                }
            }
            products = ops.toArray(new BoundOp[0]);
            forwardFirst = products[0];
            weightGradientFirst = products[products.length - 1];
        }
    }

    GemmBound(int[] widths, INDArray features, int batchSize) {
        int layers = widths.length - 1;
        INDArray[] weights = new INDArray[layers];
        INDArray[] weightGradients = new INDArray[layers];
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
            frames[b] = bySize.computeIfAbsent(end - start, n -> new Frame(n, widths, weights, weightGradients));
        }
    }

    /** One epoch of products. */
    void epoch() {
        for (int b = 0; b < batchX.length; b++) {
            Frame f = frames[b];
            f.forwardFirst.input(0, batchX[b]);
            f.weightGradientFirst.input(0, batchX[b]);
            for (BoundOp product : f.products) {
                product.run();
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
