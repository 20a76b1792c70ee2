package org.callbacks4j.samples.dl4j;

import java.io.PrintStream;
import org.callbacks4j.Checkpoint;
import org.callbacks4j.CsvLogger;
import org.callbacks4j.EarlyStop;
import org.callbacks4j.Logs;
import org.callbacks4j.OnEpochEnd;
import org.callbacks4j.OnTrainBegin;
import org.callbacks4j.ReduceLrOnPlateau;
import org.callbacks4j.TensorBoard;
import org.callbacks4j.TerminateOnNaN;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.dl4j.Dl4jContext;
import org.callbacks4j.dl4j.Dl4jMetrics;

/**
 * The callbacks of the DL4J digits sample: the same annotations as for the callbacks4j trainer, on a DL4J CNN.
 * {@link Dl4jMetrics} lets javac accept DL4J's evaluator metrics ({@code val_f1} here) as monitors; the checkpoint is
 * DL4J's model zip, which {@code ModelSerializer.restoreMultiLayerNetwork} reads. Everything the run writes goes to
 * {@value #RUN_DIR}.
 */
@Dl4jMetrics
@EarlyStop(monitor = "val_f1", patience = 4, restoreBestWeights = true, verbose = true)
@Checkpoint(path = DigitsCnnTraining.RUN_DIR + "/best.zip", monitor = "val_f1", saveBestOnly = true)
@ReduceLrOnPlateau(monitor = "val_loss", factor = 0.5, patience = 2, verbose = true)
@CsvLogger(DigitsCnnTraining.RUN_DIR + "/history.csv")
@TensorBoard(DigitsCnnTraining.RUN_DIR + "/tensorboard")
@TerminateOnNaN
public class DigitsCnnTraining {

    /** Where the CSV log, TensorBoard events and the best checkpoint go (relative to the working dir). */
    public static final String RUN_DIR = "runs/dl4j-digits";

    private final PrintStream out;

    public DigitsCnnTraining(PrintStream out) {
        this.out = out;
    }

    @OnTrainBegin
    void announce(TrainingContext training) {
        out.printf("Training a DL4J %s: %d epochs of %d batches, learning rate %s%n",
                ((Dl4jContext) training).network().getClass().getSimpleName(), training.epochs(),
                training.batchesPerEpoch(), training.learningRate());
    }

    @OnEpochEnd
    void report(int epoch, Logs logs) {
        out.printf("Epoch %3d  loss %.4f  val_loss %.4f  val_accuracy %.4f  val_f1 %.4f  lr %.5f%n", epoch + 1,
                logs.get("loss"), logs.get("val_loss"), logs.get("val_accuracy"), logs.get("val_f1"),
                logs.get("learning_rate"));
    }
}
