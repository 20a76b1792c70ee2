package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Test;

class TrainingTest {

    @Test
    void blobsReachHighAccuracyAndLossDecreases() {
        Dataset data = Blobs.classification(600, 4, 3, 1);
        Sequential model = Sequential.input(4).dense(16, Activation.RELU).dense(3, Activation.SOFTMAX).seed(1).build();
        Trainer trainer = Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2)).metrics("accuracy").build();
        History h = trainer.fit(model, data, Fit.epochs(15).batchSize(32).validationSplit(0.2).verbose(0));
        List<Double> loss = h.get("loss");
        assertThat(loss.get(loss.size() - 1)).isLessThan(loss.get(0) / 3);
        assertThat(h.last("accuracy")).isGreaterThan(0.95);
        assertThat(h.last("val_accuracy")).isGreaterThan(0.95);
        assertThat(h.metrics()).containsExactly("accuracy", "loss", "val_accuracy", "val_loss").inOrder();
        assertThat(h.epochs()).hasSize(15);
    }
}
