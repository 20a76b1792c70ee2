/**
 * Internal, not API. What a fit prints while it runs: {@link org.callbacks4j.internal.progress.ProgbarLogger}, Keras's progress bar, selected by
 * {@code Fit.verbose} and directed by {@code Fit.progressOutput}. The trainer drives it; it is public only so that the
 * trainer's package can reach it.
 */
package org.callbacks4j.internal.progress;
