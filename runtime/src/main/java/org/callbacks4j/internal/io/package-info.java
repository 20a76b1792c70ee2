/**
 * Internal, not API. The files a fit writes: {@link org.callbacks4j.internal.io.CsvLogWriter} (Keras {@code CSVLogger}),
 * {@link org.callbacks4j.internal.io.TensorBoardWriter} (Keras {@code TensorBoard}, scalars) and
 * {@link org.callbacks4j.internal.io.AtomicFiles} (crash-safe replacement of a file at a final path, for checkpoints and
 * backups, plus the preflight checks run before the first epoch).
 *
 * <h2>Crash model</h2>
 * Streamed logs are written with one system call per epoch (per run for TensorBoard) and forced to the device
 * ({@code fdatasync}) before the call returns: a crash after epoch N leaves exactly N complete epochs, whether or not
 * {@code close()} ran. Files at a final path are replaced atomically (temporary file, force, rename, folder sync).
 *
 * <h2>Threading</h2>
 * The writers are not thread-safe and start no threads: every call happens on the training thread, and an error is
 * thrown to that caller as an {@link java.io.IOException} naming the file. Each call reads the
 * {@link org.callbacks4j.Logs} it is given only while it runs and encodes its output to bytes before writing, so the
 * writing could move to a background thread later without changing the API. {@code close()} is idempotent.
 */
package org.callbacks4j.internal.io;
