/**
 * Internal, not API: the contract between the generated {@code *_Callbacks} classes and the trainer
 * ({@link org.callbacks4j.internal.dispatch.CallbackDispatcher}, {@link org.callbacks4j.internal.dispatch.FitPlan},
 * {@link org.callbacks4j.internal.dispatch.Hooks}) and the one lookup of a class's dispatcher
 * ({@link org.callbacks4j.internal.dispatch.Dispatchers}). Public only because generated code in users' packages calls
 * it; it changes with the processor, never to be called by hand.
 */
package org.callbacks4j.internal.dispatch;
