/**
 * The ND4J trainer: {@link org.callbacks4j.train.Trainer} (Keras's {@code compile} + {@code fit}, {@code evaluate},
 * {@code predict}), the fit settings {@link org.callbacks4j.train.Fit}, losses ({@link org.callbacks4j.train.Loss})
 * and optimizers ({@link org.callbacks4j.train.Adam}, {@link org.callbacks4j.train.Sgd},
 * {@link org.callbacks4j.train.RmsProp}), all backed by ND4J's own implementations.
 *
 * <p>{@link org.callbacks4j.train.Trainer#optimizerState} gives the {@link org.callbacks4j.train.OptimizerState} a
 * trainer keeps for a model, and {@link org.callbacks4j.train.Checkpoints} reads and writes checkpoint zips. The loop
 * itself ({@code FitRun}, {@code Network}, the Adam step, backups' bookkeeping) is package-private here; what the
 * other internal packages share with it lives in {@code org.callbacks4j.internal.train}.
 */
package org.callbacks4j.train;
