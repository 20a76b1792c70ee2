package org.callbacks4j.spark;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Float vectors to and from ND4J, including the empty state of plain SGD (which ND4J's conversions refuse). */
final class Floats {

    private Floats() {}

    static float[] of(INDArray array) {
        return array.length() == 0 ? new float[0] : array.toFloatVector();
    }

    static INDArray array(float[] values) {
        return values.length == 0 ? Nd4j.empty(DataType.FLOAT) : Nd4j.createFromArray(values);
    }
}
