package org.callbacks4j.train;

import org.callbacks4j.data.Dataset;
import org.callbacks4j.model.Sequential;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checks {@code fit} runs on its data before training, for {@code DataCheckBenchmark} to time alone. It lives in
 * the runtime's package (the benchmarks run on the class path) because the checks are internal to the trainer.
 */
public final class DataCheckAccess {

    private DataCheckAccess() {}

    /** Every check of {@code fit} on its training data: shapes, NaN and infinities, label ranges, one-hot rows. */
    public static void checkData(Trainer trainer, Dataset data, Sequential model) {
        trainer.checkData("training", data, model);
    }

    /** The exact count of NaN and infinities in {@code values} ({@code MatchCondition}, {@code notFinite}). */
    public static long countNotFinite(INDArray values) {
        return FiniteDataCheck.countNotFinite(values);
    }

    /** Only the NaN and infinity check of one array. */
    public static void checkFinite(INDArray values) {
        FiniteDataCheck.check("training", "features", values);
    }
}
