package org.callbacks4j;

/** The direction in which a {@link Metric} improves, used to resolve {@link Mode#AUTO}. */
public enum Direction {
    /** Lower is better (a loss, an error). */
    MIN,
    /** Higher is better (an accuracy, a score). */
    MAX,
    /** Not declared: monitoring this metric needs an explicit {@link Mode#MIN} or {@link Mode#MAX}. */
    NONE
}
