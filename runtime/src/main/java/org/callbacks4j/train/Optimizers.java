package org.callbacks4j.train;

/** Argument checks shared by the optimizers. */
final class Optimizers {

    private Optimizers() {}

    static double checkLearningRate(String optimizer, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(
                    optimizer + " learning rate " + lr + " must be a finite number >= 0; pass e.g. " + optimizer
                            + ".lr(1e-3)");
        }
        return lr;
    }

    static double checkUnit(String optimizer, String what, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(
                    optimizer + " " + what + " " + value + " is outside [0, 1); pass e.g. 0.9");
        }
        return value;
    }

    static double checkEpsilon(String optimizer, double epsilon) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException(
                    optimizer + " epsilon " + epsilon + " must be a small positive number; pass e.g. 1e-7");
        }
        return epsilon;
    }
}
