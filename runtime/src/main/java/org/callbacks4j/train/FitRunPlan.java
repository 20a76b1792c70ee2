package org.callbacks4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.callbacks4j.History;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.io.BackgroundWrites;
import org.callbacks4j.internal.train.SlotLogs;
import org.callbacks4j.model.Sequential;

/**
 * The {@link FitPlan} of one {@link FitRun}: the epoch logs, and the trainer's services to built-in policies. What the
 * policies ask for while preparing (outcomes, prediction listeners, output paths, a backup folder) is collected here
 * for the run to read once preparing ends.
 */
final class FitRunPlan implements FitPlan {

    private final Trainer trainer;
    private final Sequential model;
    private final SlotLogs epochLogs;
    private final boolean hasValidation;
    private final FitContext context;
    private final OptimizerState optimizer;
    private final BackgroundWrites checkpointWrites;

    boolean preparing = true;
    final List<Supplier<History.EarlyStoppingOutcome>> outcomes = new ArrayList<>();
    final List<PredictionListener> predictionListeners = new ArrayList<>();
    /** The paths this fit writes, to the role that names them in messages; locked for the whole fit. */
    final Map<Path, String> outputs = new LinkedHashMap<>();
    /** The {@code @BackupAndRestore} folder's bookkeeping; null without one. */
    BackupRun backup;
    /** Set by the run once a backup has been put back, before any hook runs. */
    boolean resuming;

    FitRunPlan(Trainer trainer, Sequential model, SlotLogs epochLogs, boolean hasValidation, FitContext context,
            OptimizerState optimizer, BackgroundWrites checkpointWrites) {
        this.trainer = trainer;
        this.model = model;
        this.epochLogs = epochLogs;
        this.hasValidation = hasValidation;
        this.context = context;
        this.optimizer = optimizer;
        this.checkpointWrites = checkpointWrites;
    }

    @Override
    public Logs logs() {
        return epochLogs;
    }

    @Override
    public int defineMetric(String name) {
        checkPreparing("defineMetric");
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a metric name must not be empty");
        }
        return epochLogs.define(name);
    }

    @Override
    public void set(int slot, double value) {
        if (slot < 0 || slot >= epochLogs.slotCount()) {
            throw new IllegalArgumentException("slot " + slot + " is not a slot of this fit's logs; use the slot "
                    + "defineMetric(..) returned");
        }
        epochLogs.put(slot, value);
    }

    @Override
    public boolean hasValidation() {
        return hasValidation;
    }

    @Override
    public TrainingContext context() {
        return context;
    }

    @Override
    public List<String> metricNames() {
        List<String> all = new ArrayList<>(epochLogs.slotCount());
        for (int i = 0; i < epochLogs.slotCount(); i++) {
            all.add(epochLogs.name(i));
        }
        all.sort(null);
        return all;
    }

    @Override
    public void stopTraining(String stoppedBy) {
        context.requestStop(Objects.requireNonNull(stoppedBy, "stoppedBy"));
    }

    @Override
    public void reportOutcome(Supplier<History.EarlyStoppingOutcome> outcome) {
        checkPreparing("reportOutcome");
        outcomes.add(Objects.requireNonNull(outcome, "outcome"));
    }

    @Override
    public void onPredictions(PredictionListener listener) {
        checkPreparing("onPredictions");
        predictionListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void saveCheckpoint(Path file, boolean weightsOnly, int epoch, int batch, Logs logs)
            throws IOException {
        OptimizerState state = weightsOnly ? null : optimizer;
        // The bytes now, on the training thread; the zip, fsync and rename on the writer thread.
        Checkpoints.Prepared checkpoint = Checkpoints.prepare(file, new SavedTraining(Checkpoints.FORMAT_VERSION,
                model, state == null ? null : new SavedTraining.OptimizerSnapshot(state.optimizer(),
                        trainer.optimizer().toString(), state.flat(), state.iterations(), state.learningRate()),
                epoch, batch, logs.toMap(), trainer.loss().name(), trainer.metrics()));
        checkpointWrites.submit("checkpoint " + file.toAbsolutePath() + " (epoch " + (epoch + 1) + ")",
                checkpoint::write);
    }

    @Override
    public long iterations() {
        return optimizer.iterations();
    }

    @Override
    public void backupAndRestore(Path dir, int saveFreq, boolean deleteBackup) {
        checkPreparing("backupAndRestore");
        Objects.requireNonNull(dir, "dir");
        if (backup != null) {
            throw new IllegalStateException("two @BackupAndRestore in one fit (folders " + backup.dir + " and "
                    + dir + "); keep one: it backs up the whole training");
        }
        backup = new BackupRun(dir, saveFreq, deleteBackup);
        outputs.put(dir.toAbsolutePath().normalize(), "@BackupAndRestore folder");
    }

    @Override
    public void ownOutput(Path path, String what) {
        checkPreparing("ownOutput");
        outputs.putIfAbsent(Objects.requireNonNull(path, "path").toAbsolutePath().normalize(),
                Objects.requireNonNull(what, "what"));
    }

    @Override
    public boolean resuming() {
        return resuming;
    }

    private void checkPreparing(String method) {
        if (!preparing) {
            throw new IllegalStateException("FitPlan." + method + "(..) is only allowed in prepare(..), before "
                    + "training starts");
        }
    }
}
