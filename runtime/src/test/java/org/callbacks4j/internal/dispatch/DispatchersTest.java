package org.callbacks4j.internal.dispatch;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.dispatch.fixtures.Outer;
import org.callbacks4j.internal.dispatch.fixtures.Outer_Inner_Callbacks;
import org.callbacks4j.internal.dispatch.fixtures.Plain;
import org.callbacks4j.internal.dispatch.fixtures.Plain_Callbacks;
import org.callbacks4j.internal.dispatch.fixtures.SubOfPlain;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Sgd;
import org.callbacks4j.train.Trainer;
import org.junit.jupiter.api.Test;

class DispatchersTest {

    @Test
    void findsTheGeneratedClassNextToTheTrainingClass() {
        Plain plain = new Plain();
        CallbackDispatcher d = Dispatchers.of(plain);
        assertThat(d).isInstanceOf(Plain_Callbacks.class);
        assertThat(((Plain_Callbacks) d).target()).isSameInstanceAs(plain);
        assertThat(d.hooks()).isEqualTo(Hooks.EPOCH_END);
    }

    @Test
    void nestedClassesJoinTheirSimpleNames() {
        assertThat(Dispatchers.generatedName(Outer.Inner.class))
                .isEqualTo("org.callbacks4j.internal.dispatch.fixtures.Outer_Inner_Callbacks");
        assertThat(Dispatchers.of(new Outer.Inner())).isInstanceOf(Outer_Inner_Callbacks.class);
    }

    @Test
    void aSubclassWithoutItsOwnGeneratedClassUsesItsSuperclasses() {
        SubOfPlain sub = new SubOfPlain();
        CallbackDispatcher d = Dispatchers.of(sub);
        assertThat(d).isInstanceOf(Plain_Callbacks.class);
        assertThat(((Plain_Callbacks) d).target()).isSameInstanceAs(sub);
    }

    @Test
    void aDispatcherIsUsedAsItIs() {
        CallbackDispatcher d = () -> Hooks.TRAIN_END;
        assertThat(Dispatchers.of(d)).isSameInstanceAs(d);
    }

    @Test
    void aClassWithoutGeneratedCodeGetsAnErrorThatSaysHowToGetIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Dispatchers.of(new Outer.Unprocessed()));
        assertThat(e).hasMessageThat().contains("org.callbacks4j.internal.dispatch.fixtures.Outer$Unprocessed has no generated");
        assertThat(e).hasMessageThat().contains("Outer_Unprocessed_Callbacks");
        assertThat(e).hasMessageThat().contains("org.callbacks4j:callbacks4j-processor");
        assertThat(e).hasMessageThat().contains("<annotationProcessorPaths>");
        assertThat(e).hasMessageThat().contains("JDK 23+");
        assertThat(e).hasMessageThat().contains("at least one hook annotation");
    }

    @Test
    void nullIsRejected() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Dispatchers.of(null));
        assertThat(e).hasMessageThat().contains("callback object is null");
    }

    @Test
    void fitCreatesOneDispatcherPerCallbackObjectPerFitAndCallsIt() {
        Dataset data = Dataset.of(new float[][] {{1, 2}, {3, 4}, {5, 6}}, new float[][] {{1}, {2}, {3}});
        Sequential model = Sequential.input(2).dense(1, Activation.IDENTITY).build();
        Trainer trainer = Trainer.builder().loss(Loss.MSE).optimizer(Sgd.lr(0.001)).build();
        Plain plain = new Plain();
        Outer.Inner inner = new Outer.Inner();
        int before = Plain_Callbacks.instances;
        trainer.fit(model, data, Fit.epochs(3).batchSize(1).verbose(0), plain, inner);
        assertThat(Plain_Callbacks.instances - before).isEqualTo(1);
        assertThat(plain.calls).containsExactly("epochEnd 0", "epochEnd 1", "epochEnd 2").inOrder();
        assertThat(inner.trainBegins).isEqualTo(1);
    }
}
