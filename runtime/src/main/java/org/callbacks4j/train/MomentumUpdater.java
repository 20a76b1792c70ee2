package org.callbacks4j.train;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Classical momentum as Keras's {@code SGD(momentum=m)}: {@code v = m v - lr g}, then the parameters move by
 * {@code v}. ND4J ships only Nesterov momentum ({@code Nesterovs}), so this implements ND4J's updater interfaces
 * with in-place ops on the state view; the trainer drives it like any ND4J updater ({@code params -= update}).
 */
final class MomentumUpdater implements GradientUpdater<MomentumUpdater.Config> {

    private final Config config;
    private INDArray velocity;

    private MomentumUpdater(Config config) {
        this.config = config;
    }

    @Override
    public Config getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> state, boolean initialize) {
        INDArray v = state.get("V");
        if (v == null) {
            throw new IllegalStateException("momentum state needs the key \"V\"; got " + state.keySet());
        }
        velocity = v;
        if (initialize) {
            velocity.assign(0);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        return Map.of("V", velocity);
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (initialize) {
            viewArray.assign(0);
        }
        velocity = viewArray.reshape(gradientOrder, gradientShape);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        double lr = config.getLearningRate(iteration, epoch);
        // v = m v - lr g; the caller subtracts the update, so the update is -v.
        velocity.muli(config.momentum);
        velocity.subi(gradient.muli(lr));
        gradient.assign(velocity).negi();
    }

    /** ND4J updater configuration for {@link MomentumUpdater}. */
    static final class Config implements IUpdater {

        private static final long serialVersionUID = 1L;

        private double learningRate;
        private ISchedule schedule;
        private final double momentum;

        Config(double learningRate, double momentum) {
            this.learningRate = learningRate;
            this.momentum = momentum;
        }

        double momentum() {
            return momentum;
        }

        @Override
        public long stateSize(long numParams) {
            return numParams;
        }

        @Override
        public GradientUpdater<Config> instantiate(INDArray viewArray, boolean initializeViewArray) {
            MomentumUpdater u = new MomentumUpdater(this);
            u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
            return u;
        }

        @Override
        public GradientUpdater<Config> instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
            MomentumUpdater u = new MomentumUpdater(this);
            u.setState(updaterState, initializeStateArrays);
            return u;
        }

        @Override
        public Config clone() {
            Config c = new Config(learningRate, momentum);
            c.schedule = schedule;
            return c;
        }

        @Override
        public double getLearningRate(int iteration, int epoch) {
            return schedule != null ? schedule.valueAt(iteration, epoch) : learningRate;
        }

        @Override
        public boolean hasLearningRate() {
            return true;
        }

        @Override
        public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
            this.learningRate = lr;
            this.schedule = lrSchedule;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c
                    && c.learningRate == learningRate
                    && c.momentum == momentum
                    && Objects.equals(c.schedule, schedule);
        }

        @Override
        public int hashCode() {
            return Objects.hash(learningRate, momentum, schedule);
        }

        @Override
        public String toString() {
            return "Momentum(lr=" + learningRate + ", momentum=" + momentum + ")";
        }
    }
}
