package org.callbacks4j.samples.fashion;

import java.io.PrintStream;
import org.callbacks4j.Checkpoint;
import org.callbacks4j.CsvLogger;
import org.callbacks4j.EarlyStop;
import org.callbacks4j.Logs;
import org.callbacks4j.OnEpochBegin;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.OnTrainBegin;
import org.callbacks4j.ReduceLrOnPlateau;
import org.callbacks4j.TensorBoard;
import org.callbacks4j.TrainingContext;

/**
 * The callbacks of the Fashion-MNIST CNN sample: early stop on the validation loss with the best weights restored, the
 * best model as a checkpoint, a plateau schedule, CSV and TensorBoard logs, all under {@value #RUN_DIR}.
 */
@EarlyStop(monitor = "val_loss", patience = 3, restoreBestWeights = true, verbose = true)
@Checkpoint(path = FashionTraining.RUN_DIR + "/best.zip", monitor = "val_loss", saveBestOnly = true)
@ReduceLrOnPlateau(monitor = "val_loss", factor = 0.5, patience = 1, verbose = true)
@CsvLogger(FashionTraining.RUN_DIR + "/history.csv")
@TensorBoard(FashionTraining.RUN_DIR + "/tensorboard")
public class FashionTraining {

    /** Where the CSV log, TensorBoard events, best checkpoint and training curves go (relative to the working dir). */
    public static final String RUN_DIR = "runs/fashion";

    private final PrintStream out;
    private long epochStartNanos;

    public FashionTraining(PrintStream out) {
        this.out = out;
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
    void report(int epoch, Logs logs) {
        long seconds = (System.nanoTime() - epochStartNanos) / 1_000_000_000L;
        out.printf("Epoch %2d  loss %.4f  accuracy %.4f  val_loss %.4f  val_accuracy %.4f  lr %.5f  %4d s%n",
                epoch + 1, logs.get("loss"), logs.get("accuracy"), logs.get("val_loss"), logs.get("val_accuracy"),
                logs.get("learning_rate"), seconds);
    }
}
