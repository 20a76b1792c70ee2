package org.callbacks4j.policy;

/** What a policy that can stop training did in a fit: readable after {@code fit} returns. */
public interface StopOutcome {

    /** The policy, as its annotation: {@code @EarlyStop}, {@code @TerminateOnNaN}. */
    String policy();

    /** Whether this policy asked training to stop. */
    boolean stoppedTraining();

    /** The 0-based epoch in which it asked, or -1 if it did not. */
    int stoppedEpoch();
}
