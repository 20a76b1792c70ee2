package org.callbacks4j.internal.policy;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The improvement test of reference section 2.3 / 13.1, row by row. */
class MonitorComparisonTest {

    @ParameterizedTest(name = "max={0} minDelta={1}: {2} vs {3} -> {4}")
    @CsvSource({
        // max,  minDelta, current, reference, improves
        "false, 0,      0.5,      1.0,      true",
        "false, 0,      1.0,      1.0,      false",   // tie
        "false, 0,      1.5,      1.0,      false",
        "true,  0,      1.5,      1.0,      true",
        "true,  0,      1.0,      1.0,      false",   // tie
        "false, 0.1,    0.95,     1.0,      false",   // gain smaller than minDelta
        "false, 0.1,    0.85,     1.0,      true",
        "false, -0.1,   0.95,     1.0,      false",   // sign of minDelta ignored
        "false, 0.5,    0.5,      1.0,      false",   // gain exactly minDelta: a tie
        "true,  0.1,    1.05,     1.0,      false",
        "true,  -0.1,   1.15,     1.0,      true",
        "false, 0,      NaN,      1.0,      false",   // NaN never improves
        "false, 0,      0.5,      NaN,      false",   // and a NaN reference is never beaten
        "true,  0,      NaN,      NaN,      false",
        "false, 0,      0.999999999, 1.0,   false",   // equal in float32
        "false, 0,      0.9999999, 1.0,     true",    // 0.99999988f < 1f
        "true,  0,      1.00000001, 1.0,    false",
        "false, 0,      -Infinity, 1.0,     true",
        "false, 0,      1.0,      Infinity, true",
        "true,  0,      Infinity, Infinity, false",
    })
    void comparesInFloat32Strictly(boolean maximize, double minDelta, double current, double reference,
            boolean improves) {
        MonitorComparison comparison = new MonitorComparison(maximize, minDelta);

        assertThat(comparison.isImprovement(current, reference)).isEqualTo(improves);
        assertThat(comparison.isImprovement(current, true, reference)).isEqualTo(improves);
    }

    @Test
    void anythingImprovesOnNoReference() {
        MonitorComparison comparison = new MonitorComparison(false, 0.1);

        assertThat(comparison.isImprovement(Double.NaN, false, 0.0)).isTrue();
        assertThat(comparison.isImprovement(5.0, false, 0.0)).isTrue();
    }

    @Test
    void minDeltaTakesTheSignOfTheDirection() {
        assertThat(new MonitorComparison(false, 2e-8).signedMinDelta()).isEqualTo(-2e-8);
        assertThat(new MonitorComparison(false, -2e-8).signedMinDelta()).isEqualTo(-2e-8);
        assertThat(new MonitorComparison(true, -2e-8).signedMinDelta()).isEqualTo(2e-8);
        assertThat(new MonitorComparison(true, 0).maximize()).isTrue();
    }
}
