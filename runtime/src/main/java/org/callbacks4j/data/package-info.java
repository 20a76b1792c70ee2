/**
 * Training data: {@link org.callbacks4j.data.BatchSource} and its adapters ({@link org.callbacks4j.data.Dataset} in
 * memory; {@link org.callbacks4j.data.IdxSource}, {@link org.callbacks4j.data.NpySource},
 * {@link org.callbacks4j.data.CsvSource} on files; {@link org.callbacks4j.data.IteratorSource} on an ND4J
 * {@code DataSetIterator}), the prefetching {@link org.callbacks4j.data.BatchStream} the trainer reads them through,
 * and the check every row passes before training ({@link org.callbacks4j.data.DataCheck}). See {@code docs/data.md}.
 */
package org.callbacks4j.data;
