package org.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.callbacks4j.processor.Compilations.compile;
import static org.callbacks4j.processor.Compilations.source;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import org.callbacks4j.History;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Activation;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.train.Adam;
import org.callbacks4j.train.Fit;
import org.callbacks4j.train.Loss;
import org.callbacks4j.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @BackupAndRestore} through generated code: a class with policies, compiled by the processor, dies in the
 * middle of an epoch (a hook throws) and a new instance resumes from the backup and ends exactly as an uninterrupted
 * run; a class whose annotations changed in between refuses the backup.
 */
class BackupTrainingTest {

    private static final int EPOCHS = 6;

    @TempDir
    Path dir;

    /** A training class writing under {@code root}; {@code patience} varies its configuration. */
    private static String resumable(Path root, int patience) {
        String r = root.toString().replace("\\", "/");
        return """
                package com.example;

                import java.util.function.BiConsumer;
                import org.callbacks4j.*;

                @BackupAndRestore(value = "%1$s/backup", saveFreq = 3)
                @EarlyStop(monitor = "val_loss", patience = %2$d, restoreBestWeights = true)
                @ReduceLrOnPlateau(monitor = "val_loss", factor = 0.5, patience = 1)
                @Checkpoint(path = "%1$s/ckpt-{epoch:02d}.zip", monitor = "val_loss", saveBestOnly = true)
                @CsvLogger("%1$s/history.csv")
                @TensorBoard(value = "%1$s/tb", updateFreq = 2)
                public class Resumable implements BiConsumer<Integer, Integer> {
                    private int crashEpoch = -1;
                    private int crashBatch = -1;

                    @Override
                    public void accept(Integer epoch, Integer batch) {
                        crashEpoch = epoch;
                        crashBatch = batch;
                    }

                    @OnBatchBegin
                    void crash(int epoch, int batch) {
                        if (epoch == crashEpoch && batch == crashBatch) {
                            throw new IllegalStateException("crash");
                        }
                    }
                }
                """.formatted(r, patience);
    }

    private static CompiledClasses compiled(Path root, int patience) {
        Compilation compilation = compile(source("com.example.Resumable", resumable(root, patience)));
        assertThat(compilation).succeededWithoutWarnings();
        return new CompiledClasses(compilation);
    }

    @SuppressWarnings("unchecked")
    private static Object training(CompiledClasses classes, int crashEpoch, int crashBatch) {
        Object training = classes.instantiate("com.example.Resumable");
        ((BiConsumer<Integer, Integer>) training).accept(crashEpoch, crashBatch);
        return training;
    }

    private static Dataset data() {
        Random random = new Random(5);
        float[][] x = new float[96][4];
        int[] classes = new int[96];
        for (int i = 0; i < x.length; i++) {
            classes[i] = i % 2;
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) random.nextGaussian() + classes[i];
            }
        }
        return Dataset.classification(x, classes, 2);
    }

    /** Trains a fresh model, as a new process would; returns its parameters and History. */
    private static Object[] train(Object training) {
        Sequential model = Sequential.input(4).dense(8, Activation.RELU).dense(2, Activation.SOFTMAX).seed(1).build();
        History history = Trainer.builder()
                .loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-2)).metrics("accuracy").build()
                .fit(model, data(), Fit.epochs(EPOCHS).batchSize(8).validationSplit(0.25).seed(3).verbose(0), training);
        return new Object[] {model.params().toFloatVector(), history.epochs() + " " + history.asMap()};
    }

    @Test
    void generatedCodeSavesAndRestoresEveryPolicyAndTheRunEndsAsAnUninterruptedOne() throws IOException {
        Path reference = dir.resolve("reference");
        Object[] expected = train(training(compiled(reference, 2), -1, -1));

        Path root = dir.resolve("resumed");
        CompiledClasses classes = compiled(root, 2);
        // 9 batches per epoch, a backup every 3: crashes after backups in epochs 1 and 3.
        for (int[] crash : new int[][] {{1, 5}, {3, 1}}) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> train(training(classes, crash[0], crash[1])));
            assertThat(e).hasMessageThat().isEqualTo("crash");
        }
        Object[] actual = train(training(classes, -1, -1));

        assertWithMessage("History").that(actual[1]).isEqualTo(expected[1]);
        assertThat((float[]) actual[0]).isEqualTo((float[]) expected[0]);
        assertThat(Files.readString(root.resolve("history.csv"))).isEqualTo(
                Files.readString(reference.resolve("history.csv")));
        // deleteCheckpoint, after the normal end: only the completion record is left.
        List<Path> backups = org.callbacks4j.internal.train.Backups.files(root.resolve("backup"));
        assertThat(backups).hasSize(1);
        assertThat(org.callbacks4j.internal.train.Backups.read(backups.get(0)).complete()).isTrue();
    }

    @Test
    void aBackupOfAClassWhoseAnnotationsChangedIsRefusedWithTheSettingThatDiffers() {
        Path root = dir.resolve("changed");
        assertThrows(IllegalStateException.class, () -> train(training(compiled(root, 2), 2, 4)));

        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> train(training(compiled(root, 4), -1, -1)));

        assertThat(e).hasMessageThat().contains("was written for another training: the backup has \"  earlyStop = "
                + "@EarlyStop(monitor=\"val_loss\", maximize=false, minDelta=0.0, patience=2, ");
        assertThat(e).hasMessageThat().contains("where this fit has \"  earlyStop = @EarlyStop(monitor=\"val_loss\", "
                + "maximize=false, minDelta=0.0, patience=4, ");
        assertThat(e).hasMessageThat().contains("Resume with the settings it was written with, or move or delete the "
                + "folder " + root.resolve("backup").toAbsolutePath() + " to start a new run");
    }

    @Test
    void aClassWithOnlyBackupAndRestoreGetsAStatefulDispatcherThatHandsTheFolderToTheTrainer() throws IOException {
        Path root = dir.resolve("only");
        Compilation compilation = compile(source("com.example.Only", """
                package com.example;

                import org.callbacks4j.*;

                @BackupAndRestore(value = "%s", saveFreq = 2, deleteCheckpoint = false)
                public class Only {}
                """.formatted(root.resolve("backup").toString().replace("\\", "/"))));
        assertThat(compilation).succeededWithoutWarnings();
        Object only = new CompiledClasses(compilation).instantiate("com.example.Only");

        Object[] first = train(only);

        // Kept (deleteCheckpoint = false): the newest two generations, the newest the completion record.
        assertThat(org.callbacks4j.internal.train.Backups.files(root.resolve("backup"))).hasSize(2);
        // A second fit finds the completion record: it trains nothing again, and returns the same parameters and the
        // whole run's History.
        Object[] again = train(only);
        assertThat((float[]) again[0]).isEqualTo((float[]) first[0]);
        assertThat(again[1]).isEqualTo(first[1]);
        assertThat(again[1].toString()).startsWith("[0, 1, 2, 3, 4, 5] ");
    }
}
