package org.callbacks4j.processor.validation;

import static org.callbacks4j.processor.validation.PolicyChecks.notNegative;

import java.util.Locale;
import java.util.Optional;
import org.callbacks4j.processor.model.PoliciesDescriptor;

/**
 * Validates the policies that write files: {@code @CsvLogger} (path, separator), {@code @TensorBoard} (log
 * directory, {@code updateFreq}) and {@code @BackupAndRestore} (folder, {@code saveFreq}).
 */
final class FilePolicyValidator {

    private FilePolicyValidator() {}

    static Optional<PoliciesDescriptor.CsvLogger> csvLogger(Declared d, ValidationReport report) {
        Attributes a = d.attributes();
        String path = a.string("value");
        boolean ok = notEmpty(d, "file path", "runs/history.csv", report);
        String separator = a.string("separator");
        String problem = null;
        if (separator.length() != 1) {
            problem = separator.isEmpty() ? "is empty" : "is " + separator.length() + " characters long";
        } else if (separator.equals("\"")) {
            problem = "is the quote character, which CSV readers take as the start of a quoted field";
        } else if (separator.equals("\r") || separator.equals("\n")) {
            problem = "is a line break, which ends CSV rows";
        }
        if (problem != null) {
            report.valueError(
                    Message.BAD_SEPARATOR,
                    d.declaring(),
                    a.mirror(),
                    a.explicit("separator"),
                    d.display(),
                    printable(separator),
                    problem);
            ok = false;
        }
        return ok
                ? Optional.of(new PoliciesDescriptor.CsvLogger(path, separator, a.bool("append"), d.display()))
                : Optional.empty();
    }

    static Optional<PoliciesDescriptor.TensorBoard> tensorBoard(Declared d, ValidationReport report) {
        Attributes a = d.attributes();
        String logDir = a.string("value");
        boolean ok = notEmpty(d, "log directory", "runs/tb", report);
        ok &= notNegative(
                d,
                "updateFreq",
                "use TensorBoard.EPOCH to write at epoch ends only, or N >= 1 to also write every N batches",
                report);
        return ok
                ? Optional.of(new PoliciesDescriptor.TensorBoard(logDir, a.integer("updateFreq"), d.display()))
                : Optional.empty();
    }

    static Optional<PoliciesDescriptor.BackupAndRestore> backupAndRestore(Declared d, ValidationReport report) {
        Attributes a = d.attributes();
        String dir = a.string("value");
        boolean ok = notEmpty(d, "backup folder", "runs/backup", report);
        ok &= notNegative(
                d,
                "saveFreq",
                "use BackupAndRestore.EPOCH to back up at epoch ends, or N >= 1 to back up every N batches",
                report);
        return ok
                ? Optional.of(new PoliciesDescriptor.BackupAndRestore(
                        dir, a.integer("saveFreq"), a.bool("deleteCheckpoint"), d.display()))
                : Optional.empty();
    }

    /** Reports an empty {@code value} (a file or folder of the {@code what} kind); false if it is empty. */
    private static boolean notEmpty(Declared d, String what, String example, ValidationReport report) {
        Attributes a = d.attributes();
        if (!a.string("value").isEmpty()) {
            return true;
        }
        report.valueError(
                Message.EMPTY_PATH, d.declaring(), a.mirror(), a.explicit("value"), d.display(), what, example);
        return false;
    }

    /** {@code \t} and other control characters written as escapes. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '"' -> out.append("\\\"");
                default -> out.append(c < ' ' ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.toString();
    }
}
