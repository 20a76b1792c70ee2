package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ResumeTest}'s scenarios with a small CNN (conv2d, batch norm, dropout): a resumed run must also restore the
 * moving statistics and the dropout generator to end bit for bit where the uninterrupted run ends.
 */
class CnnResumeTest extends ResumeTest {

    @BeforeEach
    void useCnn() {
        ResumeScenario.use("cnn");
    }

    @AfterEach
    void backToDense() {
        ResumeScenario.use(null);
    }

    @Test
    void theScenarioTrainsTheCnn() {
        Sequential model = ResumeScenario.model();
        assertThat(model.stateCount()).isGreaterThan(0);
        assertThat(model.dropoutRandom()).isNotNull();
    }

    @Test
    @Override
    void aBackupOfAnotherModelDataOrFitIsRefusedBeforeAnythingChanges() throws IOException {
        Path root = dir.resolve("run");
        Map<String, byte[]> before = crashed(root);
        Sequential other = Sequential.input(2, 3, 1).conv2d(8, 2, 1, "same", Activation.RELU).batchNorm()
                .dropout(0.5).flatten().dense(16, Activation.RELU).dropout(0.1).dense(3, Activation.SOFTMAX)
                .seed(3).build();
        assertThat(refused(root, before, other, ResumeScenario.DATA, ResumeScenario.fit(8)))
                .contains("; batchNorm 2x3x8 momentum 0.99 epsilon 0.001; dropout 0.25; flatten 2x3x8;");
        assertSameRun(ResumeScenario.train(root, 8, new BackupTraining(root, 4, 50)), uninterrupted(4, 50));
    }
}
