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
 */
package org.callbacks4j;
