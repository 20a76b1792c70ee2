package org.callbacks4j.dl4j;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A {@link SameDiff} graph with a {@link TrainingConfig}, as the fit needs it. An epoch is one
 * {@code sd.fit(iterator, 1, listener)}: SameDiff's own loop ({@code TrainingSession}), its updaters and the graph's
 * listeners; the one listener added for the call only records each step's loss ({@code iterationDone}), which runs
 * inside the step, so the fit's batch-end work stays in the iterator wrapper's {@code hasNext()}, after SameDiff has
 * applied the update and advanced its iteration counter.
 *
 * <p>A graph has no flat parameter vector: the parameters are the trainable variables (type {@code VARIABLE},
 * floating point, the ones SameDiff trains) in name order, copied out into one vector and written back variable by
 * variable; the updater state is every variable's {@link GradientUpdater} state arrays
 * ({@code sd.getUpdaterMap()}), in variable and key order. SameDiff creates the updaters only at the first training
 * step ({@code initializeTraining}, protected); the fit calls it once, by reflection, before training, so that a
 * backup taken before the first step holds the updater state and a resumed fit can restore it before its first
 * step. It is what SameDiff's first step would do (zeroed state arrays), only earlier.
 */
final class SameDiffNetwork extends Dl4jNetwork {

    private final SameDiff sd;
    private final String output;
    private final String features;
    private final String labels;
    /** The trainable variables in name order. */
    private final List<SDVariable> trainable;
    private final DataType paramType;
    private final LossListener losses = new LossListener();

    SameDiffNetwork(SameDiff sd, String output) {
        this.sd = sd;
        this.output = output;
        TrainingConfig config = sd.getTrainingConfig();
        if (config == null) {
            throw new IllegalArgumentException("the SameDiff graph has no TrainingConfig; set one with "
                    + "sd.setTrainingConfig(TrainingConfig.builder().updater(..).dataSetFeatureMapping(..)"
                    + ".dataSetLabelMapping(..).build())");
        }
        List<String> featureMapping = config.getDataSetFeatureMapping();
        List<String> labelMapping = config.getDataSetLabelMapping();
        if (featureMapping == null || featureMapping.size() != 1 || labelMapping == null
                || labelMapping.size() != 1) {
            throw new IllegalArgumentException("the SameDiff graph's TrainingConfig maps " + featureMapping
                    + " to features and " + labelMapping + " to labels; a DataSetIterator gives one features array "
                    + "and one labels array: map one placeholder to each");
        }
        if (nonEmpty(config.getDataSetFeatureMaskMapping()) || nonEmpty(config.getDataSetLabelMaskMapping())) {
            throw new IllegalArgumentException("the SameDiff graph's TrainingConfig maps masks ("
                    + config.getDataSetFeatureMaskMapping() + ", " + config.getDataSetLabelMaskMapping() + "); "
                    + "Dl4jTrainer fits SameDiff graphs without masks: remove the mask mappings");
        }
        this.features = featureMapping.get(0);
        this.labels = labelMapping.get(0);
        if (output == null || !sd.hasVariable(output)) {
            List<String> names = new ArrayList<>();
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.ARRAY) {
                    names.add(v.name());
                }
            }
            throw new IllegalArgumentException("output variable \"" + output + "\" is not a variable of the SameDiff "
                    + "graph; pass the name of the network's prediction (e.g. its softmax), one of " + names);
        }
        if (sd.getLossVariables() == null || sd.getLossVariables().isEmpty()) {
            throw new IllegalArgumentException("the SameDiff graph has no loss variable; mark one with "
                    + "sd.setLossVariables(..) (SameDiff's sd.loss.* ops mark theirs)");
        }
        TreeMap<String, SDVariable> byName = new TreeMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && v.dataType().isFPType()) {
                byName.put(v.name(), v);
            }
        }
        if (byName.isEmpty()) {
            throw new IllegalArgumentException("the SameDiff graph has no trainable variable (sd.var(..)); nothing to "
                    + "fit");
        }
        this.trainable = List.copyOf(byName.values());
        DataType type = trainable.get(0).dataType();
        for (SDVariable v : trainable) {
            if (v.dataType() != type) {
                type = DataType.DOUBLE; // mixed precisions: exact in double
            }
        }
        this.paramType = type;
        initializeUpdaters();
    }

    private static boolean nonEmpty(List<String> list) {
        return list != null && !list.isEmpty();
    }

    /** SameDiff's {@code initializeTraining()}: creates the updaters (zeroed state) if no step has yet. */
    private void initializeUpdaters() {
        if (sd.isInitializedTraining()) {
            return;
        }
        try {
            Method initialize = SameDiff.class.getDeclaredMethod("initializeTraining");
            initialize.setAccessible(true);
            initialize.invoke(sd);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot create the SameDiff graph's updaters before training "
                    + "(SameDiff.initializeTraining() of nd4j-api 1.0.0-M2.1): " + e + "; use nd4j-api 1.0.0-M2.1",
                    e);
        }
    }

    @Override
    SameDiff model() {
        return sd;
    }

    @Override
    String inUseMessage() {
        return "this SameDiff graph is being trained by another fit (in another thread); one fit at a time per "
                + "graph: wait for it to end, or train a copy (sd.dup())";
    }

    @Override
    void fitEpoch(DataSetIterator iterator) {
        if (!iterator.hasNext()) {
            // A resumed epoch whose batches were all done: SameDiff cannot run an epoch of no step (its epoch-end
            // loss would be of no step), so only its epoch counter advances, as its epoch would have.
            sd.getTrainingConfig().incrementEpochCount();
            return;
        }
        requestLoss();
        try {
            sd.fit(iterator, 1, losses);
        } finally {
            releaseLoss();
        }
    }

    private Map<String, List<IEvaluation>> userEvaluations;
    private Map<String, Integer> userEvaluationLabels;
    private boolean lossRequested;

    /**
     * Makes SameDiff's training step compute the loss variables. SameDiff 1.0.0-M2.1's step computes only what the
     * gradients need, and the loss ops' outputs are not among them (the loss gradient starts from ones), so the
     * {@code Loss} it hands listeners is 0 for a graph like {@code sd.loss.softmaxCrossEntropy}. A step computes the
     * variables of the TrainingConfig's training evaluations too: the fit adds each loss variable there with no
     * evaluation, for its own epochs only (the user's maps are put back after, and are not modified). The forward
     * and backward ops, and so the parameters, are the same.
     */
    private void requestLoss() {
        TrainingConfig config = sd.getTrainingConfig();
        userEvaluations = config.getTrainEvaluations();
        userEvaluationLabels = config.getTrainEvaluationLabels();
        Map<String, List<IEvaluation>> evaluations = userEvaluations == null ? new HashMap<>()
                : new HashMap<>(userEvaluations);
        Map<String, Integer> labelIndices = userEvaluationLabels == null ? new HashMap<>()
                : new HashMap<>(userEvaluationLabels);
        for (String loss : sd.getLossVariables()) {
            if (!evaluations.containsKey(loss)) {
                evaluations.put(loss, List.of());
                labelIndices.put(loss, 0);
            }
        }
        config.setTrainEvaluations(evaluations);
        config.setTrainEvaluationLabels(labelIndices);
        lossRequested = true;
    }

    /** Puts the user's training evaluations back (also before a save, so that files hold the user's). */
    private void releaseLoss() {
        if (lossRequested) {
            TrainingConfig config = sd.getTrainingConfig();
            config.setTrainEvaluations(userEvaluations);
            config.setTrainEvaluationLabels(userEvaluationLabels);
            lossRequested = false;
        }
    }

    @Override
    double score() {
        return losses.last;
    }

    @Override
    double score(DataSet batch) {
        Map<String, INDArray> placeholders = Map.of(features, batch.getFeatures(), labels, batch.getLabels());
        List<String> lossNames = sd.getLossVariables();
        Map<String, INDArray> values = sd.output(placeholders, lossNames.toArray(new String[0]));
        double loss = 0;
        for (String name : lossNames) {
            INDArray value = values.get(name);
            loss += value.isScalar() ? value.getDouble(0) : value.sumNumber().doubleValue(); // as TrainingSession
        }
        return loss + sd.calcRegularizationScore();
    }

    @Override
    void evaluate(DataSetIterator data, IEvaluation<?>[] evaluations) {
        sd.evaluate(data, output, evaluations);
    }

    @Override
    INDArray output(INDArray input) {
        return sd.outputSingle(Map.of(features, input), output);
    }

    @Override
    INDArray params() {
        INDArray[] flat = new INDArray[trainable.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = trainable.get(i).getArr().castTo(paramType).reshape('c', 1, -1);
        }
        return Nd4j.hstack(flat).reshape(-1);
    }

    @Override
    void setParams(INDArray params) {
        long offset = 0;
        for (SDVariable v : trainable) {
            INDArray arr = v.getArr();
            offset = copyInto(params, offset, arr);
        }
    }

    /** Copies {@code arr.length()} values of {@code flat} from {@code offset} into {@code arr}; the next offset. */
    private static long copyInto(INDArray flat, long offset, INDArray arr) {
        long n = arr.length();
        INDArray part = flat.reshape(-1).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + n));
        arr.assign(part.castTo(arr.dataType()).reshape(arr.ordering(), arr.shape()));
        return offset + n;
    }

    /** Every trainable variable's updater state arrays, in variable name and state key order. */
    private List<INDArray> updaterArrays() {
        Map<String, GradientUpdater> updaters = sd.getUpdaterMap();
        List<INDArray> arrays = new ArrayList<>();
        for (SDVariable v : trainable) {
            GradientUpdater<?> updater = updaters == null ? null : updaters.get(v.name());
            if (updater == null) {
                throw new IllegalStateException("the SameDiff graph has no updater for trainable variable \""
                        + v.name() + "\"; was a variable added after its first training?");
            }
            Map<String, INDArray> state = updater.getState();
            if (state != null) {
                for (INDArray a : new TreeMap<>(state).values()) {
                    arrays.add(a);
                }
            }
        }
        return arrays;
    }

    @Override
    INDArray updaterState() {
        List<INDArray> arrays = updaterArrays();
        if (arrays.isEmpty()) {
            return null;
        }
        INDArray[] flat = new INDArray[arrays.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = arrays.get(i).castTo(paramType).reshape('c', 1, -1);
        }
        return Nd4j.hstack(flat).reshape(-1);
    }

    @Override
    void setUpdaterState(INDArray state) {
        long offset = 0;
        for (INDArray a : updaterArrays()) {
            offset = copyInto(state, offset, a);
        }
    }

    @Override
    int iterationCount() {
        return sd.getTrainingConfig().getIterationCount();
    }

    @Override
    void setIterationCount(int count) {
        sd.getTrainingConfig().setIterationCount(count);
    }

    @Override
    int epochCount() {
        return sd.getTrainingConfig().getEpochCount();
    }

    @Override
    void setEpochCount(int count) {
        sd.getTrainingConfig().setEpochCount(count);
    }

    @Override
    double learningRate() {
        IUpdater updater = sd.getTrainingConfig().getUpdater();
        return updater != null && updater.hasLearningRate()
                ? updater.getLearningRate(iterationCount(), epochCount()) : Double.NaN;
    }

    /**
     * Sets the rate of the TrainingConfig's updater and of every variable's updater configuration (one object after
     * {@code initializeTraining}, one per variable after {@code SameDiff.load}), replacing any schedule.
     */
    @Override
    void setLearningRate(double learningRate) {
        Set<IUpdater> configs = Collections.newSetFromMap(new IdentityHashMap<>());
        configs.add(sd.getTrainingConfig().getUpdater());
        if (sd.getUpdaterMap() != null) {
            for (GradientUpdater<?> u : sd.getUpdaterMap().values()) {
                configs.add(u.getConfig());
            }
        }
        for (IUpdater config : configs) {
            if (config.hasLearningRate()) {
                config.setLrAndSchedule(learningRate, null);
            }
        }
    }

    /**
     * The graph (every variable's name, type, data type and shape; every op's class and variables) and the training
     * configuration without its counters, which a fit advances.
     */
    @Override
    String configurationJson() {
        StringBuilder text = new StringBuilder();
        for (SDVariable v : new TreeMap<>(sd.variableMap()).values()) {
            text.append(v.name()).append(' ').append(v.getVariableType()).append(' ').append(v.dataType())
                    .append(' ').append(Arrays.toString(v.getShape())).append('\n');
        }
        for (Map.Entry<String, SameDiffOp> op : new TreeMap<>(sd.getOps()).entrySet()) {
            SameDiffOp o = op.getValue();
            text.append(op.getKey()).append(' ').append(o.getOp().getClass().getName()).append(' ')
                    .append(o.getInputsToOp()).append(" -> ").append(o.getOutputsOfOp()).append('\n');
        }
        TrainingConfig config = TrainingConfig.fromJson(sd.getTrainingConfig().toJson());
        config.setIterationCount(0);
        config.setEpochCount(0);
        text.append(config.toJson());
        return text.toString();
    }

    /** SameDiff's FlatBuffers form, which {@code SameDiff.load(file, loadUpdaterState)} reads back. */
    @Override
    void write(OutputStream out, boolean saveUpdater) throws IOException {
        boolean inEpoch = lossRequested;
        releaseLoss();
        try {
            sd.save(out, saveUpdater);
        } finally {
            if (inEpoch) {
                requestLoss();
            }
        }
    }

    /** Records each training step's loss (all loss variables and regularization), as SameDiff reports it. */
    private static final class LossListener extends BaseListener {

        double last = Double.NaN;

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
            last = loss.totalLoss();
        }
    }
}
