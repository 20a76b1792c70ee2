/**
 * Internal, not API: the state of policies, writers and the history recorder saved in backups
 * ({@link org.callbacks4j.internal.state.Stateful}, written with {@link org.callbacks4j.internal.state.StateWriter},
 * read back with {@link org.callbacks4j.internal.state.StateReader}).
 */
package org.callbacks4j.internal.state;
