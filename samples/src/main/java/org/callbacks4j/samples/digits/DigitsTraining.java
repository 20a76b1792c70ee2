package org.callbacks4j.samples.digits;

import java.io.PrintStream;
import org.callbacks4j.Checkpoint;
import org.callbacks4j.CsvLogger;
import org.callbacks4j.EarlyStop;
import org.callbacks4j.Logs;
import org.callbacks4j.OnEpochBegin;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.OnTrainBegin;
import org.callbacks4j.OnTrainEnd;
import org.callbacks4j.ReduceLrOnPlateau;
import org.callbacks4j.TensorBoard;
import org.callbacks4j.TrainingContext;

/**
 * The callbacks of the digits sample. The annotation processor checks these annotations at compile time (a misspelled
 * monitor such as {@code "val_los"} fails the build) and turns them into {@code DigitsTraining_Callbacks}, which the
 * trainer calls directly. Everything the run writes goes to {@value #RUN_DIR}.
 */
@EarlyStop(monitor = "val_loss", patience = 4, restoreBestWeights = true, verbose = true)
@Checkpoint(path = DigitsTraining.RUN_DIR + "/best.zip", monitor = "val_loss", saveBestOnly = true)
@ReduceLrOnPlateau(monitor = "val_loss", factor = 0.5, patience = 2, verbose = true)
@CsvLogger(DigitsTraining.RUN_DIR + "/history.csv")
@TensorBoard(DigitsTraining.RUN_DIR + "/tensorboard")
public class DigitsTraining {

    /** Where the CSV log, TensorBoard events, best checkpoint and training curves go (relative to the working dir). */
    public static final String RUN_DIR = "runs/digits";

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
        out.printf("Epoch %3d  loss %.4f  accuracy %.4f  val_loss %.4f  val_accuracy %.4f  lr %.5f  %4d ms%n",
                epoch + 1, logs.get("loss"), logs.get("accuracy"), logs.get("val_loss"), logs.get("val_accuracy"),
                logs.get("learning_rate"), millis);
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
