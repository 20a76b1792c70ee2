package org.callbacks4j.processor.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The grammar of {@code @Checkpoint} path templates, checked at compile time. It is the runtime's
 * ({@code org.callbacks4j.internal.policy.PathTemplate} and {@code org.callbacks4j.internal.io.PythonFloats.Spec}, whose Javadoc is the
 * reference), written
 * again here because the processor does not depend on the runtime; a test holds the two to the same verdicts.
 *
 * <pre>
 * template := ( literal | "{{" | "}}" | field )*
 * field    := "{" name [ ":" spec ] "}"
 * name     := "epoch" | "batch" | [A-Za-z_][A-Za-z0-9_]*
 * spec     := [[fill]align][sign]["0"][width]["." precision][type]     (width, precision &lt;= 100)
 * type     := "d" (epoch and batch only) | "f" | "e" | "g" | "%" | (none)
 * </pre>
 * A precision is not allowed on {@code epoch} or {@code batch} with type {@code d} or no type. Which names the
 * training produces is not this class's business.
 */
public final class PathTemplateSyntax {

    /** Largest width or precision, as the runtime's {@code PythonFormat.Spec.MAX_WIDTH}. */
    static final int MAX_WIDTH = 100;

    /**
     * One replacement field.
     *
     * @param name {@code epoch}, {@code batch} or a metric name
     * @param text the field as written, braces included
     */
    public record Field(String name, String text) {}

    /** The fields of a template that follows the grammar, or why it does not. */
    public record Parsed(List<Field> fields, Optional<String> error) {

        public Parsed {
            fields = List.copyOf(fields);
        }

        public boolean isValid() {
            return error.isEmpty();
        }
    }

    private PathTemplateSyntax() {}

    /** Parses {@code template}; an error names the index (0-based) and the fix. */
    public static Parsed parse(String template) {
        List<Field> fields = new ArrayList<>();
        try {
            scan(template, fields);
            return new Parsed(fields, Optional.empty());
        } catch (SyntaxError e) {
            return new Parsed(List.of(), Optional.of(e.getMessage()));
        }
    }

    private static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    private static void scan(String template, List<Field> fields) throws SyntaxError {
        int n = template.length();
        int i = 0;
        while (i < n) {
            char c = template.charAt(i);
            if (c == '}') {
                if (i + 1 < n && template.charAt(i + 1) == '}') {
                    i += 2;
                    continue;
                }
                throw error(template, i, "single '}'; write '}}' for a literal brace");
            }
            if (c != '{') {
                i++;
                continue;
            }
            if (i + 1 < n && template.charAt(i + 1) == '{') {
                i += 2;
                continue;
            }
            int close = template.indexOf('}', i + 1);
            if (close < 0) {
                throw error(template, i, "'{' without a closing '}'; write '{{' for a literal brace");
            }
            String text = template.substring(i, close + 1);
            int colon = template.indexOf(':', i + 1);
            int nameEnd = colon >= 0 && colon < close ? colon : close;
            int nested = template.indexOf('{', i + 1);
            if (nested >= 0 && nested < close) {
                throw error(template, nested, "'{' inside " + text + "; nested fields are not supported, write the"
                        + " width and precision as numbers");
            }
            String name = template.substring(i + 1, nameEnd);
            checkName(template, i + 1, name, text);
            if (nameEnd == colon) {
                String problem = specProblem(
                        template.substring(colon + 1, close), name.equals("epoch") || name.equals("batch"), colon + 1);
                if (problem != null) {
                    throw new SyntaxError("path \"" + template + "\", in " + text + ": " + problem);
                }
            }
            fields.add(new Field(name, text));
            i = close + 1;
        }
    }

    private static void checkName(String template, int at, String name, String text) throws SyntaxError {
        if (name.isEmpty() || name.chars().allMatch(Character::isDigit)) {
            throw error(template, at - 1, text + " is a positional field; name the value: {epoch}, {batch} or a"
                    + " metric such as {val_loss}");
        }
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c == '!') {
                throw error(template, at + k, "conversion '" + name.substring(k) + "' in " + text
                        + " is not supported; remove it");
            }
            if (c == '.' || c == '[') {
                throw error(template, at + k, "attribute or index access in " + text + " is not supported; values"
                        + " are plain numbers");
            }
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (k > 0 && c >= '0' && c <= '9');
            if (!ok) {
                throw error(template, at + k, "'" + c + "' in " + text + " cannot be part of a metric name; names"
                        + " are letters, digits and _, not starting with a digit");
            }
        }
    }

    /** What is wrong with a format spec, or null; indices are shifted by {@code offset}. */
    private static String specProblem(String spec, boolean integer, int offset) {
        int n = spec.length();
        int i = 0;
        if (n >= 2 && isAlign(spec.charAt(1))) {
            char fill = spec.charAt(0);
            if (fill == '{' || fill == '}') {
                return "fill character '" + fill + "' at index " + offset + " is not allowed; braces cannot be fill";
            }
            i = 2;
        } else if (n >= 1 && isAlign(spec.charAt(0))) {
            i = 1;
        }
        if (i < n && (spec.charAt(i) == '+' || spec.charAt(i) == '-' || spec.charAt(i) == ' ')) {
            i++;
        }
        if (i < n && (spec.charAt(i) == '#' || spec.charAt(i) == 'z')) {
            return "option '" + spec.charAt(i) + "' at index " + (offset + i) + " is not supported; supported:"
                    + " [[fill]align][sign][0][width][.precision][type]";
        }
        if (i < n && spec.charAt(i) == '0') {
            i++;
        }
        int start = i;
        while (i < n && isDigit(spec.charAt(i))) {
            i++;
        }
        if (start != i && tooLarge(spec, start, i)) {
            return "width " + spec.substring(start, i) + " at index " + (offset + start) + " is larger than "
                    + MAX_WIDTH;
        }
        if (i < n && (spec.charAt(i) == ',' || spec.charAt(i) == '_')) {
            return "grouping option '" + spec.charAt(i) + "' at index " + (offset + i) + " is not supported";
        }
        boolean precision = false;
        if (i < n && spec.charAt(i) == '.') {
            int dot = i++;
            start = i;
            while (i < n && isDigit(spec.charAt(i))) {
                i++;
            }
            if (start == i) {
                return "'.' at index " + (offset + dot) + " needs a precision after it, e.g. .4f";
            }
            if (tooLarge(spec, start, i)) {
                return "precision " + spec.substring(start, i) + " at index " + (offset + start) + " is larger than "
                        + MAX_WIDTH;
            }
            precision = true;
        }
        char type = '\0';
        if (i < n) {
            type = spec.charAt(i);
            if ("dfeg%".indexOf(type) < 0) {
                return "unknown format type '" + type + "' at index " + (offset + i) + "; use d (integers), f, e, g,"
                        + " % or none";
            }
            if (i + 1 < n) {
                return "unexpected '" + spec.substring(i + 1) + "' at index " + (offset + i + 1) + " after the format"
                        + " type '" + type + "'";
            }
        }
        if (type == 'd' && !integer) {
            return "format type 'd' at index " + (offset + n - 1) + " needs an integer, but metric values are floats;"
                    + " use .0f for no decimals";
        }
        if (integer && precision && (type == 'd' || type == '\0')) {
            return "a precision is not allowed with an integer format; use a width with 0 for zero padding, e.g. 03d";
        }
        return null;
    }

    private static boolean isAlign(char c) {
        return c == '<' || c == '>' || c == '^' || c == '=';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean tooLarge(String spec, int from, int to) {
        String digits = spec.substring(from, to).replaceFirst("^0+(?=.)", "");
        return digits.length() > 3 || Integer.parseInt(digits) > MAX_WIDTH;
    }

    private static SyntaxError error(String template, int index, String message) {
        return new SyntaxError("path \"" + template + "\", at index " + index + ": " + message);
    }
}
