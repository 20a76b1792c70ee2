package org.callbacks4j.processor.model;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in policies a dispatcher builds and drives, with every annotation attribute already checked and folded
 * to a constant (the {@code Mode.AUTO} direction resolved to {@code maximize}). Repeated kinds are in run order:
 * superclasses first, then declaration order.
 *
 * @param metrics {@code @Metric} methods
 * @param schedule the {@code @LearningRateSchedule} method, if any
 * @param reduceLr {@code @ReduceLrOnPlateau}, if any
 * @param earlyStops {@code @EarlyStop}s, on the class first, then on methods
 * @param checkpoints {@code @Checkpoint}s
 * @param terminateOnNaN where {@code @TerminateOnNaN} is declared, if it is
 * @param csvLogger {@code @CsvLogger}, if any
 * @param tensorBoard {@code @TensorBoard}, if any
 * @param backupAndRestore {@code @BackupAndRestore}, if any
 */
public record PoliciesDescriptor(
        List<Metric> metrics,
        Optional<Schedule> schedule,
        Optional<ReduceLr> reduceLr,
        List<EarlyStop> earlyStops,
        List<Checkpoint> checkpoints,
        Optional<String> terminateOnNaN,
        Optional<CsvLogger> csvLogger,
        Optional<TensorBoard> tensorBoard,
        Optional<BackupAndRestore> backupAndRestore) {

    /** No policies. */
    public static final PoliciesDescriptor NONE = new PoliciesDescriptor(
            List.of(),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            List.of(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    public PoliciesDescriptor {
        metrics = List.copyOf(metrics);
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(reduceLr, "reduceLr");
        earlyStops = List.copyOf(earlyStops);
        checkpoints = List.copyOf(checkpoints);
        Objects.requireNonNull(terminateOnNaN, "terminateOnNaN");
        Objects.requireNonNull(csvLogger, "csvLogger");
        Objects.requireNonNull(tensorBoard, "tensorBoard");
        Objects.requireNonNull(backupAndRestore, "backupAndRestore");
    }

    /**
     * A {@code @Metric}. Computed from the epoch logs (the generated epoch end sets it from {@code call}), or from
     * predictions (the trainer calls {@code call} through a generated function).
     *
     * @param name the metric's name in the logs
     * @param call the user's method
     * @param fromPredictions whether {@code call} takes predictions and labels
     */
    public record Metric(String name, HookCall call, boolean fromPredictions) {
        public Metric {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(call, "call");
        }
    }

    /** A {@code @LearningRateSchedule} method. */
    public record Schedule(HookCall call, boolean verbose) {
        public Schedule {
            Objects.requireNonNull(call, "call");
        }
    }

    /** A {@code @ReduceLrOnPlateau}; {@code source} says where it is declared. */
    public record ReduceLr(
            String monitor,
            boolean maximize,
            double factor,
            int patience,
            double minDelta,
            int cooldown,
            double minLr,
            boolean verbose,
            String source) {
        public ReduceLr {
            Objects.requireNonNull(monitor, "monitor");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * An {@code @EarlyStop}: on the class ({@code monitor} present), or on a method whose value is the monitored
     * quantity ({@code method} present).
     */
    public record EarlyStop(
            Optional<String> monitor,
            Optional<HookCall> method,
            boolean maximize,
            double minDelta,
            int patience,
            double baseline,
            boolean restoreBestWeights,
            int startFromEpoch,
            boolean verbose,
            String source) {
        public EarlyStop {
            if (monitor.isPresent() == method.isPresent()) {
                throw new IllegalArgumentException("exactly one of monitor and method: " + monitor + ", " + method);
            }
            Objects.requireNonNull(source, "source");
        }
    }

    /** A {@code @Checkpoint}; {@code saveFreq} 0 saves at epoch ends, N every N batches. */
    public record Checkpoint(
            String path,
            String monitor,
            boolean maximize,
            boolean saveBestOnly,
            boolean saveWeightsOnly,
            int saveFreq,
            double initialValueThreshold,
            boolean verbose,
            String source) {
        public Checkpoint {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(monitor, "monitor");
            Objects.requireNonNull(source, "source");
        }

        public boolean savesAtBatchEnd() {
            return saveFreq > 0;
        }
    }

    /** A {@code @CsvLogger}. */
    public record CsvLogger(String path, String separator, boolean append, String source) {
        public CsvLogger {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(separator, "separator");
            Objects.requireNonNull(source, "source");
        }
    }

    /** A {@code @TensorBoard}; {@code updateFreq} 0 writes at epoch ends only, N also every N batches. */
    public record TensorBoard(String logDir, int updateFreq, String source) {
        public TensorBoard {
            Objects.requireNonNull(logDir, "logDir");
            Objects.requireNonNull(source, "source");
        }
    }

    /** A {@code @BackupAndRestore}; {@code saveFreq} 0 backs up at epoch ends, N every N batches. */
    public record BackupAndRestore(String dir, int saveFreq, boolean deleteCheckpoint, String source) {
        public BackupAndRestore {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(source, "source");
        }
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** The metrics computed from the epoch logs, which the generated epoch end sets. */
    public List<Metric> epochMetrics() {
        return metrics.stream().filter(m -> !m.fromPredictions()).toList();
    }

    /** Whether a policy reads batch logs: then the trainer must dispatch batch ends with logs. */
    public boolean readsBatchLogs() {
        return terminateOnNaN.isPresent()
                || checkpoints.stream().anyMatch(Checkpoint::savesAtBatchEnd)
                || tensorBoard.filter(t -> t.updateFreq() > 0).isPresent();
    }

    /** The dispatcher methods the policies need. */
    public Set<Hook> hooks() {
        Set<Hook> hooks = EnumSet.noneOf(Hook.class);
        if (isEmpty()) {
            return hooks;
        }
        hooks.add(Hook.TRAIN_BEGIN); // every policy's onTrainBegin
        if (schedule.isPresent() || !checkpoints.isEmpty()) {
            hooks.add(Hook.EPOCH_BEGIN);
        }
        if (readsBatchLogs()) {
            hooks.add(Hook.BATCH_END);
        }
        if (!epochMetrics().isEmpty()
                || schedule.isPresent()
                || reduceLr.isPresent()
                || !earlyStops.isEmpty()
                || !checkpoints.isEmpty()
                || csvLogger.isPresent()
                || tensorBoard.isPresent()) {
            hooks.add(Hook.EPOCH_END);
        }
        if (!earlyStops.isEmpty() || csvLogger.isPresent() || tensorBoard.isPresent()) {
            hooks.add(Hook.TRAIN_END);
        }
        return hooks;
    }
}
