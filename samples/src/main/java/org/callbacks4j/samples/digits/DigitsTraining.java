package org.callbacks4j.samples.digits;

import java.io.PrintStream;
import org.callbacks4j.Logs;
import org.callbacks4j.OnEpochBegin;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.OnTrainBegin;
import org.callbacks4j.OnTrainEnd;
import org.callbacks4j.TrainingContext;

/**
 * The callbacks of the digits sample. The annotation processor turns these annotations into
 * {@code DigitsTraining_Callbacks}, which the trainer calls directly.
 */
public class DigitsTraining {

    private final PrintStream out;
    private final double targetValAccuracy;
    private long epochStartNanos;

    /**
     * @param out where the epoch lines go
     * @param targetValAccuracy stop once validation accuracy reaches this (a hook can stop training, as Keras's
     *     {@code model.stop_training = True}); above 1 never stops
     */
    public DigitsTraining(PrintStream out, double targetValAccuracy) {
        this.out = out;
        this.targetValAccuracy = targetValAccuracy;
    }

    @OnTrainBegin
    void announce(TrainingContext training) {
        out.printf("Training %d epochs of %d batches, learning rate %s%n",
                training.epochs(), training.batchesPerEpoch(), training.learningRate());
    }

    @OnEpochBegin
    void startClock() {
        epochStartNanos = System.nanoTime();
    }

    @OnEpochEnd
    void report(int epoch, Logs logs, TrainingContext training) {
        long millis = (System.nanoTime() - epochStartNanos) / 1_000_000;
        out.printf("Epoch %3d  loss %.4f  accuracy %.4f  val_loss %.4f  val_accuracy %.4f  %4d ms%n",
                epoch + 1, logs.get("loss"), logs.get("accuracy"), logs.get("val_loss"), logs.get("val_accuracy"),
                millis);
        if (logs.get("val_accuracy") >= targetValAccuracy) {
            out.printf("val_accuracy reached %.2f: stopping%n", targetValAccuracy);
            training.stopTraining();
        }
    }

    @OnTrainEnd
    void summarize(Logs logs) {
        out.printf("Done: val_accuracy %.4f%n", logs.get("val_accuracy"));
    }
}
