package org.callbacks4j.internal.io;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's text for floats, so that files, file names and messages match what Keras writes:
 * <ul>
 *   <li>{@link #repr(double)} is Python 3's {@code repr(float)} (and {@code str}, which is the same), what Keras's
 *       CSVLogger writes: the shortest decimal that reads back as the same double ({@code 0.1},
 *       {@code 0.30000000000000004}), positional between 1e-4 and 1e16, else exponent form with a signed, at least
 *       two-digit exponent ({@code 1e-05}, {@code 1.5e+20}); integral values keep {@code .0}; {@code nan},
 *       {@code inf}, {@code -inf}, {@code -0.0}.
 *   <li>{@link Spec} and {@link #format(double, String)} are the subset of Python's format-specification
 *       mini-language that checkpoint path templates accept ({@code {val_loss:.4f}}, {@code {epoch:02d}}).
 * </ul>
 *
 * <p>Java 17's {@link Double#toString(double)} is not a substitute for {@code repr}: it switches to {@code E} notation
 * at other thresholds and is not always shortest (it prints {@code 1e23} as {@code 9.999999999999999E22} and
 * {@link Double#MIN_VALUE} as {@code 4.9E-324}; JDK-4511638, fixed only in Java 19). Nor is {@code String.format} a
 * substitute for a spec: it rounds half-up from an already rounded decimal and would print {@code 0.13} where Python
 * prints {@code format(0.125, '.2f') == '0.12'}; here digits come from the exact binary value, rounded half-to-even, as
 * CPython does.
 *
 * <p>Cost: a few {@link BigDecimal} roundings per value (about 2-5 microseconds for metric-sized values); meant for
 * once-per-epoch logging, messages and file names, not for per-batch paths. Thread-safe.
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
        // Python's decpt: value = 0.<digits> * 10^decpt. repr switches to exponent notation when the decimal point
        // would sit before the 4th leading zero or after the 16th digit (CPython format_float_short, mode 'r').
        int decpt = digits.length() - shortest.scale();
        layout(out, digits, decpt, 16, true);
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

    /**
     * Formats {@code value} as Python's {@code format(value, spec)} for a float. Parses {@code spec} on every call:
     * for repeated use parse a {@link Spec} once.
     *
     * @throws IllegalArgumentException if {@code spec} is outside the supported subset (see {@link Spec})
     */
    public static String format(double value, String spec) {
        StringBuilder out = new StringBuilder();
        Spec.parse(spec, false).formatTo(out, value);
        return out.toString();
    }

    /** Formats {@code value} as Python's {@code format(value, spec)} for an int. */
    public static String format(long value, String spec) {
        StringBuilder out = new StringBuilder();
        Spec.parse(spec, true).formatTo(out, value);
        return out.toString();
    }

    /** Python prints the sign of -0.0 but never a minus for NaN. */
    static boolean isNegative(double x) {
        return !Double.isNaN(x) && Double.doubleToRawLongBits(x) < 0;
    }

    /** {@code repr} of a positive (or +0.0) finite or infinite value, without a sign. */
    private static void appendUnsignedRepr(StringBuilder out, double abs) {
        if (Double.isInfinite(abs)) {
            out.append("inf");
        } else if (abs == 0.0) {
            out.append("0.0");
        } else {
            appendRepr(out, abs);
        }
    }

    /** CPython's {@code decpt}: the value is {@code 0.<digits> * 10^decpt}. */
    private static int decimalPoint(BigDecimal d) {
        return d.precision() - d.scale();
    }

    /**
     * Lays out significant digits (no sign, no trailing zeros unless they are significant for 'e') in fixed or
     * exponent notation, switching to exponent notation when {@code decpt <= -4 || decpt > fixedLimit}.
     */
    private static void layout(StringBuilder out, String digits, int decpt, int fixedLimit, boolean addDotZero) {
        int n = digits.length();
        if (decpt <= -4 || decpt > fixedLimit) {
            out.append(digits.charAt(0));
            if (n > 1) {
                out.append('.').append(digits, 1, n);
            }
            appendExponent(out, decpt - 1);
        } else if (decpt <= 0) {
            out.append("0.");
            for (int i = decpt; i < 0; i++) {
                out.append('0');
            }
            out.append(digits);
        } else if (decpt >= n) {
            out.append(digits);
            for (int i = n; i < decpt; i++) {
                out.append('0');
            }
            if (addDotZero) {
                out.append(".0");
            }
        } else {
            out.append(digits, 0, decpt).append('.').append(digits, decpt, n);
        }
    }

    /** Python writes at least two exponent digits: {@code e+00}, {@code e-05}, {@code e+300}. */
    private static void appendExponent(StringBuilder out, int exponent) {
        out.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        if (abs < 10) {
            out.append('0');
        }
        out.append(abs);
    }

    /**
     * A parsed Python format spec, restricted to {@code [[fill]align][sign][0][width][.precision][type]}:
     * <ul>
     *   <li>{@code fill}: any character except <code>{</code> and <code>}</code>, only before an {@code align};
     *   <li>{@code align}: {@code <} left, {@code >} right (the default), {@code ^} centre (the extra fill goes to
     *       the right), {@code =} padding between the sign and the digits;
     *   <li>{@code sign}: {@code -} only negatives (the default), {@code +} always, a space for non-negatives;
     *   <li>{@code 0}: zero padding; without an explicit fill the fill is {@code 0}, and without an explicit align the
     *       alignment is {@code =}, as Python 3.10+;
     *   <li>{@code width}, {@code precision}: decimal integers up to {@value #MAX_WIDTH} (a {@code .} needs digits);
     *   <li>{@code type}: for floats {@code f}, {@code e}, {@code g}, {@code %} or none; for ints ({@code epoch},
     *       {@code batch}) also {@code d}. An int formatted as {@code f/e/g/%} is converted to a float first.
     * </ul>
     * Defaults as Python: precision 6 for {@code f}, {@code e}, {@code g} and {@code %}; for a float with no type,
     * {@code repr} without a precision and, with one, {@code g} that keeps a {@code .0} in fixed notation and switches
     * to exponent notation from {@code exp >= precision - 1}. NaN and infinities print {@code nan} and {@code inf}
     * (padded like numbers, never with a minus on NaN). Rejected: {@code d} with a float, a precision with {@code d}
     * or with an int without a type, and everything else Python has ({@code #}, {@code z}, {@code ,}, {@code _},
     * {@code E}, {@code F}, {@code G}, {@code n}, {@code x}, {@code o}, {@code b}, {@code c}, {@code s}, nested
     * fields).
     */
    public static final class Spec {

        /** Largest accepted width or precision: a file name longer than this is a mistake, not a format. */
        public static final int MAX_WIDTH = 100;

        private static final Spec EMPTY = new Spec(' ', '>', '-', -1, -1, '\0');

        private final char fill;
        private final char align;
        private final char sign;
        private final int width;
        private final int precision;
        private final char type;

        private Spec(char fill, char align, char sign, int width, int precision, char type) {
            this.fill = fill;
            this.align = align;
            this.sign = sign;
            this.width = width;
            this.precision = precision;
            this.type = type;
        }

        /** The empty spec: {@code str(value)}. */
        public static Spec empty() {
            return EMPTY;
        }

        /**
         * Parses {@code spec} (the text after the colon) for an int value ({@code integer}) or a float value.
         *
         * @throws IllegalArgumentException naming the fault, with its index in {@code spec}
         */
        public static Spec parse(String spec, boolean integer) {
            return parse(spec, integer, 0);
        }

        /** As {@link #parse(String, boolean)}, with indices in messages shifted by {@code offset}. */
        public static Spec parse(String spec, boolean integer, int offset) {
            int n = spec.length();
            int i = 0;
            char fill = ' ';
            char align = '>';
            boolean fillGiven = false;
            boolean alignGiven = false;
            if (n >= 2 && isAlign(spec.charAt(1))) {
                fill = spec.charAt(0);
                if (fill == '{' || fill == '}') {
                    throw new IllegalArgumentException("fill character '" + fill + "' at index " + offset
                            + " is not allowed; braces cannot be fill");
                }
                align = spec.charAt(1);
                fillGiven = true;
                alignGiven = true;
                i = 2;
            } else if (n >= 1 && isAlign(spec.charAt(0))) {
                align = spec.charAt(0);
                alignGiven = true;
                i = 1;
            }
            char sign = '-';
            if (i < n && (spec.charAt(i) == '+' || spec.charAt(i) == '-' || spec.charAt(i) == ' ')) {
                sign = spec.charAt(i++);
            }
            if (i < n && (spec.charAt(i) == '#' || spec.charAt(i) == 'z')) {
                throw new IllegalArgumentException(
                        "option '" + spec.charAt(i) + "' at index " + (offset + i) + " is not supported; supported: "
                                + "[[fill]align][sign][0][width][.precision][type]");
            }
            if (i < n && spec.charAt(i) == '0') {
                if (!fillGiven) {
                    fill = '0';
                }
                if (!alignGiven) {
                    align = '=';
                }
                i++;
            }
            int start = i;
            while (i < n && isDigit(spec.charAt(i))) {
                i++;
            }
            int width = start == i ? -1 : number(spec, start, i, "width", offset);
            if (i < n && (spec.charAt(i) == ',' || spec.charAt(i) == '_')) {
                throw new IllegalArgumentException("grouping option '" + spec.charAt(i) + "' at index "
                        + (offset + i) + " is not supported");
            }
            int precision = -1;
            if (i < n && spec.charAt(i) == '.') {
                int dot = i++;
                start = i;
                while (i < n && isDigit(spec.charAt(i))) {
                    i++;
                }
                if (start == i) {
                    throw new IllegalArgumentException(
                            "'.' at index " + (offset + dot) + " needs a precision after it, e.g. .4f");
                }
                precision = number(spec, start, i, "precision", offset);
            }
            char type = '\0';
            if (i < n) {
                type = spec.charAt(i);
                if (!isType(type)) {
                    throw new IllegalArgumentException("unknown format type '" + type + "' at index "
                            + (offset + i) + "; use d (integers), f, e, g, % or none");
                }
                if (i + 1 < n) {
                    throw new IllegalArgumentException("unexpected '" + spec.substring(i + 1) + "' at index "
                            + (offset + i + 1) + " after the format type '" + type + "'");
                }
            }
            if (type == 'd' && !integer) {
                throw new IllegalArgumentException("format type 'd' at index " + (offset + n - 1) + " needs an "
                        + "integer, but metric values are floats; use .0f for no decimals");
            }
            if (integer && precision >= 0 && (type == 'd' || type == '\0')) {
                throw new IllegalArgumentException("a precision (." + precision + ") is not allowed with an integer "
                        + "format; use a width with 0 for zero padding, e.g. 03d");
            }
            if (fill == ' ' && align == '>' && sign == '-' && width < 0 && precision < 0 && type == '\0') {
                return EMPTY;
            }
            return new Spec(fill, align, sign, width, precision, type);
        }

        private static boolean isAlign(char c) {
            return c == '<' || c == '>' || c == '^' || c == '=';
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isType(char c) {
            return c == 'd' || c == 'f' || c == 'e' || c == 'g' || c == '%';
        }

        private static int number(String spec, int from, int to, String what, int offset) {
            String digits = spec.substring(from, to).replaceFirst("^0+(?=.)", "");
            if (digits.length() > 3 || Integer.parseInt(digits) > MAX_WIDTH) {
                throw new IllegalArgumentException(what + " " + spec.substring(from, to) + " at index "
                        + (offset + from) + " is larger than " + MAX_WIDTH);
            }
            return Integer.parseInt(digits);
        }

        /** Appends Python's {@code format(value, spec)} for an int. */
        public void formatTo(StringBuilder out, long value) {
            if (type != '\0' && type != 'd') {
                formatTo(out, (double) value); // Python converts int to float for f, e, g and %
                return;
            }
            int bodyStart = out.length();
            out.append(value < 0 ? -value : value);
            pad(out, bodyStart, value < 0);
        }

        /** Appends Python's {@code format(value, spec)} for a float. */
        public void formatTo(StringBuilder out, double value) {
            boolean negative = isNegative(value);
            int bodyStart = out.length();
            double abs = Math.abs(value);
            if (type == '%') {
                abs *= 100.0; // in double, as CPython does before formatting with 'f'
            }
            if (Double.isNaN(value)) {
                out.append("nan");
            } else if (Double.isInfinite(abs)) { // also a huge value times 100 for '%', as in Python
                out.append("inf");
            } else {
                switch (type) {
                    case 'f', '%' -> fixed(out, abs, precision < 0 ? 6 : precision);
                    case 'e' -> exponent(out, abs, precision < 0 ? 6 : precision);
                    case 'g' -> general(out, abs, precision < 0 ? 6 : Math.max(precision, 1), false);
                    default -> {
                        if (precision < 0) {
                            appendUnsignedRepr(out, abs);
                        } else {
                            general(out, abs, Math.max(precision, 1), true);
                        }
                    }
                }
            }
            if (type == '%') {
                out.append('%');
            }
            pad(out, bodyStart, negative);
        }

        private static void fixed(StringBuilder out, double abs, int precision) {
            out.append(new BigDecimal(abs).setScale(precision, RoundingMode.HALF_EVEN).toPlainString());
        }

        private static void exponent(StringBuilder out, double abs, int precision) {
            if (abs == 0.0) {
                out.append('0');
                if (precision > 0) {
                    out.append('.');
                    out.append("0".repeat(precision));
                }
                appendExponent(out, 0);
                return;
            }
            BigDecimal d = new BigDecimal(abs).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
            String digits = d.unscaledValue().toString();
            int exp = decimalPoint(d) - 1;
            out.append(digits.charAt(0));
            if (precision > 0) {
                out.append('.');
                out.append(digits, 1, Math.min(digits.length(), precision + 1));
                for (int k = digits.length(); k < precision + 1; k++) {
                    out.append('0');
                }
            }
            appendExponent(out, exp);
        }

        /**
         * Python's 'g' (and the no-type form with a precision, {@code dotZero}): {@code precision} significant digits,
         * trailing zeros dropped, exponent notation when {@code decpt <= -4} or beyond the precision.
         */
        private static void general(StringBuilder out, double abs, int precision, boolean dotZero) {
            String digits;
            int decpt;
            if (abs == 0.0) {
                digits = "0";
                decpt = 1;
            } else {
                BigDecimal d = new BigDecimal(abs)
                        .round(new MathContext(precision, RoundingMode.HALF_EVEN))
                        .stripTrailingZeros();
                digits = d.unscaledValue().toString();
                decpt = decimalPoint(d);
            }
            layout(out, digits, decpt, dotZero ? precision - 1 : precision, dotZero);
        }

        /** Adds the sign to the body at {@code bodyStart..end} and pads it to the width. */
        private void pad(StringBuilder out, int bodyStart, boolean negative) {
            String signText = negative ? "-" : sign == '+' ? "+" : sign == ' ' ? " " : "";
            int length = signText.length() + out.length() - bodyStart;
            int padding = Math.max(0, width - length);
            int left;
            int middle = 0;
            switch (align) {
                case '<' -> left = 0;
                case '^' -> left = padding / 2;
                case '=' -> {
                    left = 0;
                    middle = padding;
                }
                default -> left = padding;
            }
            int right = padding - left - middle;
            StringBuilder prefix = new StringBuilder(left + signText.length() + middle);
            for (int k = 0; k < left; k++) {
                prefix.append(fill);
            }
            prefix.append(signText);
            for (int k = 0; k < middle; k++) {
                prefix.append(fill);
            }
            out.insert(bodyStart, prefix);
            for (int k = 0; k < right; k++) {
                out.append(fill);
            }
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            if (fill != ' ' || align != '>') {
                s.append(fill).append(align);
            }
            if (sign != '-') {
                s.append(sign);
            }
            if (width >= 0) {
                s.append(width);
            }
            if (precision >= 0) {
                s.append('.').append(precision);
            }
            if (type != '\0') {
                s.append(type);
            }
            return s.toString();
        }
    }
}
