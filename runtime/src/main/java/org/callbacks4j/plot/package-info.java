/**
 * Training curves: {@link org.callbacks4j.plot.HistoryPlot} draws a {@link org.callbacks4j.History} to PNG or SVG
 * with XChart, one chart per metric (training and validation series), the learning rate on its own chart, and the
 * epoch an early stop restored marked: {@code HistoryPlot.write(history, path)}.
 */
package org.callbacks4j.plot;
