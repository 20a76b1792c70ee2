package org.callbacks4j.internal.io;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PythonFloatsTest {

    @Test
    void matchesPythonReprForTheDocumentedExamples() {
        assertThat(PythonFloats.repr(0.1)).isEqualTo("0.1");
        assertThat(PythonFloats.repr(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(PythonFloats.repr(1e-5)).isEqualTo("1e-05");
        assertThat(PythonFloats.repr(1.5e20)).isEqualTo("1.5e+20");
        assertThat(PythonFloats.repr(Double.NaN)).isEqualTo("nan");
        assertThat(PythonFloats.repr(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(PythonFloats.repr(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(PythonFloats.repr(-0.0)).isEqualTo("-0.0");
        assertThat(PythonFloats.repr(0.0)).isEqualTo("0.0");
        assertThat(PythonFloats.repr(1.0)).isEqualTo("1.0");
        assertThat(PythonFloats.repr(1e16)).isEqualTo("1e+16");
        assertThat(PythonFloats.repr(1e15)).isEqualTo("1000000000000000.0");
        assertThat(PythonFloats.repr(1e-4)).isEqualTo("0.0001");
        assertThat(PythonFloats.repr(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(PythonFloats.repr(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
    }

    @Test
    void isShortestWhereJava17DoubleToStringIsNot() {
        // Java 17 prints these as 9.999999999999999E22, 1.9999999999999998E23, 8.409999999999999E21 and 4.9E-324
        // (JDK-4511638).
        assertThat(PythonFloats.repr(1e23)).isEqualTo("1e+23");
        assertThat(PythonFloats.repr(2e23)).isEqualTo("2e+23");
        assertThat(PythonFloats.repr(8.41e21)).isEqualTo("8.41e+21");
        assertThat(PythonFloats.repr(Double.MIN_VALUE)).isEqualTo("5e-324");
    }

    /** Every vector in python-float-repr.txt was written by CPython 3.11's repr (see python-float-repr.py). */
    @Test
    void matchesEveryVectorWrittenByCPython() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int count = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                PythonFloatsTest.class.getResourceAsStream("python-float-repr.txt"), StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                int space = line.indexOf(' ');
                double value = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, space), 16));
                String expected = line.substring(space + 1);
                String actual = PythonFloats.repr(value);
                if (!actual.equals(expected)) {
                    mismatches.add(line + " -> " + actual);
                }
                count++;
            }
        }
        assertThat(count).isGreaterThan(3000);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void readsBackAsTheSameDoubleAndIsNoLongerThanJavaForRandomBits() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(value)) {
                continue;
            }
            String repr = PythonFloats.repr(value);
            assertWithMessage("repr of %s", value).that(Double.parseDouble(repr)).isEqualTo(value);
            assertWithMessage("digits of %s vs Java's %s", repr, Double.toString(value))
                    .that(significantDigits(repr)).isAtMost(significantDigits(Double.toString(value)));
        }
    }

    private static int significantDigits(String s) {
        String mantissa = s.split("[eE]")[0].replace("-", "").replace(".", "");
        mantissa = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
        return Math.max(1, mantissa.length());
    }
}
