package org.callbacks4j.io;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a double exactly as Python's {@code repr(float)} (and {@code str}, which is the same in Python 3), which is
 * what Keras's CSVLogger writes: the shortest decimal that reads back as the same double ({@code 0.1},
 * {@code 0.30000000000000004}), positional between 1e-4 and 1e16, else exponent form with a signed, at least two-digit
 * exponent ({@code 1e-05}, {@code 1.5e+20}); integral values keep {@code .0}; {@code nan}, {@code inf}, {@code -inf}.
 *
 * <p>Java 17's {@link Double#toString(double)} is not a substitute: it switches to {@code E} notation at other
 * thresholds and is not always shortest (it prints {@code 1e23} as {@code 9.999999999999999E22} and
 * {@link Double#MIN_VALUE} as {@code 4.9E-324}; JDK-4511638, fixed only in Java 19).
 *
 * <p>Cost: a few {@link BigDecimal} roundings per value (a binary search over 1 to 17 digits), about 2-5 microseconds
 * for metric-sized values; meant for once-per-epoch logging, not for per-batch paths. Thread-safe.
 */
public final class PythonFloats {

    private static final MathContext[] HALF_EVEN = new MathContext[18];
    private static final MathContext[] FLOOR = new MathContext[18];
    private static final MathContext[] CEILING = new MathContext[18];

    static {
        for (int p = 1; p <= 17; p++) {
            HALF_EVEN[p] = new MathContext(p, RoundingMode.HALF_EVEN);
            FLOOR[p] = new MathContext(p, RoundingMode.FLOOR);
            CEILING[p] = new MathContext(p, RoundingMode.CEILING);
        }
    }

    private PythonFloats() {}

    /** {@code repr(value)} as Python 3 writes it. */
    public static String repr(double value) {
        StringBuilder out = new StringBuilder(24);
        appendRepr(out, value);
        return out.toString();
    }

    /** Appends {@code repr(value)} to {@code out}. */
    public static void appendRepr(StringBuilder out, double value) {
        if (Double.isNaN(value)) {
            out.append("nan");
            return;
        }
        if (Double.isInfinite(value)) {
            out.append(value > 0 ? "inf" : "-inf");
            return;
        }
        // The sign bit, not "< 0", so that -0.0 prints as Python's "-0.0".
        if ((Double.doubleToRawLongBits(value) & Long.MIN_VALUE) != 0) {
            out.append('-');
            value = -value;
        }
        if (value == 0) {
            out.append("0.0");
            return;
        }
        BigDecimal shortest = shortest(value).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        // Python's decpt: value = 0.<digits> * 10^decpt.
        int decpt = digits.length() - shortest.scale();
        format(out, digits, decpt);
    }

    /**
     * The decimal with the fewest significant digits that parses back to {@code value} (positive, finite), and of those
     * the one nearest to {@code value}: what Python's dtoa mode 0 produces.
     */
    private static BigDecimal shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
        // Round-tripping is monotone in the number of digits (a p-digit decimal is also a (p+1)-digit one), and 17
        // digits always suffice, so binary-search the smallest p that works.
        int lo = 1;
        int hi = 17;
        BigDecimal best = candidate(exact, value, 17);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            BigDecimal c = candidate(exact, value, mid);
            if (c != null) {
                best = c;
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if (best == null) {
            throw new AssertionError("no 17-digit decimal reads back as " + value);
        }
        return best;
    }

    /** The p-digit decimal nearest to {@code exact} that reads back as {@code value}, or null if none does. */
    private static BigDecimal candidate(BigDecimal exact, double value, int p) {
        BigDecimal nearest = exact.round(HALF_EVEN[p]);
        if (nearest.doubleValue() == value) {
            return nearest;
        }
        // The round-trip interval contains value but can be lopsided (at powers of two), so the nearest p-digit
        // decimal may fall out on one side while its neighbour on the other side is still in.
        BigDecimal floor = exact.round(FLOOR[p]);
        BigDecimal other = floor.compareTo(nearest) == 0 ? exact.round(CEILING[p]) : floor;
        return other.doubleValue() == value ? other : null;
    }

    /** Python's {@code format_float_short} for the {@code 'r'} type. */
    private static void format(StringBuilder out, String digits, int decpt) {
        int n = digits.length();
        if (decpt <= -4 || decpt > 16) {
            out.append(digits.charAt(0));
            if (n > 1) {
                out.append('.').append(digits, 1, n);
            }
            int exp = decpt - 1;
            out.append('e').append(exp < 0 ? '-' : '+');
            int abs = Math.abs(exp);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        } else if (decpt <= 0) {
            out.append("0.");
            for (int i = decpt; i < 0; i++) {
                out.append('0');
            }
            out.append(digits);
        } else if (decpt < n) {
            out.append(digits, 0, decpt).append('.').append(digits, decpt, n);
        } else {
            out.append(digits);
            for (int i = n; i < decpt; i++) {
                out.append('0');
            }
            out.append(".0");
        }
    }
}
