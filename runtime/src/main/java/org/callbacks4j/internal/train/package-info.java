/**
 * Internal, not API: what the trainer shares with the other internal packages and the tests: the fit's logs
 * ({@link org.callbacks4j.internal.train.SlotLogs}), the history recorder
 * ({@link org.callbacks4j.internal.train.HistoryRecorder}) and the backup file format
 * ({@link org.callbacks4j.internal.train.Backups}).
 */
package org.callbacks4j.internal.train;
