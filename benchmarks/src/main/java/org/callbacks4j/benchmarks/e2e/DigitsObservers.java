package org.callbacks4j.benchmarks.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.callbacks4j.History;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.data.Dataset;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.FitPlan;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.plot.HistoryPlot;
import org.callbacks4j.internal.policy.CsvLoggerPolicy;
import org.callbacks4j.internal.policy.Policy;
import org.callbacks4j.internal.policy.TensorBoardLogger;
import org.callbacks4j.samples.digits.DigitsSample;
import org.callbacks4j.train.Fit;

/**
 * What watching a training costs: the epoch time of the digits sample's network and data with each observer alone
 * (the live progress bar, {@code @CsvLogger}, {@code @TensorBoard}), all of them, and none, plus the time of
 * {@code HistoryPlot.write} at the end of a run. Variants run in interleaved rounds, each round starting one variant later
 * (none, bar, csv, tb, all; bar, csv, tb, all, none; ...), so that the machine's drift and the garbage of the
 * previous fit spread over all of them; the report gives each variant's median epoch over every
 * round and its ratio to the median of "none" measured in the same run.
 *
 * <p>The clock is two dispatchers: one passed first (its epoch begin starts the clock before any other hook) and one
 * passed last (its epoch end stops it after the CSV and TensorBoard writes). The progress bar is the trainer's own,
 * drawn as on a terminal into a discarded stream; its epoch-end line is printed after the last dispatcher, a few
 * microseconds outside the clock.
 *
 * <p>{@code java ... DigitsObservers [--rounds 5] [--epochs 12] [--warmup 2] [--out DIR]}
 */
public final class DigitsObservers {

    private static final List<String> VARIANTS = List.of("none", "progress bar", "csv", "tensorboard", "all four");

    public static void main(String[] args) throws IOException {
        int rounds = 5;
        int epochs = 12;
        int warmup = 2;
        Path out = Path.of("benchmarks/target/digits-observers");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException(
                        "unknown option " + args[i] + "; use --rounds N, --epochs N, --warmup N, --out DIR");
            }
        }
        Files.createDirectories(out);
        Dataset train = DigitsSample.splits().head();
        Map<String, List<Double>> epochMillis = new LinkedHashMap<>();
        List<Double> plotMillis = new ArrayList<>();
        VARIANTS.forEach(v -> epochMillis.put(v, new ArrayList<>()));
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);

        for (int round = 0; round < rounds; round++) {
            // Each round starts with the next variant, so that no variant always follows the plot and its garbage.
            for (int v = 0; v < VARIANTS.size(); v++) {
                String variant = VARIANTS.get((round + v) % VARIANTS.size());
                Path dir = out.resolve("round-" + round + "/" + variant.replace(' ', '-'));
                boolean all = variant.equals("all four");
                List<Policy> observers = new ArrayList<>();
                if (all || variant.equals("csv")) {
                    observers.add(new CsvLoggerPolicy(dir.resolve("history.csv").toString(), ",", false));
                }
                if (all || variant.equals("tensorboard")) {
                    observers.add(new TensorBoardLogger(dir.resolve("tb").toString(), 0));
                }
                boolean bar = all || variant.equals("progress bar");
                Fit fit = Fit.epochs(epochs).batchSize(32).validationSplit(0.2).seed(42)
                        .verbose(bar ? 1 : 0).progressOutput(discard, true);
                Clock clock = new Clock(epochs);
                History history = DigitsSample.trainer().fit(DigitsSample.model(), train, fit,
                        clock.start, new Observers(observers), clock.stop);
                for (int e = warmup; e < clock.count; e++) {
                    epochMillis.get(variant).add(clock.nanos[e] / 1e6);
                }
                if (all) {
                    long t = System.nanoTime();
                    HistoryPlot.write(history, dir.resolve("curves.png"));
                    plotMillis.add((System.nanoTime() - t) / 1e6);
                }
            }
            System.out.printf(Locale.ROOT, "round %d of %d done%n", round + 1, rounds);
        }

        double none = median(epochMillis.get("none"));
        StringBuilder md = new StringBuilder();
        md.append("| observers | median epoch (ms) | vs none | epochs measured |\n|---|---|---|---|\n");
        for (Map.Entry<String, List<Double>> e : epochMillis.entrySet()) {
            double m = median(e.getValue());
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %+.1f%% | %d |%n",
                    e.getKey(), m, 100 * (m / none - 1), e.getValue().size()));
        }
        md.append(String.format(Locale.ROOT,
                "%n`HistoryPlot.write` (PNG, 3 charts) at the end of a run: median %.0f ms over %d runs.%n",
                median(plotMillis), plotMillis.size()));
        Files.writeString(out.resolve("results.md"), md.toString());
        StringBuilder csv = new StringBuilder("variant,epoch_ms\n");
        epochMillis.forEach((v, ms) -> ms.forEach(m -> csv.append(v).append(',').append(m).append('\n')));
        plotMillis.forEach(m -> csv.append("plot,").append(m).append('\n'));
        Files.writeString(out.resolve("results.csv"), csv.toString());
        System.out.print(md);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The observers of one variant, called as the generated dispatcher calls them. */
    private static final class Observers implements CallbackDispatcher {
        private final Policy[] policies;

        Observers(List<Policy> policies) {
            this.policies = policies.toArray(new Policy[0]);
        }

        @Override
        public int hooks() {
            return Hooks.TRAIN_BEGIN | Hooks.EPOCH_END | Hooks.TRAIN_END;
        }

        @Override
        public void prepare(FitPlan plan) {
            for (Policy p : policies) {
                p.prepare(plan);
            }
        }

        @Override
        public void onTrainBegin(TrainingContext context) {
            for (Policy p : policies) {
                p.onTrainBegin(context);
            }
        }

        @Override
        public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
            for (Policy p : policies) {
                p.onEpochEnd(epoch, logs, context);
            }
        }

        @Override
        public void onTrainEnd(Logs logs, TrainingContext context) {
            for (Policy p : policies) {
                p.onTrainEnd(logs, context);
            }
        }
    }

    /** Epoch times from the first dispatcher's epoch begin to the last dispatcher's epoch end. */
    private static final class Clock {
        final long[] nanos;
        int count;
        private long begin;

        final CallbackDispatcher start = new CallbackDispatcher() {
            @Override
            public int hooks() {
                return Hooks.EPOCH_BEGIN;
            }

            @Override
            public void onEpochBegin(int epoch, TrainingContext context) {
                begin = System.nanoTime();
            }
        };

        final CallbackDispatcher stop = new CallbackDispatcher() {
            @Override
            public int hooks() {
                return Hooks.EPOCH_END;
            }

            @Override
            public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
                nanos[count++] = System.nanoTime() - begin;
            }
        };

        Clock(int epochs) {
            this.nanos = new long[epochs];
        }
    }
}
