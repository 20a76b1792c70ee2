package demo;

import org.callbacks4j.CsvLogger;
import org.callbacks4j.EarlyStop;
import org.callbacks4j.Logs;
import org.callbacks4j.OnEpochEnd;

/** A training class as the README writes one: compiled with -Xlint:all -Werror and the processor. */
@EarlyStop(monitor = "val_loss", patience = 3)
@CsvLogger("runs/demo/history.csv")
public class DemoTraining {

    double lastLoss;

    @OnEpochEnd
    void report(int epoch, Logs logs) {
        lastLoss = logs.get("loss");
    }
}
