/**
 * Internal, not API. The built-in policies, Keras 3.15's callbacks of the same names, each a {@link org.callbacks4j.internal.policy.Policy} driven
 * by the generated dispatcher: {@link org.callbacks4j.internal.policy.EarlyStopping} ({@code @EarlyStop}),
 * {@link org.callbacks4j.internal.policy.ReduceLROnPlateau} ({@code @ReduceLrOnPlateau}),
 * {@link org.callbacks4j.internal.policy.LearningRateScheduler} ({@code @LearningRateSchedule}),
 * {@link org.callbacks4j.internal.policy.TerminateOnNaNPolicy} ({@code @TerminateOnNaN}),
 * {@link org.callbacks4j.internal.policy.ModelCheckpoint} ({@code @Checkpoint}), {@link org.callbacks4j.internal.policy.CsvLoggerPolicy}
 * ({@code @CsvLogger}), {@link org.callbacks4j.internal.policy.TensorBoardLogger} ({@code @TensorBoard}),
 * {@link org.callbacks4j.internal.policy.BackupAndRestorePolicy} ({@code @BackupAndRestore}), and the custom
 * metrics of {@code @Metric}: {@link org.callbacks4j.internal.policy.CustomMetric} (a method of the logs) and
 * {@link org.callbacks4j.internal.policy.PredictionMetric} (a function of the predictions and labels). Where they differ from
 * Keras on purpose, {@code docs/keras-differences.md} says so.
 *
 * <h2>Wiring</h2>
 * Generated code builds each policy once, from the annotation's constants (the monitor direction already resolved:
 * {@code maximize} is {@code true} or {@code false}, never "auto"; NaN stands for Keras's {@code None} in
 * {@code baseline} and {@code initialValueThreshold}), prepares every policy once per fit, and calls only these hooks,
 * in this order within each dispatcher method:
 * <pre>{@code
 * prepare(plan):       custom metrics, then LR policies, then the others: policy.prepare(plan)
 *                      (a policy that cannot serve the fit throws here, before any training)
 * onTrainBegin(ctx):   every policy's onTrainBegin, then the user's @OnTrainBegin hooks
 * onEpochBegin(e, ctx): scheduler.onEpochBegin(e, target.schedule(e, scheduler.currentLearningRate(ctx)), ctx);
 *                      ModelCheckpoint.onEpochBegin; the user's hooks
 * onBatchEnd(e, b, logs, ctx): TerminateOnNaNPolicy, ModelCheckpoint (saveFreq > 0), TensorBoardLogger (updateFreq > 0);
 *                      the user's hooks
 * onEpochEnd(e, logs, ctx):
 *     1. metric.set(target.metric(..))               each CustomMetric (PredictionMetric needs no call)
 *     2. reduceLr.onEpochEnd / scheduler.onEpochEnd   write learning_rate
 *     3. earlyStop.onEpochEnd(e, logs, ctx)           or earlyStop.onEpochEnd(e, target.method(..), ctx)
 *     4. checkpoint.onEpochEnd
 *     5. the user's @OnEpochEnd hooks
 *     6. csvLogger.onEpochEnd, then tensorBoard.onEpochEnd
 * onTrainEnd(logs, ctx): earlyStop.onTrainEnd (restores weights), the loggers' onTrainEnd (close); the user's hooks
 * }</pre>
 * <table>
 *   <caption>Hooks each policy needs</caption>
 *   <tr><th>policy</th><th>hooks besides prepare</th></tr>
 *   <tr><td>{@link org.callbacks4j.internal.policy.EarlyStopping}</td><td>train begin, epoch end, train end</td></tr>
 *   <tr><td>{@link org.callbacks4j.internal.policy.ReduceLROnPlateau}</td><td>train begin, epoch end</td></tr>
 *   <tr><td>{@link org.callbacks4j.internal.policy.LearningRateScheduler}</td>
 *       <td>epoch begin (with the user's result), epoch end</td></tr>
 *   <tr><td>{@link org.callbacks4j.internal.policy.TerminateOnNaNPolicy}</td><td>train begin, batch end (batch logs)</td></tr>
 *   <tr><td>{@link org.callbacks4j.internal.policy.ModelCheckpoint}</td>
 *       <td>epoch begin, epoch end; batch end (batch logs) when saving every N batches</td></tr>
 *   <tr><td>{@link org.callbacks4j.internal.policy.CsvLoggerPolicy}</td><td>train begin, epoch end, train end</td></tr>
 *   <tr><td>{@link org.callbacks4j.internal.policy.TensorBoardLogger}</td>
 *       <td>train begin, epoch end, train end; batch end (batch logs) when {@code updateFreq > 0}</td></tr>
 *   <tr><td>{@link org.callbacks4j.internal.policy.CustomMetric}</td><td>{@code set(value)} first in epoch end</td></tr>
 *   <tr><td>{@link org.callbacks4j.internal.policy.PredictionMetric}</td><td>none (the trainer calls it)</td></tr>
 *   <tr><td>{@link org.callbacks4j.internal.policy.BackupAndRestorePolicy}</td><td>none (prepare hands the trainer the
 *       settings; the trainer backs up and restores)</td></tr>
 * </table>
 *
 * <h2>State ({@code @BackupAndRestore})</h2>
 * Every policy is {@link org.callbacks4j.internal.state.Stateful}. The generated dispatcher is too: its
 * {@code saveState}/{@code restoreState} write and read one section per policy, named after the policy's field, in
 * field order, and its {@code stateConfiguration()} is the constant {@code STATE_CONFIGURATION} (the class and each
 * policy's attributes). The trainer restores a backup before {@code onTrainBegin}; a policy's {@code onTrainBegin}
 * then keeps the restored state when {@link org.callbacks4j.internal.dispatch.FitPlan#resuming()} is true, and resets it
 * otherwise.
 *
 * <h2>Contracts with the trainer ({@link org.callbacks4j.internal.dispatch.FitPlan})</h2>
 * <ul>
 *   <li>{@link org.callbacks4j.Logs#slot} returns -1 for a name the fit never produces (a {@code val_} name without
 *       validation included); {@link org.callbacks4j.Logs#get(int)} is NaN when a slot has no value now, and
 *       {@link org.callbacks4j.Logs#has(int)} tells such an absent value from a NaN one.
 *   <li>Policies define the metrics they write ({@code learning_rate}, {@code @Metric} names) with
 *       {@link org.callbacks4j.internal.dispatch.FitPlan#defineMetric} and write them with
 *       {@link org.callbacks4j.internal.dispatch.FitPlan#set}; they stop training with
 *       {@link org.callbacks4j.internal.dispatch.FitPlan#stopTraining(String)} so that {@link org.callbacks4j.History} names
 *       them, and {@code @EarlyStop} reports its outcome to the History.
 *   <li>{@link org.callbacks4j.TrainingContext#learningRate()} returns what the last
 *       {@link org.callbacks4j.TrainingContext#setLearningRate} stored (policies store float32 values).
 *   <li>{@link org.callbacks4j.model.Sequential#setParams} copies its argument: {@code EarlyStopping} reuses its
 *       snapshot buffer across fits.
 * </ul>
 *
 * <p>Messages (Keras's verbose texts, 1-based epochs) go to SLF4J loggers named after the policy classes: at INFO
 * when {@code verbose > 0}, at DEBUG otherwise; {@code TerminateOnNaN} warns at WARN.
 */
package org.callbacks4j.internal.policy;
