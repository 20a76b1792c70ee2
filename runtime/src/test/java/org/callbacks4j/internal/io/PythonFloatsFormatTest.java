package org.callbacks4j.internal.io;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parity with CPython 3.11: every expected string below is what {@code repr(x)} / {@code format(x, spec)} printed
 * for that value. Values are Java double literals (hex where the exact binary value matters).
 */
class PythonFloatsFormatTest {

    @ParameterizedTest(name = "repr({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
        "0.0                     | 0.0",
        "-0.0                    | -0.0",
        "1.0                     | 1.0",
        "0.1                     | 0.1",
        "0.30000000000000004     | 0.30000000000000004",
        "1.0E-4                  | 0.0001",
        "1.0E-5                  | 1e-05",
        "1.0E15                  | 1000000000000000.0",
        "1.0E16                  | 1e+16",
        "1.2345678901234568E16   | 1.2345678901234568e+16",
        "1.0E22                  | 1e+22",
        "1.0E23                  | 1e+23",
        "4.9E-324                | 5e-324",
        "1.7976931348623157E308  | 1.7976931348623157e+308",
        "0.0009999999776482583   | 0.0009999999776482583",
        "0x1.0p-30               | 9.313225746154785e-10",
        "NaN                     | nan",
        "Infinity                | inf",
        "-Infinity               | -inf",
        "-2.5                    | -2.5",
    })
    void reprMatchesPython(double value, String expected) {
        assertThat(PythonFloats.repr(value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "format({0}, ''{1}'') = ''{2}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "0.123456   | .4f      | 0.1235",
        "0.125      | .2f      | 0.12",      // half-even on the exact binary value, not half-up
        "2.675      | .2f      | 2.67",      // 2.675 is 2.67499999... in binary
        "2.5        | .0f      | 2",
        "3.5        | .0f      | 4",
        "-1.0E-4    | .2f      | -0.00",     // Python keeps the sign of a negative that rounds to zero
        "0.5        | f        | 0.500000",
        "1.0E300    | .0e      | 1e+300",
        "0.0        | e        | 0.000000e+00",
        "0.0        | .0e      | 0e+00",
        "9.9999     | .2e      | 1.00e+01",
        "12345.678  | e        | 1.234568e+04",
        "1.234E-5   | g        | 1.234e-05",
        "1.23456789E8 | g      | 1.23457e+08",
        "123456.0   | g        | 123456",
        "1000000.0  | g        | 1e+06",
        "1.0E-4     | g        | 0.0001",
        "1.0        | g        | 1",
        "-0.0       | g        | -0",
        "100.0      | .3g      | 100",
        "95.0       | .1g      | 1e+02",
        "9.9995E-5  | .4g      | 9.999e-05",
        "123.456    | .3       | 1.23e+02",
        "10.0       | .3       | 10.0",
        "100.0      | .3       | 1e+02",
        "1.0        | .3       | 1.0",
        "0.0        | .1       | 0e+00",
        "5.0        | .2       | 5.0",
        "0.00012345 | .3       | 0.000123",
        "0.1        | .1%      | 10.0%",
        "0.125      | .2%      | 12.50%",
        "0.5        | .0%      | 50%",
        "1.0        | %        | 100.000000%",
        "3.14159    | <08.2f   | 3.140000",  // '0' with an explicit align: fill 0, that align
        "3.14159    | x<08.2f  | 3.14xxxx",
        "-3.1       | 08.2f    | -0003.10",
        "1.5        | ^6       | \" 1.5  \"",
        "1.5        | ^7.2f    | \" 1.50  \"",
        "1.5        | <<5      | 1.5<<",
        "1.0        | +.1f     | +1.0",
        "1.0        | \" .1f\" | \" 1.0\"",
        "-1.0       | =+8.1f   | -    1.0",
        "1.5        | 010.2%   | 000150.00%",
        "3.14159    | >8.2f    | \"    3.14\"",
        "NaN        | 08.2f    | 00000nan",
        "NaN        | +        | +nan",
        "NaN        | %        | nan%",
        "Infinity   | e        | inf",
        "-Infinity  | 010g     | -000000inf",
        "1.0E307    | %        | inf%",       // overflows when multiplied by 100, as in Python
        "0.3        | \"\"     | 0.3",
    })
    void floatFormatMatchesPython(double value, String spec, String expected) {
        assertThat(PythonFloats.format(value, spec)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "format({0}, ''{1}'') = ''{2}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "7     | 03d    | 007",
        "12345 | 03d    | 12345",
        "-7    | 05d    | -0007",
        "7     | \"\"   | 7",
        "7     | +d     | +7",
        "7     | ^5     | \"  7  \"",
        "7     | x^5d   | xx7xx",
        "7     | =5d    | \"    7\"",
        "7     | .2f    | 7.00",      // Python converts an int to float for f, e, g and %
        "7     | e      | 7.000000e+00",
        "7     | 08.3e  | 7.000e+00",
        "7     | %      | 700.000000%",
        "7     | g      | 7",
    })
    void intFormatMatchesPython(long value, String spec, String expected) {
        assertThat(PythonFloats.format(value, spec)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}'' is rejected: {1}")
    // '"' quotes and ';' comments (JUnit 6 reads ' as a quote and a leading # as a comment, as here in "#d").
    @CsvSource(delimiter = '|', quoteCharacter = '"', commentCharacter = ';', value = {
        ".2d   | a precision (.2) is not allowed with an integer format",
        ".2    | a precision (.2) is not allowed with an integer format",
        "q     | unknown format type 'q' at index 0",
        "#d    | option '#' at index 0 is not supported",
        ",d    | grouping option ',' at index 0 is not supported",
        "5.    | '.' at index 1 needs a precision",
        "dd    | unexpected 'd' at index 1",
        "1000d | width 1000 at index 0 is larger than 100",
        "x     | unknown format type 'x'",
    })
    void badIntSpecsAreRejected(String spec, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PythonFloats.Spec.parse(spec, true));
        assertThat(e).hasMessageThat().contains(message);
    }

    @ParameterizedTest(name = "''{0}'' is rejected for a float: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "d     | format type 'd' at index 0 needs an integer",
        "03d   | format type 'd' at index 2 needs an integer",
        "z.2f  | option 'z' at index 0 is not supported",
        ".200f | precision 200 at index 1 is larger than 100",
        "E     | unknown format type 'E'",
        "s     | unknown format type 's'",
    })
    void badFloatSpecsAreRejected(String spec, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PythonFloats.Spec.parse(spec, false));
        assertThat(e).hasMessageThat().contains(message);
    }
}
