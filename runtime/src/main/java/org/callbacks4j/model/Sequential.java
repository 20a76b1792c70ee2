package org.callbacks4j.model;

/** Placeholder for the contract skeleton; the runtime trainer replaces it. */
public final class Sequential {
    private Sequential() {}
}
