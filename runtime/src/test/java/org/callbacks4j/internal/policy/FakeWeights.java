package org.callbacks4j.internal.policy;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A model's flat parameter vector, changed in place as training would; records what is set back. */
final class FakeWeights implements ModelWeights {

    final INDArray live = Nd4j.zeros(DataType.FLOAT, 1, 4);
    final List<INDArray> setArguments = new ArrayList<>();

    /** "Trains" the model: every parameter becomes {@code value}, in place. */
    void fill(double value) {
        live.assign(value);
    }

    @Override
    public INDArray params() {
        return live;
    }

    @Override
    public void setParams(INDArray params) {
        setArguments.add(params);
        live.assign(params);
    }
}
