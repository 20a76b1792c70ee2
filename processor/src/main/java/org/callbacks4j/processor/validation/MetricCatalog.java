package org.callbacks4j.processor.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * The metric names one training can produce, which a monitor or a checkpoint placeholder may name, and the direction
 * {@code Mode.AUTO} resolves each to: {@code loss} and the trainer's compiled metrics (which of them a fit compiles is
 * known only at run time, where the policies check it), the class's {@code @Metric}s, {@code learning_rate} when a
 * learning-rate policy writes it, DL4J's evaluator metrics on a class marked {@code @Dl4jMetrics}, and the
 * {@code val_} values of those that have one.
 */
final class MetricCatalog {

    /** Which way a metric improves, as declared. */
    enum Direction {
        MIN,
        MAX,
        NONE
    }

    /**
     * A metric the training produces.
     *
     * @param hasValidation whether {@code val_<name>} exists (in fits that validate)
     * @param inBatchLogs whether batch logs hold it, for checkpoints saved every N batches
     * @param origin how messages describe where it comes from
     * @param noValidationReason why {@code val_<name>} does not exist; null when it does
     * @param noValidationFix what to do instead; null when it does
     */
    record Entry(
            String name,
            Direction direction,
            boolean hasValidation,
            boolean inBatchLogs,
            String origin,
            String noValidationReason,
            String noValidationFix) {}

    /** A custom metric as the catalogue needs it. */
    record Custom(String name, Direction direction, boolean fromPredictions, String signature) {}

    /** A name that resolved; {@code direction} is its entry's. */
    record Resolved(String name, Entry entry) {}

    /**
     * Where a name was written, for errors.
     *
     * @param display how messages name the place: {@code @EarlyStop on Training}
     * @param value the attribute holding the name, or null when it was left at its default
     */
    record Site(Element element, AnnotationMirror annotation, AnnotationValue value, String display) {}

    static final String LEARNING_RATE = "learning_rate";
    private static final String VAL = "val_";

    /** Names users write for these, from Keras 2 and the long forms of Keras's metric functions. */
    private static final Map<String, String> ALIASES = Map.of(
            "acc", "accuracy",
            "lr", LEARNING_RATE,
            "mean_squared_error", "mse",
            "mean_absolute_error", "mae",
            "categorical_accuracy", "accuracy",
            "binary_accuracy", "accuracy");

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** What DL4J's evaluators add (callbacks4j-dl4j), all better when larger, on a class marked {@code @Dl4jMetrics}. */
    static final List<String> DL4J_METRICS = List.of("precision", "recall", "f1", "auc");

    MetricCatalog(List<Custom> customs, boolean learningRateLogged) {
        this(customs, learningRateLogged, false);
    }

    /** @param dl4jMetrics whether the class is marked {@code @Dl4jMetrics} (adds {@link #DL4J_METRICS}) */
    MetricCatalog(List<Custom> customs, boolean learningRateLogged, boolean dl4jMetrics) {
        add(new Entry("loss", Direction.MIN, true, true, "the training loss", null, null));
        add(new Entry("accuracy", Direction.MAX, true, true, "a compiled metric", null, null));
        add(new Entry("mse", Direction.MIN, true, true, "a compiled metric", null, null));
        add(new Entry("mae", Direction.MIN, true, true, "a compiled metric", null, null));
        if (dl4jMetrics) {
            for (String name : DL4J_METRICS) {
                add(new Entry(name, Direction.MAX, true, false, "a DL4J evaluator metric (@Dl4jMetrics)", null, null));
            }
        }
        for (Custom custom : customs) {
            String origin = "@Metric(\"" + custom.name() + "\") " + custom.signature();
            add(new Entry(
                    custom.name(),
                    custom.direction(),
                    custom.fromPredictions(),
                    false,
                    origin,
                    custom.fromPredictions() ? null : origin + " is computed from the epoch's values, not from"
                            + " predictions, so it has no validation value",
                    custom.fromPredictions() ? null : "use \"" + custom.name() + "\", or compute the metric from"
                            + " predictions, double " + custom.name() + "(INDArray predictions, INDArray labels),"
                            + " which the trainer also computes on the validation data"));
        }
        if (learningRateLogged) {
            add(new Entry(
                    LEARNING_RATE,
                    Direction.NONE,
                    false,
                    false,
                    "the learning rate",
                    "the learning rate has no validation value",
                    "use \"learning_rate\""));
        }
    }

    private void add(Entry entry) {
        entries.putIfAbsent(entry.name(), entry);
    }

    /** The built-in names a {@code @Metric} may not take. */
    static boolean isBuiltIn(String name) {
        return name.equals("loss") || name.equals("accuracy") || name.equals("mse") || name.equals("mae");
    }

    /**
     * Resolves {@code name}, reporting at {@code site} when the training cannot produce it.
     *
     * @param what how messages name the use: {@code monitor}, {@code path placeholder {x}}
     * @param batchSaveFreq the checkpoint's batch interval when the name is read from batch logs, else 0
     */
    Optional<Resolved> resolve(String name, String what, Site site, int batchSaveFreq, ValidationReport report) {
        boolean validation = name.startsWith(VAL);
        String base = validation ? name.substring(VAL.length()) : name;
        Entry entry = entries.get(base);
        if (entry == null) {
            if (base.equals(LEARNING_RATE)) {
                report.valueError(
                        Message.LEARNING_RATE_NOT_LOGGED,
                        site.element(),
                        site.annotation(),
                        site.value(),
                        site.display(),
                        what,
                        name);
            } else {
                report.valueError(
                        Message.UNKNOWN_METRIC,
                        site.element(),
                        site.annotation(),
                        site.value(),
                        site.display(),
                        what,
                        name,
                        suggestion(name).map(s -> " (did you mean \"" + s + "\"?)").orElse(""),
                        String.join(", ", names()));
            }
            return Optional.empty();
        }
        if (validation && !entry.hasValidation()) {
            report.valueError(
                    Message.NO_VALIDATION_VALUE,
                    site.element(),
                    site.annotation(),
                    site.value(),
                    site.display(),
                    what,
                    name,
                    entry.noValidationReason(),
                    entry.noValidationFix());
            return Optional.empty();
        }
        if (batchSaveFreq > 0 && (validation || !entry.inBatchLogs())) {
            report.valueError(
                    Message.NOT_IN_BATCH_LOGS,
                    site.element(),
                    site.annotation(),
                    site.value(),
                    site.display(),
                    what,
                    name,
                    batchSaveFreq,
                    batchSaveFreq);
            return Optional.empty();
        }
        return Optional.of(new Resolved(name, entry));
    }

    /** Every name the training can produce, in catalogue order, each followed by its {@code val_} name. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        for (Entry entry : entries.values()) {
            names.add(entry.name());
            if (entry.hasValidation()) {
                names.add(VAL + entry.name());
            }
        }
        return names;
    }

    /**
     * The producible name {@code name} most likely meant: a known alias ({@code acc}, {@code val_acc}), the same name
     * in other case, the nearest by edit distance (at most a third of its length, at least 1), or one it begins.
     */
    Optional<String> suggestion(String name) {
        List<String> names = names();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean validation = lower.startsWith(VAL);
        String alias = ALIASES.get(validation ? lower.substring(VAL.length()) : lower);
        if (alias != null && names.contains((validation ? VAL : "") + alias)) {
            return Optional.of((validation ? VAL : "") + alias);
        }
        String best = null;
        int bestDistance = Math.max(1, lower.length() / 3) + 1;
        for (String candidate : names) {
            int distance = editDistance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        if (lower.length() >= 3) {
            return names.stream().filter(c -> c.startsWith(lower)).findFirst();
        }
        return Optional.empty();
    }

    /** Levenshtein distance. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
