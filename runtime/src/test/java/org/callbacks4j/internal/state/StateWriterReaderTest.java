package org.callbacks4j.internal.state;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The state encoding: every kind of field comes back bit for bit; a mismatch is named; layouts are compared. */
class StateWriterReaderTest {

    /** A part with a configurable configuration and one field. */
    private record Part(String configuration, int value, int[] read) implements Stateful {

        @Override
        public void saveState(StateWriter out) {
            out.putInt("value", value);
        }

        @Override
        public void restoreState(StateReader in) {
            read[0] = in.readInt("value");
        }

        @Override
        public String stateConfiguration() {
            return configuration;
        }
    }

    @Test
    void everyKindOfFieldComesBackExactly() {
        double nanWithPayload = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
        INDArray matrix = Nd4j.createFromArray(new float[][] {{1.5f, -0f}, {Float.NaN, Float.MIN_VALUE}});
        byte[] bytes = new StateWriter()
                .putBoolean("flag", true)
                .putInt("int", -7)
                .putLong("long", Long.MIN_VALUE)
                .putDouble("nan", nanWithPayload)
                .putDouble("negativeZero", -0.0)
                .putString("text", "ünïcode\n")
                .putString("none", null)
                .putDoubles("doubles", new double[] {1e-300, Double.NEGATIVE_INFINITY})
                .putInts("ints", new int[] {1, 2, 3})
                .putLongs("longs", new long[] {Long.MAX_VALUE})
                .putBooleans("booleans", new boolean[] {true, false})
                .putStrings("strings", Arrays.asList("a", null, ""))
                .putFloats("matrix", matrix)
                .putFloats("noArray", (INDArray) null)
                .toByteArray();

        StateReader in = new StateReader(bytes, "test");
        assertThat(in.readBoolean("flag")).isTrue();
        assertThat(in.readInt("int")).isEqualTo(-7);
        assertThat(in.readLong("long")).isEqualTo(Long.MIN_VALUE);
        assertThat(Double.doubleToRawLongBits(in.readDouble("nan"))).isEqualTo(0x7ff8_0000_dead_beefL);
        assertThat(Double.doubleToRawLongBits(in.readDouble("negativeZero")))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(in.readString("text")).isEqualTo("ünïcode\n");
        assertThat(in.readString("none")).isNull();
        assertThat(in.readDoubles("doubles")).usingExactEquality().containsExactly(1e-300, Double.NEGATIVE_INFINITY)
                .inOrder();
        assertThat(in.readInts("ints")).asList().containsExactly(1, 2, 3).inOrder();
        assertThat(in.readLongs("longs")).asList().containsExactly(Long.MAX_VALUE);
        assertThat(in.readBooleans("booleans")).asList().containsExactly(true, false).inOrder();
        assertThat(in.readStrings("strings")).containsExactly("a", null, "").inOrder();
        INDArray target = Nd4j.create(DataType.FLOAT, 2, 2);
        in.readFloatsInto("matrix", target);
        for (int i = 0; i < 4; i++) {
            assertThat(Float.floatToRawIntBits(target.reshape(4).getFloat(i)))
                    .isEqualTo(Float.floatToRawIntBits(matrix.reshape(4).getFloat(i)));
        }
        assertThat(in.readFloats("noArray")).isNull();
        in.finish();
    }

    @Test
    void readingAnotherFieldThanTheNextOneNamesBoth() {
        byte[] bytes = new StateWriter().beginSection("policy", "P/1").putInt("wait", 3).endSection().toByteArray();
        StateReader in = new StateReader(bytes, "backup b.zip");
        in.beginSection("policy");
        IncompatibleStateException e = assertThrows(IncompatibleStateException.class, () -> in.readDouble("best"));
        assertThat(e).hasMessageThat()
                .isEqualTo("backup b.zip, section policy: expected double \"best\" but found int \"wait\"");
        assertThat(in.readInt("wait")).isEqualTo(3); // nothing was consumed by the failed read
        in.endSection();
        in.finish();
    }

    @Test
    void aSectionWithFieldsLeftOrOfAnotherConfigurationIsRefused() {
        byte[] bytes = new StateWriter().putSection("p", new Part("P/1(patience=3)", 5, new int[1]))
                .putInt("extra", 1).toByteArray();
        int[] read = new int[1];
        IncompatibleStateException other = assertThrows(IncompatibleStateException.class,
                () -> new StateReader(bytes, "s").readSection("p", new Part("P/1(patience=4)", 0, read)));
        assertThat(other).hasMessageThat().isEqualTo("s, section p: it was saved for P/1(patience=3), but is being "
                + "restored into P/1(patience=4)");
        assertThat(read[0]).isEqualTo(0);

        StateReader in = new StateReader(bytes, "s");
        in.readSection("p", new Part("P/1(patience=3)", 0, read));
        assertThat(read[0]).isEqualTo(5);
        IncompatibleStateException left = assertThrows(IncompatibleStateException.class, in::finish);
        assertThat(left).hasMessageThat().isEqualTo("s: there are fields after the last one read: int \"extra\"");
    }

    @Test
    void layoutsCompareNamesKindsAndConfigurationsButNotValues() {
        byte[] saved = new StateWriter().putSection("p", new Part("P/1", 5, null))
                .putDoubles("series", new double[] {1, 2, 3}).toByteArray();
        byte[] sameLayout = new StateWriter().putSection("p", new Part("P/1", 0, null))
                .putDoubles("series", new double[0]).toByteArray();
        assertThat(StateReader.layoutDifference(sameLayout, saved)).isNull();

        byte[] otherConfiguration = new StateWriter().putSection("p", new Part("P/2", 0, null))
                .putDoubles("series", null).toByteArray();
        assertThat(StateReader.layoutDifference(otherConfiguration, saved))
                .isEqualTo("at the top level: section \"p\" was saved for P/1, but is being restored into P/2");

        byte[] otherKind = new StateWriter().putSection("p", new Part("P/1", 0, null))
                .putFloats("series", (float[]) null).toByteArray();
        assertThat(StateReader.layoutDifference(otherKind, saved)).isEqualTo("at the top level: expected float[] "
                + "\"series\" but the saved state has double[] \"series\"");

        byte[] shorter = new StateWriter().putSection("p", new Part("P/1", 0, null)).toByteArray();
        assertThat(StateReader.layoutDifference(shorter, saved))
                .isEqualTo("at the top level: expected no more fields but the saved state has double[] \"series\"");
    }

    @Test
    void damagedOrForeignBytesAreReportedNotMisread() {
        byte[] bytes = new StateWriter().putDoubles("values", new double[] {1, 2, 3}).toByteArray();
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 5);
        IncompatibleStateException truncated =
                assertThrows(IncompatibleStateException.class, () -> new StateReader(cut, "s").readDoubles("values"));
        assertThat(truncated).hasMessageThat().contains("the data ends inside a field; it is damaged");

        IncompatibleStateException foreign = assertThrows(IncompatibleStateException.class,
                () -> new StateReader("PK\u0003\u0004 not state".getBytes(), "s"));
        assertThat(foreign).hasMessageThat().isEqualTo("s: not saved state (no C4JS header)");

        byte[] newer = bytes.clone();
        newer[5] = 9; // version 9
        IncompatibleStateException version =
                assertThrows(IncompatibleStateException.class, () -> new StateReader(newer, "s"));
        assertThat(version).hasMessageThat().isEqualTo("s: state encoding version 9; this callbacks4j reads version 1");
    }

    @Test
    void aFloatArrayOfAnotherLengthIsRefused() {
        byte[] bytes = new StateWriter().putFloats("params", new float[] {1, 2, 3}).toByteArray();
        INDArray target = Nd4j.create(DataType.FLOAT, 1, 4);
        IncompatibleStateException e = assertThrows(IncompatibleStateException.class,
                () -> new StateReader(bytes, "s").readFloatsInto("params", target));
        assertThat(e).hasMessageThat().isEqualTo("s: field \"params\" holds 3 values but 4 are needed here");
        assertThat(List.of(target.toFloatVector()[0])).containsExactly(0f);
    }
}
