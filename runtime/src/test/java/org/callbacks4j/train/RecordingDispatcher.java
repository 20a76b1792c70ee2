package org.callbacks4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.Hooks;

/**
 * A hand-written dispatcher, standing in for generated code, that records every call it receives, whether or not
 * its {@link #hooks()} announce the hook (so a call the trainer should have skipped shows up).
 */
class RecordingDispatcher implements CallbackDispatcher {

    static final int ALL = Hooks.TRAIN_BEGIN | Hooks.TRAIN_END | Hooks.EPOCH_BEGIN | Hooks.EPOCH_END
            | Hooks.BATCH_BEGIN | Hooks.BATCH_END | Hooks.VALIDATION_END | Hooks.BATCH_LOGS;

    private final String prefix;
    private final int hooks;
    private final List<String> events;
    final List<Map<String, Double>> batchEndLogs = new ArrayList<>();
    final List<Map<String, Double>> epochEndLogs = new ArrayList<>();
    final List<Map<String, Double>> validationEndLogs = new ArrayList<>();
    Map<String, Double> trainEndLogs;
    final List<Integer> contextEpochs = new ArrayList<>();

    String stopAt;
    String throwAt;

    RecordingDispatcher(String prefix, int hooks, List<String> events) {
        this.prefix = prefix;
        this.hooks = hooks;
        this.events = events;
    }

    RecordingDispatcher(int hooks) {
        this("", hooks, new ArrayList<>());
    }

    List<String> events() {
        return events;
    }

    @Override
    public int hooks() {
        return hooks;
    }

    private void on(String event, TrainingContext context) {
        events.add(prefix + event);
        contextEpochs.add(context.epoch());
        if (event.equals(throwAt)) {
            throw new IllegalStateException("boom at " + event);
        }
        if (event.equals(stopAt)) {
            context.stopTraining();
        }
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        on("trainBegin", context);
    }

    @Override
    public void onTrainEnd(Logs logs, TrainingContext context) {
        trainEndLogs = logs.toMap();
        on("trainEnd", context);
    }

    @Override
    public void onEpochBegin(int epoch, TrainingContext context) {
        on("epochBegin " + epoch, context);
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
        epochEndLogs.add(logs.toMap());
        on("epochEnd " + epoch, context);
    }

    @Override
    public void onBatchBegin(int epoch, int batch, TrainingContext context) {
        on("batchBegin " + epoch + " " + batch, context);
    }

    @Override
    public void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {
        batchEndLogs.add(logs.toMap());
        on("batchEnd " + epoch + " " + batch, context);
    }

    @Override
    public void onValidationEnd(int epoch, Logs logs, TrainingContext context) {
        validationEndLogs.add(logs.toMap());
        on("validationEnd " + epoch, context);
    }
}
