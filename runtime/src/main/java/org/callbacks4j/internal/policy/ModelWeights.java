package org.callbacks4j.internal.policy;

import java.util.Objects;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.model.Sequential;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one seam through which policies touch a model's weights (Keras {@code get_weights} / {@code set_weights}):
 * one flat vector, for a {@link Sequential} its parameters followed by its non-trainable state (batch norm's moving
 * statistics), as Keras's {@code get_weights} returns both. Tests use a fake; the trainer's {@link Sequential} is
 * adapted by {@link #of}, and a trainer whose model is not a {@link Sequential} (callbacks4j-dl4j's DL4J networks)
 * gives its context a {@link Source}.
 */
public interface ModelWeights {

    /**
     * The current parameters as one flat vector. May be the live vector (layers are views of it): callers copy out
     * of it and never keep or modify it.
     */
    INDArray params();

    /** Copies {@code params} (same length and type as {@link #params()}) into the model's parameters. */
    void setParams(INDArray params);

    /**
     * The weights of the model a fit trains: {@link Source#weights()} when the context has one, otherwise those of
     * {@link TrainingContext#model()}.
     */
    static ModelWeights of(TrainingContext context) {
        Objects.requireNonNull(context, "context");
        return context instanceof Source source ? source.weights() : of(context.model());
    }

    /**
     * A {@link TrainingContext} whose model is not a {@link Sequential}: it gives policies its weights directly
     * ({@code @EarlyStop(restoreBestWeights = true)}).
     */
    interface Source {

        /** The weights of the model this context's fit trains. */
        ModelWeights weights();
    }

    /** The weights of {@code model}. */
    static ModelWeights of(Sequential model) {
        Objects.requireNonNull(model, "model");
        return new ModelWeights() {
            @Override
            public INDArray params() {
                return model.paramsAndState();
            }

            @Override
            public void setParams(INDArray params) {
                model.setParamsAndState(params);
            }
        };
    }
}
