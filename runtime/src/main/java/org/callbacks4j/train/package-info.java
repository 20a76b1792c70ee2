/**
 * The ND4J trainer: {@link org.callbacks4j.train.Trainer} (Keras's {@code compile} + {@code fit}, {@code evaluate},
 * {@code predict}), the fit settings {@link org.callbacks4j.train.Fit}, losses ({@link org.callbacks4j.train.Loss})
 * and optimizers ({@link org.callbacks4j.train.Adam}, {@link org.callbacks4j.train.Sgd},
 * {@link org.callbacks4j.train.RmsProp}), all backed by ND4J's own implementations.
 *
 * <p>For code that works with the trainer itself (checkpoints, backups): the {@link org.callbacks4j.TrainingContext}
 * a hook receives is a {@link org.callbacks4j.train.FitContext}, which exposes the
 * {@link org.callbacks4j.train.OptimizerState}; the {@link org.callbacks4j.Logs} are
 * {@link org.callbacks4j.train.SlotLogs}, to which names such as {@code learning_rate} can be added.
 */
package org.callbacks4j.train;
