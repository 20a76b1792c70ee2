/**
 * Internal, not API: what the trainer shares with the other internal packages and the tests: the fit's logs
 * ({@link org.callbacks4j.internal.train.SlotLogs}), the history recorder
 * ({@link org.callbacks4j.internal.train.HistoryRecorder}), the backup file format
 * ({@link org.callbacks4j.internal.train.Backups}) and the locks a fit holds on its model and output paths
 * ({@link org.callbacks4j.internal.train.FitLocks}, {@link org.callbacks4j.internal.train.OutputLock}), shared with
 * callbacks4j-dl4j's trainer; and {@link org.callbacks4j.internal.train.BoundOp}, a libnd4j op bound once to its
 * arrays, which the trainer's network runs per batch and the benchmarks' gemm bound too; and the network's small
 * per-batch computations done in Java on ND4J's memory, where libnd4j's per-call work outweighed them
 * ({@link org.callbacks4j.internal.train.HostAccuracy}, {@link org.callbacks4j.internal.train.HostSoftmax}).
 */
package org.callbacks4j.internal.train;
