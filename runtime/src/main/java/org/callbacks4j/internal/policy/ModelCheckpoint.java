package org.callbacks4j.internal.policy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.io.AtomicFiles;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;

/**
 * Keras 3.15 {@code ModelCheckpoint}: saves the model (or only its weights) at the end of every epoch or every N
 * batches, optionally only when the monitored metric improves. Built from {@code @Checkpoint}.
 *
 * <p>Per fit: {@link #prepare} (resolves the monitor and the path's metrics, and checks that the path's folder can be
 * written: missing folders are created; a folder that cannot be written, or a path that is a folder, fails the fit
 * before the first epoch), then {@link #onEpochEnd} after every epoch, and {@link #onBatchEnd} after every batch when
 * saving every N batches (it reads batch logs). {@link #onEpochBegin} is optional: {@link #onBatchEnd} receives the
 * epoch too.
 *
 * <p>When and under which name it saves, and its messages, are Keras's (see the package documentation and
 * {@code docs/keras-differences.md}); the path template's syntax is {@link PathTemplate}'s. The file is a checkpoint
 * zip ({@code org.callbacks4j.train.Checkpoints}): model configuration, parameters and, unless
 * {@code saveWeightsOnly}, the optimizer state and the training position, so that a run can resume exactly. It is
 * written atomically: a crash during a save leaves the previous file at that path intact, never a partial one. Any
 * file name is accepted (Keras requires {@code .keras} or {@code .weights.h5}); {@code .zip} is the natural suffix.
 */
public final class ModelCheckpoint implements Policy {

    /** {@code saveFreq} value for saving at the end of every epoch (Keras {@code save_freq="epoch"}). */
    public static final int SAVE_EVERY_EPOCH = CheckpointPolicy.SAVE_EVERY_EPOCH;

    private final String template;
    private final boolean saveWeightsOnly;
    private final CheckpointPolicy decisions;

    private FitPlan plan;
    private String lastSaved;
    private int saves;

    /**
     * @param pathTemplate where to save, e.g. {@code runs/ckpt-{epoch:02d}-{val_loss:.4f}.zip} ({@link PathTemplate})
     * @param monitor the metric that decides {@code saveBestOnly}; ignored (may be empty) without it
     * @param maximize whether larger values of the monitor are better (the resolved {@code mode})
     * @param saveBestOnly whether to save only when the monitor improves on the best so far
     * @param saveWeightsOnly whether to save only the model's configuration and weights, without the optimizer state
     * @param saveFreq {@link #SAVE_EVERY_EPOCH}, or N > 0 to save every N batches
     * @param initialValueThreshold the value the first save must beat; NaN for none (Keras {@code None})
     * @param verbose Keras's {@code verbose}: {@code > 0} logs the decisions at INFO, 0 at DEBUG
     * @throws IllegalArgumentException for a malformed template, a negative {@code saveFreq}, or {@code {batch}} in
     *     the template of an epoch-level checkpoint
     */
    public ModelCheckpoint(String pathTemplate, String monitor, boolean maximize, boolean saveBestOnly,
            boolean saveWeightsOnly, int saveFreq, double initialValueThreshold, int verbose) {
        this(pathTemplate, monitor, maximize, saveBestOnly, saveWeightsOnly, saveFreq, initialValueThreshold, verbose,
                PolicyLog.slf4j(ModelCheckpoint.class));
    }

    ModelCheckpoint(String pathTemplate, String monitor, boolean maximize, boolean saveBestOnly,
            boolean saveWeightsOnly, int saveFreq, double initialValueThreshold, int verbose, PolicyLog log) {
        this.decisions = new CheckpointPolicy(pathTemplate, monitor, maximize, saveBestOnly, saveFreq,
                initialValueThreshold, verbose, log);
        this.template = pathTemplate;
        this.saveWeightsOnly = saveWeightsOnly;
    }

    /**
     * Resolves the slots of the monitor and of the path's metrics, and checks the folder the files go to.
     *
     * @throws IllegalStateException if this fit cannot produce a metric the checkpoint needs, or the folder cannot be
     *     created or written, or the path (without placeholders) is an existing folder; the message names it
     */
    @Override
    public void prepare(FitPlan plan) {
        decisions.prepare(plan);
        try {
            preflight(template);
        } catch (IOException e) {
            throw new IllegalStateException("@Checkpoint path \"" + template + "\": " + e.getMessage(), e);
        }
        plan.ownOutput(outputOf(template), template.indexOf('{') < 0 ? "@Checkpoint file" : "@Checkpoint folder");
        this.plan = Objects.requireNonNull(plan, "plan");
    }

    /**
     * Creates and checks the part of the template's folder that has no placeholder. A template without placeholders
     * is checked as a file path (it must not be a folder).
     */
    static void preflight(String template) throws IOException {
        int brace = template.indexOf('{');
        if (brace < 0) {
            AtomicFiles.checkWritable(Path.of(template), "checkpoint");
            return;
        }
        String fixed = template.substring(0, brace);
        int slash = Math.max(fixed.lastIndexOf('/'), fixed.lastIndexOf(File.separatorChar));
        Path folder = slash < 0 ? Path.of("") : Path.of(fixed.substring(0, slash + 1));
        AtomicFiles.checkWritableDirectory(folder.toAbsolutePath(), "checkpoint");
    }

    /** The path a fit writes: the file of a template without placeholders, else the folder before the first one. */
    static Path outputOf(String template) {
        int brace = template.indexOf('{');
        if (brace < 0) {
            return Path.of(template);
        }
        String fixed = template.substring(0, brace);
        int slash = Math.max(fixed.lastIndexOf('/'), fixed.lastIndexOf(File.separatorChar));
        return (slash < 0 ? Path.of("") : Path.of(fixed.substring(0, slash + 1))).toAbsolutePath();
    }

    /** Notes the epoch that batch-level saves report. */
    @Override
    public void onEpochBegin(int epoch, TrainingContext context) {
        decisions.onEpochBegin(epoch);
    }

    /** With {@code saveFreq = N > 0}: every N batches, decides and saves. */
    @Override
    public void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {
        decisions.onEpochBegin(epoch);
        String path = decisions.onBatchEnd(batch, logs);
        if (path != null) {
            save(path, epoch, batch, logs);
        }
    }

    /** With {@link #SAVE_EVERY_EPOCH}: decides and saves. */
    @Override
    public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
        String path = decisions.onEpochEnd(epoch, logs);
        if (path != null) {
            save(path, epoch, -1, logs);
        }
    }

    private void save(String path, int epoch, int batch, Logs logs) {
        if (plan == null) {
            throw new IllegalStateException("@Checkpoint was not prepared: call prepare(..) before training");
        }
        try {
            plan.saveCheckpoint(Path.of(path), saveWeightsOnly, epoch, batch, logs);
        } catch (IOException e) {
            throw new UncheckedIOException("@Checkpoint could not save epoch " + (epoch + 1) + ": " + e.getMessage(),
                    e);
        }
        lastSaved = path;
        saves++;
        decisions.onSaved(path);
    }

    @Override
    public String stateConfiguration() {
        return "ModelCheckpoint/1(" + decisions.configuration() + ", saveWeightsOnly=" + saveWeightsOnly + ")";
    }

    /** The decisions' state (best value, batch counters) and what was saved so far. */
    @Override
    public void saveState(StateWriter out) {
        decisions.saveState(out);
        out.putString("lastSaved", lastSaved).putInt("saves", saves);
    }

    @Override
    public void restoreState(StateReader in) {
        decisions.restoreState(in);
        lastSaved = in.readString("lastSaved");
        saves = in.readInt("saves");
    }

    /** The path of the last file saved (in any fit of this instance), or null. */
    public String lastSaved() {
        return lastSaved;
    }

    /** How many files this instance saved, over all its fits. */
    public int saves() {
        return saves;
    }

    /** The best monitored value so far with {@code saveBestOnly} (or the threshold); NaN if none. Kept across fits. */
    public double best() {
        return decisions.best();
    }
}
