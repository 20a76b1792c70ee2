package org.callbacks4j.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.train.SlotLogs;
import org.callbacks4j.model.Sequential;
import org.callbacks4j.internal.state.IncompatibleStateException;
import org.callbacks4j.internal.state.StateReader;
import org.callbacks4j.internal.state.StateWriter;
import org.callbacks4j.internal.state.Stateful;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The parts of a backup that do not depend on the trainer's loop: the configuration text, logs as state. */
final class BackupState {

    /**
     * Where a resumed fit continues: the epoch, how many of its batches are done and how many rows they held; or, when
     * {@code ended}, nowhere: a stop was requested and that epoch ended, only train end remains.
     */
    record Position(int epoch, int batchesDone, int rowsRun, boolean ended) {}

    private BackupState() {}

    /**
     * The text of {@code configuration.txt}: everything a backup's state depends on, one setting per line. Two fits
     * with the same text train identically from the same state. Not in it, because a resumed run may change them:
     * the number of epochs, {@code initialEpoch}, {@code verbose} and the progress output.
     */
    static String configuration(Trainer trainer, Sequential model, Fit fit, String data, String validationData,
            Object[] callbacks, CallbackDispatcher[] dispatchers) {
        StringBuilder text = new StringBuilder(512);
        text.append("callbacks4j backup configuration 1\n");
        // Dense layers keep the text of earlier versions ("input 64; dense 64->10 RELU HE"), so their backups resume.
        int[] shape = model.inputShape();
        text.append("model: input ").append(shape.length == 1 ? String.valueOf(shape[0])
                : shape[0] + "x" + shape[1] + "x" + shape[2]);
        for (String layer : model.layerDescriptions()) {
            text.append("; ").append(layer);
        }
        text.append('\n');
        text.append("trainer: loss ").append(trainer.loss().name()).append("; optimizer ").append(trainer.optimizer())
                .append("; metrics ").append(trainer.metrics()).append('\n');
        text.append("fit: batchSize ").append(fit.batchSize()).append("; shuffle ").append(fit.shuffle())
                .append("; seed ").append(fit.seed()).append("; validation ")
                .append(fit.validationSplit().isPresent() ? "split " + fit.validationSplit().getAsDouble()
                        : validationData != null ? "data" : "none")
                .append('\n');
        // Lines only for settings that are not the default, so that older backups read the same.
        if (fit.validationFreq() != 1) {
            text.append("fit: validationFreq ").append(fit.validationFreq()).append('\n');
        }
        if (fit.classWeightTable() != null) {
            text.append("fit: classWeight ").append(java.util.Arrays.toString(fit.classWeightTable())).append('\n');
        }
        if (fit.sampleWeightArray() != null) {
            float[] w = fit.sampleWeightArray();
            CRC32C crc = new CRC32C();
            ByteBuffer bytes = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(w);
            crc.update(bytes.array());
            text.append("fit: sampleWeight ").append(w.length).append(" rows, CRC-32C ")
                    .append(String.format("%08x", crc.getValue())).append('\n');
        }
        text.append("data: ").append(data).append('\n');
        if (validationData != null) {
            text.append("validation data: ").append(validationData).append('\n');
        }
        for (int i = 0; i < callbacks.length; i++) {
            text.append("callback ").append(i).append(": ").append(callbacks[i].getClass().getName());
            if (dispatchers[i] != callbacks[i]) {
                text.append(" via ").append(dispatchers[i].getClass().getName());
            }
            text.append('\n');
            if (dispatchers[i] instanceof Stateful s) {
                // One line each, so that a refusal names the one setting that differs.
                for (String line : s.stateConfiguration().split("\n")) {
                    text.append("  ").append(line).append('\n');
                }
            }
        }
        return text.toString();
    }

    /** The first line where {@code saved} and {@code ours} differ, as "saved X, this fit Y", or null if equal. */
    static String firstDifference(String saved, String ours) {
        if (saved.equals(ours)) {
            return null;
        }
        String[] a = saved.split("\n"); // trailing empty strings dropped: a missing line reads "(nothing)"
        String[] b = ours.split("\n");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "(nothing)";
            String y = i < b.length ? b[i] : "(nothing)";
            if (!x.equals(y)) {
                return "the backup has \"" + x + "\" where this fit has \"" + y + "\"";
            }
        }
        return "the texts differ";
    }

    /** Rows, widths and CRC-32C of the float32 values of the features and the labels. */
    static String describe(Dataset data) {
        return data.size() + " rows; features " + data.featureWidth() + " columns, CRC-32C " + checksum(data.features())
                + "; labels " + data.labelWidth() + " columns, CRC-32C " + checksum(data.labels());
    }

    /** CRC-32C of a matrix's values as little-endian float32, row by row (in chunks, so no full copy is made). */
    static String checksum(INDArray matrix) {
        CRC32C crc = new CRC32C();
        long rows = matrix.size(0);
        ByteBuffer bytes = ByteBuffer.allocate(4 * (int) Math.max(1, matrix.size(1))).order(ByteOrder.LITTLE_ENDIAN);
        for (long from = 0; from < rows; from += 4096) {
            long to = Math.min(rows, from + 4096);
            float[][] chunk = matrix.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).toFloatMatrix();
            for (float[] row : chunk) {
                bytes.clear();
                bytes.asFloatBuffer().put(row);
                crc.update(bytes.array(), 0, 4 * row.length);
            }
        }
        return String.format("%08x", crc.getValue());
    }

    /** Writes the values present in {@code logs} (names and values). */
    static void putLogs(StateWriter out, String name, SlotLogs logs) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int slot = 0; slot < logs.slotCount(); slot++) {
            if (logs.has(slot)) {
                names.add(logs.name(slot));
                values.add(logs.get(slot));
            }
        }
        out.putStrings(name + ".names", names)
                .putDoubles(name + ".values", values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Reads what {@link #putLogs} wrote, as a function that puts it into logs. */
    static LogsSnapshot readLogs(StateReader in, String name) {
        List<String> names = in.readStrings(name + ".names");
        double[] values = in.readDoubles(name + ".values");
        if (names == null || values == null || names.size() != values.length) {
            throw new IncompatibleStateException("saved logs \"" + name + "\": names and values do not match; the "
                    + "state is damaged");
        }
        return new LogsSnapshot(names, values);
    }

    /** Saved logs values, applied with {@link #applyTo}. */
    record LogsSnapshot(List<String> names, double[] values) {

        /** Makes {@code logs} hold exactly these values. */
        void applyTo(SlotLogs logs) {
            logs.clear();
            for (int i = 0; i < names.size(); i++) {
                logs.put(names.get(i), values[i]);
            }
        }
    }
}
