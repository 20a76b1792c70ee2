package org.callbacks4j.internal.train;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * A libnd4j op bound once to its arrays and arguments in a native op context, then run once per batch.
 *
 * <p>Why: {@code Nd4j.exec(op)} builds a new native context on every call, passes every array's buffer and shape to
 * it, and collects the outputs into a fresh list: about 15 us per call on the 2-core machine (BENCHMARKS.md, "What
 * stood between the trainer and the gemms"), where a 784-256-10 batch makes about a dozen calls. A bound op runs the
 * same kernel with the same arguments (ND4J's executioner makes the same {@code execCustomOp2} call on its context)
 * in about a microsecond; only an input that changes per batch, the batch's rows or labels, is bound again. The op
 * keeps its arrays referenced while it lives; ND4J's deallocator frees the native context after it.
 */
public final class BoundOp {

    private final String name;
    private final long hash;
    private final OpContext context;
    private final Pointer contextPointer;
    private final NativeOps nativeOps;
    private final INDArray[] inputs;
    private final INDArray[] outputs;
    private double[] floatArguments;

    private BoundOp(CustomOp op) {
        this.name = op.opName();
        this.hash = op.opHash();
        this.context = Nd4j.getExecutioner().buildContext();
        this.inputs = op.inputArguments().toArray(new INDArray[0]);
        this.outputs = op.outputArguments().toArray(new INDArray[0]);
        this.floatArguments = op.tArgs().clone();
        context.setInputArrays(inputs);
        context.setOutputArrays(outputs);
        context.setIArguments(op.iArgs());
        context.setTArguments(floatArguments);
        context.setBArguments(op.bArgs());
        context.setDArguments(op.dArgs());
        this.contextPointer = context.contextPointer();
        this.nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
    }

    /** {@code op} (an ND4J op object or {@link DynamicCustomOp#builder}'s result) bound to its arrays. */
    public static BoundOp of(CustomOp op) {
        return new BoundOp(op);
    }

    /**
     * {@code c = alpha op(a) op(b)}, libnd4j's {@code matmul}: the op {@code Nd4j.gemm} builds on every call (in the
     * oneDNN build, oneDNN's matmul; in the generic one, BLAS).
     */
    public static BoundOp matmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c,
            double alpha) {
        return of(DynamicCustomOp.builder("matmul").addInputs(a, b).addOutputs(c)
                .addIntegerArguments(transposeA ? 1 : 0, transposeB ? 1 : 0, 0)
                .addFloatingPointArguments(alpha, 0.0).build());
    }

    /** Binds input {@code index} to {@code array}, unless it is already bound to that very array. */
    public BoundOp input(int index, INDArray array) {
        if (inputs[index] != array) {
            context.setInputArray(index, array);
            inputs[index] = array;
        }
        return this;
    }

    /** The index of input {@code array} (this very array, not an equal one). */
    public int inputIndex(INDArray array) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == array) {
                return i;
            }
        }
        throw new IllegalArgumentException(name + " has no such input");
    }

    /** The number of inputs (the last is the incoming gradient of a {@code _bp} op). */
    public int inputCount() {
        return inputs.length;
    }

    /** Binds output {@code index} to {@code array}, unless it is already bound to that very array. */
    public BoundOp output(int index, INDArray array) {
        if (outputs[index] != array) {
            context.setOutputArray(index, array);
            outputs[index] = array;
        }
        return this;
    }

    /** A {@link #matmul}'s factor {@code alpha}; rebinds the arguments only when it changes. */
    public BoundOp alpha(double alpha) {
        if (Double.compare(floatArguments[0], alpha) != 0) {
            floatArguments = new double[] {alpha, floatArguments[1]};
            context.setTArguments(floatArguments);
        }
        return this;
    }

    /** Runs the op; an error of libnd4j's becomes an exception naming the op. */
    public void run() {
        int status = nativeOps.execCustomOp2(null, hash, contextPointer);
        if (status != 0) {
            throw new IllegalStateException("ND4J op " + name + " failed (status " + status + "): "
                    + nativeOps.lastErrorMessage());
        }
    }
}
