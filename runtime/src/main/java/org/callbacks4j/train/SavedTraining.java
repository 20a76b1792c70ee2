package org.callbacks4j.train;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.callbacks4j.model.Sequential;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The content of a checkpoint file ({@link Checkpoints}): the model with its parameters, the optimizer's state (absent
 * in a weights-only file), where training was, the metric values at that point and the trainer's settings.
 *
 * <p>To resume a run from a full checkpoint, exactly where it stopped:
 * <pre>{@code
 * SavedTraining saved = Checkpoints.load(Path.of("runs/ckpt-05.zip"));
 * Trainer trainer = Trainer.builder().loss(Loss.SOFTMAX_CROSS_ENTROPY).optimizer(Adam.lr(1e-3)).build(); // as before
 * saved.restoreOptimizer(trainer);
 * trainer.fit(saved.model(), train, Fit.epochs(20).initialEpoch(saved.initialEpoch()), new DigitsTraining());
 * }</pre>
 * With the same data, fit settings and callbacks, the resumed run continues bit for bit as the uninterrupted run
 * would have (from a checkpoint saved at an epoch end; one saved in the middle of an epoch resumes at the start of
 * that epoch, with the weights of mid-epoch). Callbacks' own state (an {@code @EarlyStop}'s patience counter, a
 * plateau's best value) is not in the file, as in Keras; to survive crashes with everything, callbacks included, and
 * resume mid-epoch exactly, use {@code @BackupAndRestore} ({@code docs/resume.md}).
 *
 * @param formatVersion the file format version ({@link Checkpoints#FORMAT_VERSION} when written by this version)
 * @param model the model, with the saved parameters (a new instance when loaded)
 * @param optimizer the optimizer's state, or null in a weights-only file
 * @param epoch the 0-based epoch in which the checkpoint was taken (the epoch that ended, for an epoch-end save)
 * @param batch the 0-based batch after which it was taken, or -1 for an epoch-end save
 * @param metrics the values in the logs when it was taken (epoch logs, or batch logs for a batch-level save)
 * @param loss the trainer's loss ({@link Loss} constant name), or null if unknown
 * @param compiledMetrics the trainer's metric names ({@code Trainer.builder().metrics(..)})
 */
public record SavedTraining(int formatVersion, Sequential model, OptimizerSnapshot optimizer, int epoch, int batch,
        Map<String, Double> metrics, String loss, List<String> compiledMetrics) {

    /** Checks the arguments and copies the collections. */
    public SavedTraining {
        Objects.requireNonNull(model, "model");
        metrics = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(metrics, "metrics")));
        compiledMetrics = List.copyOf(Objects.requireNonNull(compiledMetrics, "compiledMetrics"));
        if (batch < -1) {
            throw new IllegalArgumentException("batch " + batch + " must be -1 (epoch end) or a 0-based batch");
        }
    }

    /** Whether the file holds the optimizer's state (a full checkpoint), so that training can resume exactly. */
    public boolean hasOptimizerState() {
        return optimizer != null;
    }

    /**
     * The epoch to resume at ({@code Fit.initialEpoch}): the next epoch after an epoch-end save, the same epoch after
     * a save in the middle of an epoch.
     */
    public int initialEpoch() {
        return batch < 0 ? epoch + 1 : epoch;
    }

    /**
     * Puts the saved optimizer state (state vector, step count, learning rate) into {@code trainer}'s state for
     * {@link #model()}, so that its next {@code fit} of this model continues the saved run. The trainer must use the
     * same optimizer with the same settings (only the name and the state's size can be checked).
     *
     * @throws IllegalStateException if this is a weights-only checkpoint
     * @throws IllegalArgumentException if the trainer's optimizer is another one, or its state has another size
     */
    public void restoreOptimizer(Trainer trainer) {
        Objects.requireNonNull(trainer, "trainer");
        if (optimizer == null) {
            throw new IllegalStateException("this checkpoint holds weights only, no optimizer state; save full "
                    + "checkpoints (saveWeightsOnly = false) to resume training exactly");
        }
        if (!trainer.optimizer().name().equals(optimizer.name())) {
            throw new IllegalArgumentException("the checkpoint's optimizer is " + optimizer.name() + " ("
                    + optimizer.description() + ") but the trainer's is " + trainer.optimizer() + "; build the "
                    + "trainer with the optimizer the checkpoint was trained with");
        }
        OptimizerState state = trainer.optimizerState(model);
        state.restore(optimizer.state(), optimizer.iterations());
        if (state.learningRate() != optimizer.learningRate()) {
            state.setLearningRate(optimizer.learningRate()); // changed by a schedule or a plateau since the start
        }
    }

    /**
     * The optimizer's state in a checkpoint.
     *
     * @param name the optimizer's name ({@link Optimizer#name()}, e.g. {@code adam})
     * @param description its settings as text ({@code Adam(lr=0.001, beta1=0.9, ...)}), for messages
     * @param state the flat state vector ({@link OptimizerState#flat()}), {@code [1, n]} float32; length 0 for plain
     *     SGD
     * @param iterations the optimizer steps taken ({@link OptimizerState#iterations()})
     * @param learningRate the learning rate of the next step (it may differ from the optimizer's initial one after a
     *     schedule or a plateau reduction)
     */
    public record OptimizerSnapshot(String name, String description, INDArray state, long iterations,
            double learningRate) {

        /** Checks the arguments. */
        public OptimizerSnapshot {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(state, "state");
            if (iterations < 0) {
                throw new IllegalArgumentException("iterations " + iterations + " must be >= 0");
            }
        }
    }
}
