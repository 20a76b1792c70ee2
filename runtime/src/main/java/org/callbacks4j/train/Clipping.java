package org.callbacks4j.train;

/** An optimizer's gradient clipping (Keras {@code clipnorm} or {@code clipvalue}); NaN: off. */
record Clipping(double norm, double value) {

    static final Clipping NONE = new Clipping(Double.NaN, Double.NaN);

    Clipping withNorm(String optimizer, double clipNorm) {
        check(optimizer, "clipNorm", clipNorm, value, "clipValue");
        return new Clipping(clipNorm, Double.NaN);
    }

    Clipping withValue(String optimizer, double clipValue) {
        check(optimizer, "clipValue", clipValue, norm, "clipNorm");
        return new Clipping(Double.NaN, clipValue);
    }

    private static void check(String optimizer, String what, double v, double other, String otherName) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(optimizer + " " + what + " " + v + " must be a finite number > 0; pass "
                    + "e.g. " + what + "(1.0)");
        }
        if (!Double.isNaN(other)) {
            throw new IllegalArgumentException(optimizer + " already has " + otherName + " " + other + "; Keras allows "
                    + "only one of clipnorm and clipvalue: set one of them");
        }
    }

    @Override
    public String toString() {
        return !Double.isNaN(norm) ? ", clipNorm=" + norm : !Double.isNaN(value) ? ", clipValue=" + value : "";
    }
}
