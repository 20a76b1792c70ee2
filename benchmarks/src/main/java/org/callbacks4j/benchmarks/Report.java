package org.callbacks4j.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Turns a run folder's raw numbers ({@code jmh.csv} from JMH's {@code -rf csv}, {@code e2e.csv} from
 * {@link org.callbacks4j.benchmarks.e2e.EndToEnd}, {@code machine.txt} from run.sh) into {@code results.md} (the
 * tables BENCHMARKS.md quotes) and {@code results.json} (medians and ratios). Medians and ratios come from one run.
 *
 * <pre>java -cp ... org.callbacks4j.benchmarks.Report RUN_DIR</pre>
 */
public final class Report {

    private static final String[] VARIANTS = {"handWritten", "generated", "reflection", "listeners"};
    private static final String[] CASES = {"NO_BATCH_HOOKS", "BATCH_LOSS", "FULL_SET"};
    private static final String[] E2E = {"ours-none", "ours-full", "dl4j", "gemm", "pytorch", "pytorch-gemm"};
    /** The setting a user gets: no thread variables, the machine's environment as it is. */
    static final String DEFAULT_CONFIG = "auto";

    private final StringBuilder md = new StringBuilder();
    private final Map<String, Object> json = new LinkedHashMap<>();

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Report RUN_DIR (the folder run.sh wrote)");
        }
        Path dir = Path.of(args[0]);
        Report r = new Report();
        r.machine(dir);
        r.dispatch(dir.resolve("jmh.csv"), "dispatch", "Dispatch (JMH, `-prof gc`)");
        if (Files.exists(dir.resolve("jmh-jdk25.csv"))) {
            r.dispatch(dir.resolve("jmh-jdk25.csv"), "dispatch_jdk25", "Dispatch on JDK 25 (JMH, `-prof gc`)");
        }
        r.endToEnd(dir.resolve("e2e.csv"));
        Files.writeString(dir.resolve("results.md"), r.md.toString(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("results.json"), toJson(r.json, "") + "\n", StandardCharsets.UTF_8);
        System.out.println(r.md);
    }

    // ---------------------------------------------------------------------------------------------------- machine

    private void machine(Path dir) throws IOException {
        Path machine = dir.resolve("machine.txt");
        md.append("# callbacks4j benchmark results\n\n");
        if (Files.exists(machine)) {
            String text = Files.readString(machine).strip();
            md.append("## Machine and settings\n\n```\n").append(text).append("\n```\n\n");
            json.put("machine", text);
        }
    }

    // ---------------------------------------------------------------------------------------------------- JMH

    private record Jmh(String benchmark, String method, String hooks, double score, double error, String unit,
            double allocNorm) {}

    private void dispatch(Path file, String jsonKey, String title) throws IOException {
        if (!Files.exists(file)) {
            md.append("(no JMH results: ").append(file.getFileName()).append(" missing)\n\n");
            return;
        }
        List<List<String>> rows = readCsv(file);
        List<String> head = rows.get(0);
        int bench = head.indexOf("Benchmark");
        int score = head.indexOf("Score");
        int error = head.indexOf("Score Error (99.9%)");
        int unit = head.indexOf("Unit");
        int hooks = head.indexOf("Param: hooks");
        Map<String, Jmh> results = new LinkedHashMap<>();
        Map<String, Double> alloc = new TreeMap<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            String name = row.get(bench);
            String hookCase = hooks >= 0 && hooks < row.size() ? row.get(hooks) : "";
            int colon = name.lastIndexOf(':');
            if (colon >= 0) {
                String metric = name.substring(colon + 1).replace("·", "");
                if (metric.equals("gc.alloc.rate.norm")) {
                    alloc.put(key(name.substring(0, colon), hookCase), parse(row.get(score)));
                }
                continue;
            }
            String simple = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            String benchmark = simple.substring(0, simple.indexOf('.'));
            String method = simple.substring(simple.indexOf('.') + 1);
            results.put(key(name, hookCase), new Jmh(benchmark, method, hookCase, parse(row.get(score)),
                    parse(row.get(error)), row.get(unit), Double.NaN));
        }
        List<Map<String, Object>> raw = new ArrayList<>();
        Map<String, Jmh> byShort = new LinkedHashMap<>();
        results.forEach((k, v) -> {
            Jmh withAlloc = new Jmh(v.benchmark, v.method, v.hooks, v.score, v.error, v.unit,
                    alloc.getOrDefault(k, Double.NaN));
            byShort.put(withAlloc.benchmark + "." + withAlloc.method + "/" + withAlloc.hooks, withAlloc);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("benchmark", v.benchmark);
            m.put("variant", v.method);
            m.put("case", v.hooks);
            m.put("score", v.score);
            m.put("error", v.error);
            m.put("unit", v.unit);
            m.put("alloc_bytes_per_op", withAlloc.allocNorm);
            raw.add(m);
        });
        json.put(jsonKey, raw);

        md.append("## ").append(title).append("\n\n");
        md.append("Per batch: ns per batch of the trainer's batch loop around a stubbed train step, and bytes allocated "
                + "per batch (`gc.alloc.rate.norm`). Per epoch: ns and bytes per epoch of the work around the batch "
                + "loop. ± is JMH's 99.9% error. \"Above the floor\" is each variant's score minus the hand-written "
                + "one: the cost of the dispatch itself, without the work every variant shares.\n\n");
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (String kind : new String[] {"BatchDispatchBenchmark", "EpochDispatchBenchmark"}) {
            boolean batch = kind.startsWith("Batch");
            if (byShort.keySet().stream().noneMatch(k -> k.startsWith(kind + "."))) {
                continue;
            }
            md.append("### ").append(batch ? "Per batch" : "Per epoch").append("\n\n");
            md.append("| case | hand-written (floor) | generated | reflection | listener + map | generated / floor "
                    + "| reflection / generated | listeners / generated | above the floor: generated, reflection, "
                    + "listeners |\n");
            md.append("|---|---|---|---|---|---|---|---|---|\n");
            for (String c : CASES) {
                if (byShort.keySet().stream().noneMatch(k -> k.startsWith(kind + ".") && k.endsWith("/" + c))) {
                    continue;
                }
                md.append("| ").append(c);
                for (String v : VARIANTS) {
                    md.append(" | ").append(cell(byShort.get(kind + "." + v + "/" + c), batch));
                }
                Jmh floor = byShort.get(kind + ".handWritten/" + c);
                Jmh gen = byShort.get(kind + ".generated/" + c);
                Jmh refl = byShort.get(kind + ".reflection/" + c);
                Jmh list = byShort.get(kind + ".listeners/" + c);
                double gf = ratio(gen, floor);
                double rg = ratio(refl, gen);
                double lg = ratio(list, gen);
                double ga = above(gen, floor);
                double ra = above(refl, floor);
                double la = above(list, floor);
                md.append(" | ").append(x(gf)).append(" | ").append(x(rg)).append(" | ").append(x(lg))
                        .append(String.format(Locale.ROOT, batch ? " | %+.1f, %+.1f, %+.1f ns |%n"
                                : " | %+.0f, %+.0f, %+.0f ns |%n", ga, ra, la));
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("generated_over_floor", gf);
                r.put("reflection_over_generated", rg);
                r.put("listeners_over_generated", lg);
                r.put("generated_minus_floor_ns", ga);
                r.put("reflection_minus_floor_ns", ra);
                r.put("listeners_minus_floor_ns", la);
                ratios.put((batch ? "batch/" : "epoch/") + c, r);
            }
            Jmh none = byShort.get("NoCallbacksBenchmark." + (batch ? "batch" : "epoch") + "/");
            if (none != null) {
                md.append("| no callbacks at all | | ").append(cell(none, batch)).append(" | | | | | | |\n");
            }
            md.append('\n');
        }
        json.put(jsonKey + "_ratios", ratios);
    }

    private static String key(String benchmark, String hooks) {
        return benchmark + "/" + hooks;
    }

    private static double ratio(Jmh a, Jmh b) {
        return a == null || b == null ? Double.NaN : a.score / b.score;
    }

    private static double above(Jmh a, Jmh floor) {
        return a == null || floor == null ? Double.NaN : a.score - floor.score;
    }

    private static String cell(Jmh j, boolean batch) {
        if (j == null) {
            return "";
        }
        String bytes = Double.isNaN(j.allocNorm) ? "" : ", " + bytes(j.allocNorm);
        String error = Double.isNaN(j.error) ? "" : String.format(Locale.ROOT, batch ? " ± %.1f" : " ± %.0f", j.error);
        return String.format(Locale.ROOT, batch ? "%.1f%s ns%s" : "%.0f%s ns%s", j.score, error, bytes);
    }

    /** JMH's own bookkeeping shows up as fractions of a byte per operation: that is 0. */
    private static String bytes(double b) {
        return b < 0.5 ? "0 B" : String.format(Locale.ROOT, "%.0f B", b);
    }

    // ---------------------------------------------------------------------------------------------------- E2E

    private record Epoch(String config, String omp, String openblas, String network, String variant, int epoch,
            boolean warmup, int batches, double seconds, double allocated, double hook, double checkpoint, double csv, double tb,
            double progress, double loss, double accuracy) {}

    private void endToEnd(Path file) throws IOException {
        if (!Files.exists(file)) {
            md.append("(no end-to-end results: ").append(file.getFileName()).append(" missing)\n");
            return;
        }
        List<List<String>> rows = readCsv(file);
        List<String> h = rows.get(0);
        List<Epoch> epochs = new ArrayList<>();
        for (List<String> r : rows.subList(1, rows.size())) {
            epochs.add(new Epoch(r.get(h.indexOf("config")), r.get(h.indexOf("omp_threads")),
                    r.get(h.indexOf("openblas_env")), r.get(h.indexOf("network")), r.get(h.indexOf("variant")),
                    Integer.parseInt(r.get(h.indexOf("epoch"))), r.get(h.indexOf("warmup")).equals("1"),
                    Integer.parseInt(r.get(h.indexOf("batches"))),
                    parse(r.get(h.indexOf("seconds"))), parse(r.get(h.indexOf("alloc_bytes"))),
                    parse(r.get(h.indexOf("hook_s"))), parse(r.get(h.indexOf("hook_checkpoint_s"))),
                    parse(r.get(h.indexOf("hook_csv_s"))), parse(r.get(h.indexOf("hook_tensorboard_s"))),
                    parse(r.get(h.indexOf("hook_progress_s"))), parse(r.get(h.indexOf("loss"))),
                    parse(r.get(h.indexOf("test_accuracy")))));
        }
        Set<String> configs = new LinkedHashSet<>();
        Set<String> networks = new LinkedHashSet<>();
        Map<String, String> settings = new LinkedHashMap<>();
        for (Epoch e : epochs) {
            if (!e.variant.equals("ours-accuracy")) {
                configs.add(e.config);
                networks.add(e.network);
                settings.put(e.config, setting(e));
            }
        }
        md.append("## Training, end to end (Fashion-MNIST, batch 128, Adam 1e-3, float32)\n\n");
        md.append("Median epoch time in seconds over the measured epochs, after warm-up; in brackets the number of "
                + "epochs (fewer than asked where the variant ran out of its time budget) and the fastest and slowest "
                + "epoch. Configurations:\n\n");
        settings.forEach((c, s) -> md.append("- `").append(c).append("`: ").append(s).append('\n'));
        md.append('\n');

        List<Map<String, Object>> medians = new ArrayList<>();
        Map<String, Map<String, Double>> median = new TreeMap<>();
        for (String network : networks) {
            md.append("### ").append(network).append("\n\n");
            md.append("| configuration | ours, no callbacks | ours, full callback set | DL4J | gemm bound | PyTorch "
                    + "| PyTorch's gemms | full set cost | DL4J / ours | ours / gemm |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|\n");
            for (String config : configs) {
                md.append("| `").append(config).append('`');
                Map<String, Double> m = new LinkedHashMap<>();
                for (String variant : E2E) {
                    double[] s = measured(epochs, config, network, variant, Epoch::seconds);
                    double med = median(s);
                    m.put(variant, med);
                    md.append(" | ").append(Double.isNaN(med) ? "" : String.format(Locale.ROOT, "%.3f (n=%d, %.2f–%.2f)",
                            med, s.length, Arrays.stream(s).min().orElse(med), Arrays.stream(s).max().orElse(med)));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("config", config);
                    row.put("network", network);
                    row.put("variant", variant);
                    row.put("median_s", med);
                    row.put("epochs", s.length);
                    row.put("min_s", Arrays.stream(s).min().orElse(Double.NaN));
                    row.put("max_s", Arrays.stream(s).max().orElse(Double.NaN));
                    row.put("heap_bytes_per_batch",
                            median(measured(epochs, config, network, variant, e -> e.allocated / e.batches)));
                    medians.add(row);
                }
                median.put(network + "/" + config, m);
                md.append(" | ").append(pct(m.get("ours-full") / m.get("ours-none") - 1))
                        .append(" | ").append(x(m.get("dl4j") / m.get("ours-none")))
                        .append(" | ").append(x(m.get("ours-none") / m.get("gemm"))).append(" |\n");
            }
            md.append('\n');
        }
        json.put("e2e_medians", medians);

        // Each system in its best configuration.
        md.append("### Each in its best configuration\n\n");
        md.append("| network | ours (config) | DL4J (config) | gemm bound (config) | PyTorch (config) | DL4J / ours "
                + "| PyTorch / ours | ours / gemm, same config as ours |\n|---|---|---|---|---|---|---|---|\n");
        List<Map<String, Object>> best = new ArrayList<>();
        for (String network : networks) {
            String[] bestConfig = new String[E2E.length];
            double[] bestTime = new double[E2E.length];
            Arrays.fill(bestTime, Double.POSITIVE_INFINITY);
            for (String config : configs) {
                Map<String, Double> m = median.get(network + "/" + config);
                for (int v = 0; v < E2E.length; v++) {
                    Double t = m.get(E2E[v]);
                    if (t != null && t < bestTime[v]) {
                        bestTime[v] = t;
                        bestConfig[v] = config;
                    }
                }
            }
            double oursGemmSame = bestConfig[0] == null ? Double.NaN
                    : bestTime[0] / median.get(network + "/" + bestConfig[0]).get("gemm");
            md.append("| ").append(network)
                    .append(String.format(Locale.ROOT, " | %s | %s | %s | %s | %s | %s | %s |%n",
                            best(bestTime[0], bestConfig[0]), best(bestTime[2], bestConfig[2]),
                            best(bestTime[3], bestConfig[3]), best(bestTime[4], bestConfig[4]),
                            x(bestTime[2] / bestTime[0]), x(bestTime[4] / bestTime[0]), x(oursGemmSame)));
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("network", network);
            b.put("ours_s", bestTime[0]);
            b.put("ours_config", bestConfig[0]);
            b.put("dl4j_s", bestTime[2]);
            b.put("dl4j_config", bestConfig[2]);
            b.put("gemm_s", bestTime[3]);
            b.put("gemm_config", bestConfig[3]);
            b.put("pytorch_s", bestTime[4]);
            b.put("pytorch_config", bestConfig[4]);
            b.put("dl4j_over_ours", bestTime[2] / bestTime[0]);
            b.put("pytorch_over_ours", bestTime[4] / bestTime[0]);
            b.put("ours_over_gemm_same_config", oursGemmSame);
            best.add(b);
        }
        md.append('\n');
        json.put("e2e_best", best);
        glance(networks, configs, median);

        // What the full set costs, measured inside its hooks, and what allocates.
        md.append("### Full callback set: time inside its hooks, per epoch (median)\n\n");
        md.append("| network | configuration | in hooks | share of the epoch | checkpoint | CSV | TensorBoard "
                + "| progress bar |\n|---|---|---|---|---|---|---|---|\n");
        List<Map<String, Object>> hooks = new ArrayList<>();
        for (String network : networks) {
            for (String config : configs) {
                double hook = median(measured(epochs, config, network, "ours-full", Epoch::hook));
                if (Double.isNaN(hook)) {
                    continue;
                }
                double share = median(measured(epochs, config, network, "ours-full", e -> e.hook / e.seconds));
                double ck = median(measured(epochs, config, network, "ours-full", Epoch::checkpoint));
                double csv = median(measured(epochs, config, network, "ours-full", Epoch::csv));
                double tb = median(measured(epochs, config, network, "ours-full", Epoch::tb));
                double pb = median(measured(epochs, config, network, "ours-full", Epoch::progress));
                // The trainer's own progress bar runs inside the epoch, not in a hook: no separate figure then.
                String progress = Double.isNaN(pb) ? "in the epoch time" : String.format(Locale.ROOT, "%.1f ms", pb * 1e3);
                md.append(String.format(Locale.ROOT, "| %s | `%s` | %.1f ms | %s | %.1f ms | %.1f ms | %.1f ms | "
                        + "%s |%n", network, config, hook * 1e3, share(share), ck * 1e3, csv * 1e3, tb * 1e3,
                        progress));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("network", network);
                m.put("config", config);
                m.put("hook_s", hook);
                m.put("share", share);
                m.put("checkpoint_s", ck);
                m.put("csv_s", csv);
                m.put("tensorboard_s", tb);
                m.put("progress_s", pb);
                hooks.add(m);
            }
        }
        md.append('\n');
        json.put("full_set_hooks", hooks);

        md.append("### Java heap allocated on the training thread, per batch (median over the measured epochs)\n\n");
        md.append("| network | configuration | ours, no callbacks | ours, full set | DL4J | gemm bound |\n"
                + "|---|---|---|---|---|---|\n");
        for (String network : networks) {
            for (String config : configs) {
                if (isTorch(config, epochs)) {
                    continue;
                }
                md.append("| ").append(network).append(" | `").append(config).append('`');
                for (String variant : Arrays.copyOf(E2E, 4)) {
                    double b = median(measured(epochs, config, network, variant, e -> e.allocated / e.batches));
                    md.append(" | ").append(Double.isNaN(b) ? "" : String.format(Locale.ROOT, "%.1f KB", b / 1024));
                }
                md.append(" |\n");
            }
        }
        md.append('\n');

        List<Epoch> accuracy = epochs.stream().filter(e -> e.variant.equals("ours-accuracy")).toList();
        if (!accuracy.isEmpty()) {
            md.append("### Test accuracy, 784-256-10, our trainer (config `").append(accuracy.get(0).config)
                    .append("`)\n\n| epoch | training loss | test accuracy |\n|---|---|---|\n");
            List<Map<String, Object>> acc = new ArrayList<>();
            int first88 = -1;
            for (Epoch e : accuracy) {
                md.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f |%n", e.epoch + 1, e.loss, e.accuracy));
                if (first88 < 0 && e.accuracy >= 0.88) {
                    first88 = e.epoch + 1;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("epoch", e.epoch + 1);
                m.put("loss", e.loss);
                m.put("test_accuracy", e.accuracy);
                acc.add(m);
            }
            md.append('\n').append(first88 > 0 ? "First epoch at or above 88%: " + first88 + ".\n\n"
                    : "88% not reached in " + accuracy.size() + " epochs.\n\n");
            json.put("accuracy", acc);
            json.put("accuracy_first_epoch_at_88", first88);
        }
    }

    /**
     * The first table of results.md: per network, ours as a user gets it (config {@value #DEFAULT_CONFIG}), ours in
     * its best setting, PyTorch in its best, DL4J as a user gets it and in its best, and the gemm bound in our
     * default's setting; inserted after the title.
     */
    private void glance(Set<String> networks, Set<String> configs, Map<String, Map<String, Double>> median) {
        StringBuilder t = new StringBuilder("## At a glance: seconds per Fashion-MNIST epoch (median)\n\n");
        t.append("\"Default\": no thread variables and no options (setting `" + DEFAULT_CONFIG + "`), what a user "
                + "gets; \"best\": the fastest setting of the run. PyTorch: the best of its runs on 1 and 2 threads. "
                + "Gemm bound: only the epoch's matrix products, in our default's setting. Ratios above 1 mean ours "
                + "is faster.\n\n");
        t.append("| network | ours, default | ours, best | PyTorch, best | DL4J, default | DL4J, best | gemm bound "
                + "| PyTorch best / ours default | PyTorch best / ours best | ours default / ours best "
                + "| ours default / gemm bound |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String network : networks) {
            Map<String, Double> def = median.getOrDefault(network + "/" + DEFAULT_CONFIG, Map.of());
            double ours = def.getOrDefault("ours-none", Double.NaN);
            double dl4j = def.getOrDefault("dl4j", Double.NaN);
            double gemm = def.getOrDefault("gemm", Double.NaN);
            String[] bestConfig = new String[3];
            double[] bestTime = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
            String[] variants = {"ours-none", "pytorch", "dl4j"};
            for (String config : configs) {
                Map<String, Double> m = median.get(network + "/" + config);
                for (int v = 0; v < variants.length; v++) {
                    Double time = m.get(variants[v]);
                    if (time != null && time < bestTime[v]) {
                        bestTime[v] = time;
                        bestConfig[v] = config;
                    }
                }
            }
            t.append("| ").append(network).append(" | ").append(seconds(ours)).append(" | ")
                    .append(best(bestTime[0], bestConfig[0])).append(" | ").append(best(bestTime[1], bestConfig[1]))
                    .append(" | ").append(seconds(dl4j)).append(" | ").append(best(bestTime[2], bestConfig[2]))
                    .append(" | ").append(seconds(gemm)).append(" | ").append(x(bestTime[1] / ours))
                    .append(" | ").append(x(bestTime[1] / bestTime[0])).append(" | ").append(x(ours / bestTime[0]))
                    .append(" | ").append(x(ours / gemm)).append(" |\n");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("network", network);
            r.put("ours_default_s", ours);
            r.put("ours_best_s", finite(bestTime[0]));
            r.put("ours_best_config", bestConfig[0]);
            r.put("pytorch_best_s", finite(bestTime[1]));
            r.put("pytorch_best_config", bestConfig[1]);
            r.put("dl4j_default_s", dl4j);
            r.put("dl4j_best_s", finite(bestTime[2]));
            r.put("gemm_default_s", gemm);
            r.put("pytorch_best_over_ours_default", bestTime[1] / ours);
            r.put("ours_default_over_best", ours / bestTime[0]);
            r.put("ours_default_over_gemm", ours / gemm);
            rows.add(r);
        }
        t.append('\n');
        json.put("e2e_at_a_glance", rows);
        String title = "# callbacks4j benchmark results\n\n";
        md.insert(md.indexOf(title) < 0 ? 0 : md.indexOf(title) + title.length(), t);
    }

    private static double finite(double v) {
        return Double.isInfinite(v) ? Double.NaN : v;
    }

    private static String seconds(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f s", v);
    }

    private static String best(double time, String config) {
        return config == null || Double.isInfinite(time) ? ""
                : String.format(Locale.ROOT, "%.3f s (`%s`)", time, config);
    }

    /** What a configuration's rows say about its settings, for the list under the tables. */
    private static String setting(Epoch e) {
        String openblas = "OpenBLAS env " + e.openblas;
        if (e.variant.startsWith("pytorch")) {
            return "PyTorch, " + e.omp.replaceAll("/openblas.*", "") + " thread(s) (torch.set_num_threads, "
                    + "OPENBLAS_NUM_THREADS" + e.omp.replaceAll("^[^/]*/openblas", "=") + "), " + openblas;
        }
        if (e.omp.startsWith("unset")) {
            return "no thread variables (our trainer chooses; DL4J gets ND4J's defaults)"
                    + (e.omp.contains("/openblas") ? ", OPENBLAS_NUM_THREADS=" + e.omp.replaceAll("^.*/openblas", "")
                            : "")
                    + ", " + openblas;
        }
        String threads = e.omp.contains("/openblas")
                ? e.omp.replace("/openblas", ", OPENBLAS_NUM_THREADS=")
                : e.omp;
        return "OMP_NUM_THREADS=" + threads + ", " + openblas;
    }

    private static boolean isTorch(String config, List<Epoch> epochs) {
        return epochs.stream().anyMatch(e -> e.config.equals(config) && e.variant.startsWith("pytorch"));
    }

    private static double[] measured(List<Epoch> epochs, String config, String network, String variant,
            ToDoubleFunction<Epoch> f) {
        return epochs.stream()
                .filter(e -> !e.warmup && e.config.equals(config) && e.network.equals(network)
                        && e.variant.equals(variant))
                .mapToDouble(f).filter(v -> !Double.isNaN(v)).toArray();
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static String x(Double v) {
        return v == null || v.isNaN() || v.isInfinite() ? "" : String.format(Locale.ROOT, "%.2fx", v);
    }

    private static String share(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static String pct(Double v) {
        return v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%+.1f%%", v * 100);
    }

    private static double parse(String s) {
        return s == null || s.isBlank() || s.equals("NaN") ? Double.NaN : Double.parseDouble(s);
    }

    // ---------------------------------------------------------------------------------------------------- formats

    /** RFC 4180 CSV: quoted fields may hold commas and doubled quotes. */
    static List<List<String>> readCsv(Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cell.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(c);
                }
            }
            cells.add(cell.toString());
            rows.add(cells);
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static String toJson(Object v, String indent) {
        if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return "{}";
            }
            StringBuilder sb = new StringBuilder("{\n");
            String inner = indent + "  ";
            int i = 0;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                sb.append(inner).append(quote(e.getKey())).append(": ").append(toJson(e.getValue(), inner));
                sb.append(++i < map.size() ? ",\n" : "\n");
            }
            return sb.append(indent).append('}').toString();
        }
        if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                return "[]";
            }
            StringBuilder sb = new StringBuilder("[\n");
            String inner = indent + "  ";
            for (int i = 0; i < list.size(); i++) {
                sb.append(inner).append(toJson(list.get(i), inner)).append(i + 1 < list.size() ? ",\n" : "\n");
            }
            return sb.append(indent).append(']').toString();
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.6g", d);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return v == null ? "null" : quote(v.toString());
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
