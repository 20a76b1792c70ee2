/**
 * Keras-style training callbacks declared with annotations.
 *
 * <h2>Hooks</h2>
 * Mark methods of a training class with {@link org.callbacks4j.OnTrainBegin}, {@link org.callbacks4j.OnEpochBegin},
 * {@link org.callbacks4j.OnBatchBegin}, {@link org.callbacks4j.OnBatchEnd}, {@link org.callbacks4j.OnValidationEnd},
 * {@link org.callbacks4j.OnEpochEnd} or {@link org.callbacks4j.OnTrainEnd}. The annotation processor
 * ({@code callbacks4j-processor}) generates {@code YourClass_Callbacks}, which the trainer uses to call them directly.
 * Several methods may carry the same hook: they run in declaration order, methods inherited from a superclass first.
 *
 * <h2>Injectable parameters</h2>
 * A hook method declares any subset of these parameters, in any order; anything else is a compile error.
 * <table>
 *   <caption>The parameter menu</caption>
 *   <tr><th>declare</th><th>gets</th><th>on</th></tr>
 *   <tr><td>{@code int epoch}</td><td>the 0-based epoch (absolute, as Keras)</td>
 *       <td>epoch, batch and validation hooks</td></tr>
 *   <tr><td>{@code int batch}</td><td>the 0-based batch index within the epoch</td><td>batch hooks</td></tr>
 *   <tr><td>{@link org.callbacks4j.Logs} (any name)</td><td>the metric values</td>
 *       <td>end hooks: train end, epoch end, batch end, validation end (Keras passes empty logs to begin hooks)</td></tr>
 *   <tr><td>{@link org.callbacks4j.TrainingContext} (any name)</td>
 *       <td>stop training, read or set the learning rate, epoch counts</td><td>every hook</td></tr>
 *   <tr><td>{@link org.callbacks4j.model.Sequential} (any name)</td><td>the model being trained</td>
 *       <td>every hook</td></tr>
 * </table>
 * Two {@code int}s could not be told apart by type, so an {@code int} parameter is identified by its name: it must be
 * called {@code epoch} or {@code batch}. Any other name, a parameter declared twice, or {@code batch} on a hook that
 * is not a batch hook is a compile error that says what to write instead.
 *
 * <h2>Built-in policies</h2>
 * Keras's monitor-based callbacks and loggers are annotations; the generated class builds each once and drives it:
 * <pre>{@code
 * @EarlyStop(monitor = "val_loss", patience = 3, restoreBestWeights = true)
 * @Checkpoint(path = "runs/ckpt-{epoch:02d}-{val_loss:.4f}.zip", saveBestOnly = true)
 * @ReduceLrOnPlateau(factor = 0.5, patience = 2)
 * @TerminateOnNaN
 * @CsvLogger("runs/history.csv")
 * @TensorBoard("runs/tb")
 * public class Training {
 *     @LearningRateSchedule
 *     double warmup(int epoch, double lr) { return epoch < 5 ? 1e-3 * (epoch + 1) / 5 : lr; }
 *
 *     @Metric(value = "gap", direction = Direction.MIN)
 *     double gap(Logs logs) { return logs.get("val_loss") - logs.get("loss"); }
 *
 *     @Metric(value = "f1", direction = Direction.MAX)
 *     double f1(INDArray predictions, INDArray labels) { ... }   // also val_f1 when the fit validates
 * }
 * }</pre>
 * <table>
 *   <caption>The policy annotations</caption>
 *   <tr><th>annotation</th><th>on</th><th>Keras</th></tr>
 *   <tr><td>{@link org.callbacks4j.EarlyStop}</td><td>the class (repeatable), or a method returning {@code double}</td>
 *       <td>EarlyStopping</td></tr>
 *   <tr><td>{@link org.callbacks4j.Checkpoint}</td><td>the class (repeatable)</td><td>ModelCheckpoint</td></tr>
 *   <tr><td>{@link org.callbacks4j.ReduceLrOnPlateau}</td><td>the class</td><td>ReduceLROnPlateau</td></tr>
 *   <tr><td>{@link org.callbacks4j.LearningRateSchedule}</td><td>one method</td><td>LearningRateScheduler</td></tr>
 *   <tr><td>{@link org.callbacks4j.TerminateOnNaN}</td><td>the class</td><td>TerminateOnNaN</td></tr>
 *   <tr><td>{@link org.callbacks4j.CsvLogger}</td><td>the class</td><td>CSVLogger</td></tr>
 *   <tr><td>{@link org.callbacks4j.TensorBoard}</td><td>the class</td><td>TensorBoard (scalars)</td></tr>
 *   <tr><td>{@link org.callbacks4j.Metric}</td><td>methods returning {@code double}</td><td>a custom metric</td></tr>
 *   <tr><td>{@link org.callbacks4j.BackupAndRestore}</td><td>the class</td>
 *       <td>BackupAndRestore (crash survival, see {@code docs/resume.md})</td></tr>
 * </table>
 * Policies on a superclass apply to its subclasses too. The processor checks every attribute at compile time: a
 * {@code monitor} or checkpoint placeholder must name a metric the training produces ({@code loss}, the compiled
 * metrics {@code accuracy}, {@code mse}, {@code mae}, the class's {@link org.callbacks4j.Metric} names,
 * {@code learning_rate} when a learning-rate policy writes it, and the {@code val_} values of those that have one),
 * or the build fails with a suggestion ({@code val_los}: did you mean {@code val_loss}?);
 * {@link org.callbacks4j.Mode#AUTO} becomes the metric's declared direction, and a metric without one must be
 * monitored with {@code MIN} or {@code MAX}; ranges, path templates and method signatures are checked the same way.
 *
 * <h2>Call order</h2>
 * Within each hook, the generated code calls, in this order (several policies of one kind in declaration order,
 * superclasses first; class-level {@code @EarlyStop}s before those on methods):
 * <ul>
 *   <li>once per fit, before training: every policy's {@code prepare} (metrics, then the learning-rate policies, then
 *       the others), which rejects a fit that cannot produce a monitor, such as {@code val_loss} without validation
 *       data;
 *   <li>train begin: every policy, then the {@link org.callbacks4j.OnTrainBegin} methods;
 *   <li>epoch begin: the {@link org.callbacks4j.LearningRateSchedule} method, whose result becomes the rate for the
 *       epoch; the checkpoints; then the {@link org.callbacks4j.OnEpochBegin} methods;
 *   <li>batch end: {@link org.callbacks4j.TerminateOnNaN}, checkpoints that save every N batches, TensorBoard with an
 *       {@code updateFreq}; then the {@link org.callbacks4j.OnBatchEnd} methods;
 *   <li>epoch end: the {@link org.callbacks4j.Metric}s computed from the epoch's values; the learning-rate policies
 *       (which log {@code learning_rate}, the rate used in the epoch, before any reduction); the early stops; the
 *       checkpoints; the {@link org.callbacks4j.OnEpochEnd} methods; then the CSV logger and TensorBoard, which record
 *       everything the others added;
 *   <li>train end: the early stops (restoring the best weights), the CSV logger and TensorBoard; then the
 *       {@link org.callbacks4j.OnTrainEnd} methods.
 * </ul>
 */
package org.callbacks4j;
