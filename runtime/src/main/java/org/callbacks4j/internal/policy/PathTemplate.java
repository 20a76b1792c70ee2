package org.callbacks4j.internal.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.callbacks4j.Logs;
import org.callbacks4j.internal.io.PythonFloats;

/**
 * A checkpoint path template in the syntax of Keras's {@code ModelCheckpoint} filepath, which Keras fills with
 * Python's {@code str.format(epoch=epoch + 1, batch=batch + 1, **logs)}: parsed once, formatted by slot.
 *
 * <h2>Grammar</h2>
 * <pre>
 * template := ( literal | "{{" | "}}" | field )*
 * literal  := any character except "{" and "}"
 * field    := "{" name [ ":" spec ] "}"
 * name     := "epoch" | "batch" | metric
 * metric   := [A-Za-z_][A-Za-z0-9_]*          (a log name: loss, val_loss, accuracy, an &#64;Metric name, ...)
 * spec     := [[fill]align][sign]["0"][width]["." precision][type]
 * fill     := any character except "{" and "}"
 * align    := "&lt;" | "&gt;" | "^" | "="
 * sign     := "+" | "-" | " "
 * width    := digits, at most 100        precision := digits, at most 100
 * type     := "d" | "f" | "e" | "g" | "%" | (none)
 * </pre>
 * {@code {{} and {@code }}} stand for literal braces. {@code epoch} and {@code batch} are ints, 1-based (the first
 * epoch prints as 1, as in Keras file names); every other name is a float read from the logs. Spec semantics are
 * Python's ({@link PythonFloats.Spec}): {@code {epoch:02d}} of the 7th epoch is {@code 07}, {@code {val_loss:.4f}} of
 * 0.123456 is {@code 0.1235}, {@code {loss}} is Python's {@code str(float)}.
 *
 * <h2>Errors</h2>
 * {@link #parse} rejects, naming the template, the index (0-based) and the fix: a single <code>}</code>; a
 * <code>{</code> without its <code>}</code>; an empty or numeric name (<code>{}</code>, <code>{0}</code>: Python
 * positional fields); a name that is not an identifier; a conversion (<code>{x!r}</code>), attribute
 * (<code>{x.y}</code>) or index (<code>{x[0]}</code>); a nested field in a spec (<code>{x:{w}}</code>); a spec
 * outside the grammar (unknown type, {@code #}, {@code z}, {@code ,}, {@code _}, a {@code .} without digits, text
 * after the type); type {@code d} on a metric (metrics are floats); a precision on {@code epoch} or {@code batch}
 * with type {@code d} or no type. The annotation processor applies the same rules at compile time.
 */
public final class PathTemplate {

    private static final int EPOCH = -1;
    private static final int BATCH = -2;

    private final String template;
    /** literals[i] precedes fields[i]; literals has one more element than fields. */
    private final String[] literals;
    private final Field[] fields;
    private final List<String> metrics;
    private final boolean usesEpoch;
    private final boolean usesBatch;

    /** One replacement field: what it reads (EPOCH, BATCH or an index into metrics), how it prints. */
    private record Field(int source, PythonFloats.Spec spec, String text, int index) {}

    private PathTemplate(String template, List<String> literals, List<Field> fields, List<String> metrics) {
        this.template = template;
        this.literals = literals.toArray(new String[0]);
        this.fields = fields.toArray(new Field[0]);
        this.metrics = Collections.unmodifiableList(metrics);
        boolean epoch = false;
        boolean batch = false;
        for (Field field : this.fields) {
            epoch |= field.source == EPOCH;
            batch |= field.source == BATCH;
        }
        this.usesEpoch = epoch;
        this.usesBatch = batch;
    }

    /**
     * Parses {@code template}.
     *
     * @throws IllegalArgumentException naming the template, the index and the fix when it breaks the grammar
     */
    public static PathTemplate parse(String template) {
        if (template == null || template.isEmpty()) {
            throw new IllegalArgumentException("checkpoint path template is empty; give a file path such as "
                    + "\"checkpoints/ckpt-{epoch:02d}.zip\"");
        }
        List<String> literals = new ArrayList<>();
        List<Field> fields = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int n = template.length();
        int i = 0;
        while (i < n) {
            char c = template.charAt(i);
            if (c == '}') {
                if (i + 1 < n && template.charAt(i + 1) == '}') {
                    literal.append('}');
                    i += 2;
                    continue;
                }
                throw error(template, i, "single '}'; write '}}' for a literal brace");
            }
            if (c != '{') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < n && template.charAt(i + 1) == '{') {
                literal.append('{');
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
                throw error(template, nested, "'{' inside " + text + "; nested fields are not supported, write "
                        + "the width and precision as numbers");
            }
            String name = template.substring(i + 1, nameEnd);
            checkName(template, i + 1, name, text);
            int source;
            if (name.equals("epoch")) {
                source = EPOCH;
            } else if (name.equals("batch")) {
                source = BATCH;
            } else {
                int index = metrics.indexOf(name);
                if (index < 0) {
                    index = metrics.size();
                    metrics.add(name);
                }
                source = index;
            }
            PythonFloats.Spec spec = PythonFloats.Spec.empty();
            if (nameEnd == colon) {
                try {
                    spec = PythonFloats.Spec.parse(template.substring(colon + 1, close), source < 0, colon + 1);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("checkpoint path template \"" + template + "\", in " + text
                            + ": " + e.getMessage());
                }
            }
            literals.add(literal.toString());
            literal.setLength(0);
            fields.add(new Field(source, spec, text, i));
            i = close + 1;
        }
        literals.add(literal.toString());
        return new PathTemplate(template, literals, fields, metrics);
    }

    private static void checkName(String template, int at, String name, String text) {
        if (name.isEmpty() || name.chars().allMatch(Character::isDigit)) {
            throw error(template, at - 1, text + " is a positional field; name the value: {epoch}, {batch} or a "
                    + "metric such as {val_loss}");
        }
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c == '!') {
                throw error(template, at + k, "conversion '" + name.substring(k) + "' in " + text
                        + " is not supported; remove it");
            }
            if (c == '.' || c == '[') {
                throw error(template, at + k, "attribute or index access in " + text + " is not supported; "
                        + "values are plain numbers");
            }
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (k > 0 && c >= '0' && c <= '9');
            if (!ok) {
                throw error(template, at + k, "'" + c + "' in " + text + " cannot be part of a metric name; names "
                        + "are letters, digits and _, not starting with a digit");
            }
        }
    }

    private static IllegalArgumentException error(String template, int index, String message) {
        return new IllegalArgumentException(
                "checkpoint path template \"" + template + "\", at index " + index + ": " + message);
    }

    /** The template as written. */
    public String template() {
        return template;
    }

    /** Whether the template has an {@code {epoch}} field. */
    public boolean usesEpoch() {
        return usesEpoch;
    }

    /** Whether the template has a {@code {batch}} field. */
    public boolean usesBatch() {
        return usesBatch;
    }

    /**
     * The metric names the template reads, each once, in order of first use. Resolve them to slots once per fit,
     * in this order, for {@link #formatTo}.
     */
    public List<String> metrics() {
        return metrics;
    }

    /**
     * Appends the path for {@code epoch} and {@code batch} (both 0-based, as hooks receive them; printed 1-based).
     *
     * @param batch the 0-based batch within the epoch, or -1 for an epoch-level save
     * @param metricSlots the slots of {@link #metrics()}, in that order
     * @throws IllegalStateException if a metric has no value now, or {@code {batch}} is used with {@code batch < 0}
     */
    public void formatTo(StringBuilder out, int epoch, int batch, Logs logs, int[] metricSlots) {
        if (metricSlots.length != metrics.size()) {
            throw new IllegalArgumentException("expected " + metrics.size() + " metric slots for " + metrics
                    + ", got " + metricSlots.length);
        }
        for (int k = 0; k < fields.length; k++) {
            out.append(literals[k]);
            Field field = fields[k];
            if (field.source == EPOCH) {
                field.spec.formatTo(out, (long) epoch + 1);
            } else if (field.source == BATCH) {
                if (batch < 0) {
                    throw new IllegalStateException("Failed to format checkpoint path \"" + template + "\": "
                            + field.text + " has no value in an epoch-level save");
                }
                field.spec.formatTo(out, (long) batch + 1);
            } else {
                int slot = metricSlots[field.source];
                double value = logs.get(slot);
                String name = metrics.get(field.source);
                if (Double.isNaN(value) && !logs.has(slot)) {
                    throw new IllegalStateException("Failed to format checkpoint path \"" + template + "\": "
                            + field.text + " at index " + field.index + " has no value in epoch " + (epoch + 1)
                            + " (1-based); " + (name.startsWith("val_")
                                    ? "validation did not run in that epoch"
                                    : "the logs did not have it"));
                }
                field.spec.formatTo(out, value);
            }
        }
        out.append(literals[fields.length]);
    }

    /** The path for {@code epoch} and {@code batch}; see {@link #formatTo}. Allocates: not for per-batch use. */
    public String format(int epoch, int batch, Logs logs, int[] metricSlots) {
        StringBuilder out = new StringBuilder(template.length() + 16);
        formatTo(out, epoch, batch, logs, metricSlots);
        return out.toString();
    }

    @Override
    public String toString() {
        return template;
    }
}
