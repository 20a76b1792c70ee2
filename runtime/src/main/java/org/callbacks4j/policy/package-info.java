/**
 * The built-in policies behind {@code @EarlyStop}, {@code @ReduceLrOnPlateau}, {@code @LearningRateSchedule},
 * {@code @TerminateOnNaN} and {@code @Checkpoint}: Keras 3.15's callbacks of the same names, state machines driven by
 * the generated dispatcher. Where they differ from Keras on purpose, {@code docs/keras-differences.md} says so.
 *
 * <h2>Wiring</h2>
 * Generated code builds each policy once, from the annotation's constants (the monitor direction already resolved:
 * {@code maximize} is {@code true} or {@code false}, never "auto"; NaN stands for Keras's {@code None} in
 * {@code baseline} and {@code initialValueThreshold}), and calls it from the matching hooks:
 * <pre>{@code
 * private final EarlyStopping earlyStop = new EarlyStopping("val_loss", false, 0.0, 3, Double.NaN, true, 0, 0);
 *
 * // once per fit, before training: resolves slots, throws IllegalStateException if the fit cannot produce a monitor
 * earlyStop.prepare(logs, hasValidation);
 * onTrainBegin(context):          earlyStop.onTrainBegin(context);
 * onEpochEnd(epoch, logs, ctx):   earlyStop.onEpochEnd(epoch, logs, ctx);
 * onTrainEnd(logs, ctx):          earlyStop.onTrainEnd(ctx);          // restores the best weights
 * after fit:                      earlyStop.outcome()
 * }</pre>
 * <table>
 *   <caption>Hooks each policy needs</caption>
 *   <tr><th>policy</th><th>prepare</th><th>hooks</th></tr>
 *   <tr><td>{@link org.callbacks4j.policy.EarlyStopping}</td><td>{@code (logs, hasValidation)}</td>
 *       <td>train begin, epoch end, train end</td></tr>
 *   <tr><td>{@link org.callbacks4j.policy.ReduceLROnPlateau}</td><td>{@code (logs, hasValidation, writer)}</td>
 *       <td>train begin, epoch end</td></tr>
 *   <tr><td>{@link org.callbacks4j.policy.LearningRateScheduler}</td><td>{@code (logs, writer)}</td>
 *       <td>epoch begin (with the user's result), epoch end</td></tr>
 *   <tr><td>{@link org.callbacks4j.policy.TerminateOnNaN}</td><td>{@code (logs)}</td>
 *       <td>train begin, batch end (with batch logs)</td></tr>
 *   <tr><td>{@link org.callbacks4j.policy.CheckpointPolicy}</td><td>{@code (logs, hasValidation)}</td>
 *       <td>epoch begin, epoch end; batch end (with batch logs) when saving every N batches</td></tr>
 * </table>
 *
 * <h2>Contracts with the trainer</h2>
 * <ul>
 *   <li>{@link org.callbacks4j.Logs#slot} returns -1 for a name the fit never produces (a {@code val_} name without
 *       validation included); {@link org.callbacks4j.Logs#get(int)} is NaN when a slot has no value now.
 *   <li>The trainer's logs implement {@link org.callbacks4j.policy.LogsPresence} (proposed as
 *       {@code Logs.has(int)}), so that a NaN loss and an absent value are told apart without a lookup by name, and
 *       {@link org.callbacks4j.policy.LogsWriter} with a slot for {@code learning_rate} when a policy writes it.
 *   <li>{@link org.callbacks4j.TrainingContext#learningRate()} returns what the last
 *       {@link org.callbacks4j.TrainingContext#setLearningRate} stored (policies store float32 values).
 *   <li>{@link org.callbacks4j.model.Sequential#setParams} copies its argument: {@code EarlyStopping} reuses its
 *       snapshot buffer across fits.
 * </ul>
 *
 * <p>Messages (Keras's verbose texts, 1-based epochs) go to SLF4J loggers named after the policy classes: at INFO
 * when {@code verbose > 0}, at DEBUG otherwise; {@code TerminateOnNaN} warns at WARN.
 */
package org.callbacks4j.policy;
