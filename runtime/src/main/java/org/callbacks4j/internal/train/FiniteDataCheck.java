package org.callbacks4j.internal.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Refuses data holding NaN or an infinity before any training: one NaN feature or label makes the loss NaN, then
 * every parameter, and the fit would go on to the end with an all-NaN model.
 *
 * <p>The check is one native sum over the array: a NaN or an infinity anywhere makes the sum NaN or infinite, so a
 * finite sum proves every value finite. ND4J's {@code MatchCondition} with {@code notFinite} answers the same
 * question exactly but costs several times a sum (BENCHMARKS.md, "Data checks before training"), so it runs only
 * when the sum is not finite: to tell real NaN or infinities from a sum that overflowed, count them and find the
 * first one to name it.
 */
public final class FiniteDataCheck {

    private FiniteDataCheck() {}

    /**
     * @param what the data's role in messages ({@code "training"}, {@code "validation"}, {@code "evaluation"})
     * @param part {@code "features"} or {@code "labels"}
     * @throws IllegalArgumentException naming the first row and column that is NaN or infinite, and the fix
     */
    public static void check(String what, String part, INDArray values) {
        if (Double.isFinite(values.sumNumber().doubleValue())) {
            return;
        }
        long count = countNotFinite(values);
        if (count == 0) {
            return;
        }
        long columns = values.size(1);
        long first = BooleanIndexing.firstIndex(values, Conditions.notFinite()).getLong(0);
        long row = first / columns;
        long column = first % columns;
        float value = values.getFloat(row, column);
        throw new IllegalArgumentException(what + " " + part + " hold " + count + " value" + (count == 1 ? "" : "s")
                + " that " + (count == 1 ? "is" : "are") + " NaN or infinite, the first at row " + row + ", column "
                + column + " (" + value + "); a NaN or infinity in the data makes the loss and then every parameter "
                + "NaN. Replace or drop " + (count == 1 ? "it" : "them") + " before fit (e.g. impute missing "
                + "values, clip overflowing ones)");
    }

    /** How many values of {@code values} are NaN or infinite: one exact native pass. */
    public static long countNotFinite(INDArray values) {
        return Nd4j.getExecutioner().exec(new MatchCondition(values, Conditions.notFinite())).getLong(0);
    }
}
