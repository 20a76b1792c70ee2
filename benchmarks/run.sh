#!/usr/bin/env bash
# Runs the callbacks4j benchmarks and writes results.md, results.json and the raw numbers into a run folder.
#
#   benchmarks/run.sh                 # everything: JMH dispatch benchmarks, then the end-to-end Fashion-MNIST
#                                     # benchmark in every setting below, PyTorch's runs interleaved with ours
#   benchmarks/run.sh --smoke         # seconds: tiny JMH runs and a 2,048-row end-to-end run in one setting (and
#                                     # PyTorch's, where it is installed); checks that everything runs, says nothing
#                                     # about time (CI)
#   benchmarks/run.sh --profile       # JFR profile of our trainer on 784-256-10 (its own thread choice), its summary
#                                     # (profile.md) and the cost of each ND4J call it makes (op-costs.md)
#   benchmarks/run.sh --threads       # thread settings side by side in one process, interleaved rounds: the
#                                     # trainer's own choice against fixed ones (threads.md; THREADS_ARGS, e.g.
#                                     # "--settings auto,1/1,1/2,2/2 --rounds 5")
#   benchmarks/run.sh --observers     # the cost of watching: the digits sample's epoch with the progress bar, the
#                                     # CSV log, TensorBoard, all of them, none, and History.plot (digits-observers.md)
#   benchmarks/run.sh --streaming     # Fashion-MNIST epochs streamed from the IDX files (mapped, gzip) against the
#                                     # same rows in memory, interleaved rounds (streaming-epochs.md)
#   benchmarks/run.sh --fit-start     # what a fit costs besides its epochs: time before and after the epoch and the
#                                     # peak memory it adds, shuffled and in order (fit-start.md)
#   benchmarks/run.sh --cnn           # the Fashion-MNIST sample's CNN: ours (its own thread choice, 1 and 2 threads),
#                                     # DL4J's equivalent network (1, 2) and PyTorch's (benchmarks/pytorch_cnn.py; 1,
#                                     # 2), one epoch of each per round, interleaved, in one process (cnn-env.md;
#                                     # CNN_ARGS, default "--rows 10000 --rounds 3"; CNN_ENV "env noenv" also runs it
#                                     # with the OpenBLAS variables unset, in a second process; CNN_PROFILE=1 adds
#                                     # the per-op costs of ours and PyTorch's profile: cnn-op-costs.md,
#                                     # torch-cnn-profile.txt)
#
# Options: --out DIR (default benchmarks/target/results/<UTC time>-<mode>; an existing folder is added to),
# --no-build, --native generic|avx2|onednn-avx2 (which ND4J build the runtime resolves: onednn-avx2 is its default on
# Linux x86-64, generic the plain linux-x86_64 build; -Djavacpp.platform.extension for the build, whose class path
# stays until the next build), --skip-jmh, --skip-e2e,
# --configs "auto omp1-env ..." (end-to-end settings to run, in this order;
# default all):
#   auto, auto-noenv          no thread variables: our trainer chooses (what a user gets), DL4J runs with ND4J's
#                             defaults; -env: the OpenBLAS variables as the machine sets them, -noenv: unset
#   torch1-env, torch2-env,   PyTorch (benchmarks/pytorch_e2e.py, Debian's python3-torch) on 1 or 2 threads;
#   torch1-noenv, torch2-noenv   skipped, with a line saying so, where python3 cannot import torch
#   omp1-env ... omp2-noenv   OMP_NUM_THREADS=1 or 2 (kept by our trainer and ND4J)
#   omp1-blas2-env/-noenv     OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2: ND4J's ops on one thread, OpenBLAS on two
# Environment: JMH_ARGS replaces the JMH iteration settings; E2E_ARGS adds EndToEnd options (e.g. "--epochs 7"),
# TORCH_ARGS adds pytorch_e2e.py options (e.g. "--epochs 7"); E2E_BUDGET_S caps the measured seconds of one variant
# (default 45: a thrashing setting cannot hold the run); PYTHON (default /usr/bin/python3) runs the PyTorch script.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

mode=full
out=""
build=1
jmh=1
e2e=1
native=""
configs="auto torch1-env torch2-env auto-noenv torch1-noenv torch2-noenv omp1-env omp1-noenv omp2-env omp2-noenv
  omp1-blas2-env omp1-blas2-noenv"
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) mode=smoke ;;
    --profile) mode=profile ;;
    --observers) mode=observers ;;
    --cnn) mode=cnn ;;
    --threads) mode=threads ;;
    --streaming) mode=streaming ;;
    --fit-start) mode=fit-start ;;
    --out) out="$2"; shift ;;
    --no-build) build=0 ;;
    --skip-jmh) jmh=0 ;;
    --skip-e2e) e2e=0 ;;
    --configs) configs="$2"; shift ;;
    --native) native="$2"; shift ;;
    *) echo "unknown option $1; see the comment at the top of $0" >&2; exit 2 ;;
  esac
  shift
done
out="${out:-benchmarks/target/results/$(date -u +%Y%m%dT%H%M%SZ)-$mode}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

if [ "$build" = 1 ]; then
  case "$native" in
    "") profile=() ;;
    generic) profile=(-Djavacpp.platform.extension=) ;;
    avx2|onednn-avx2) profile=(-Djavacpp.platform.extension=-"$native") ;;
    *) echo "unknown --native $native; use generic, avx2 or onednn-avx2 (ND4J's builds)" >&2; exit 2 ;;
  esac
  mvn -q -B -ntp -pl benchmarks -am package -DskipTests "${profile[@]}"
fi
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
# maxPhysicalBytes=0: javacpp otherwise reads the process's resident memory on every native allocation, which ND4J
# makes in most op calls (BENCHMARKS.md, "Threads, the OpenBLAS variables and the JVM flag"). Every variant, DL4J's
# included, runs with it.
jvm_flags=(-Xms1g -Xmx3g -XX:+UseParallelGC -Dorg.bytedeco.javacpp.maxPhysicalBytes=0)
java=(java "${jvm_flags[@]}" -cp "$cp")

data=/usr/share/datasets/fashion-mnist
if [ "$mode" != smoke ] && [ ! -e "$data/train-images-idx3-ubyte.gz" ] && [ ! -e "$data/train-images-idx3-ubyte" ]; then
  echo "Fashion-MNIST not found in $data: installing the Debian package dataset-fashion-mnist"
  if [ "$(id -u)" = 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -q dataset-fashion-mnist >/dev/null \
    || { DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" update -q >/dev/null \
         && DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -q dataset-fashion-mnist >/dev/null; }
fi

# The machine and the settings, with the load before and after (the numbers are only as quiet as the machine).
# A second run.sh into the same folder adds its own section.
if [ -s "$out/machine.txt" ]; then echo "---- continued: run.sh $mode, configs: $configs" >> "$out/machine.txt"; fi
{
  echo "date (UTC):   $(date -u '+%Y-%m-%d %H:%M')"
  echo "commit:       $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
  echo "mode:         $mode"
  echo "cpu:          $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
  echo "memory:       $(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "kernel:       $(uname -srm)"
  echo "java:         $(java -version 2>&1 | head -1)"
  echo "JVM flags:    ${jvm_flags[*]}"
  echo "OpenBLAS env: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset}"
  echo "load before:  $(uptime)"
} >> "$out/machine.txt"
log_load() { echo "load $1: $(uptime)" >> "$out/machine.txt"; }

# PyTorch, the peer: Debian's python3-torch. Its matrix products run in the BLAS libblas.so.3 points to (OpenBLAS
# where libopenblas0 is installed; the reference BLAS, 10 times slower, otherwise): recorded with the machine.
python="${PYTHON:-/usr/bin/python3}"
torch_version="$("$python" -c 'import torch; print(torch.__version__)' 2>/dev/null || true)"
if [ -n "$torch_version" ]; then
  blas_lib="$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)"
  echo "PyTorch:      $torch_version ($python), BLAS $blas_lib" >> "$out/machine.txt"
else
  echo "PyTorch:      not installed ($python cannot import torch)" >> "$out/machine.txt"
fi
torch_skipped() {
  echo "== PyTorch skipped ($1): $python cannot import torch; install Debian's python3-torch (apt-get install" \
    "python3-torch libopenblas0) or set PYTHON"
}

if [ "$mode" = profile ]; then
  # Our trainer alone, no callbacks, sampled by JFR (Java stacks; ND4J's native time shows under the Java method
  # that called into it). ProfileSummary attributes the samples to the trainer's phases.
  env -u OMP_NUM_THREADS -u OPENBLAS_NUM_THREADS "${java[@]}" \
    -XX:StartFlightRecording=filename="$out/trainer.jfr",settings=profile,dumponexit=true \
    org.callbacks4j.benchmarks.e2e.EndToEnd --out "$out" --config profile --networks 784-256-10 \
    --variants ours-none --epochs 3 ${E2E_ARGS:-} > "$out/profile-run.log" 2>&1
  "${java[@]}" org.callbacks4j.benchmarks.ProfileSummary "$out/trainer.jfr" | tee "$out/profile.md"
  grep -E '^  ' "$out/profile-run.log"
  # The same calls one by one: wall time and Java heap per call.
  OMP_NUM_THREADS=1 "${java[@]}" org.callbacks4j.benchmarks.e2e.OpCosts 2>/dev/null | grep -E '^\||^OMP' \
    | tee "$out/op-costs.md"
  log_load after
  exit 0
fi

if [ "$mode" = threads ]; then
  # Without OMP_NUM_THREADS: ND4J sizes its pool when it loads, and a setting cannot grow it afterwards.
  env -u OMP_NUM_THREADS -u OPENBLAS_NUM_THREADS "${java[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    org.callbacks4j.benchmarks.e2e.ThreadSettings --out "$out" ${THREADS_ARGS:-}
  log_load after
  exit 0
fi

if [ "$mode" = streaming ]; then
  # Interleaved rounds of one epoch each: in-memory Dataset, mapped IDX, gzipped IDX (STREAMING_ARGS: "--rounds 15").
  OMP_NUM_THREADS=1 "${java[@]}" org.callbacks4j.benchmarks.e2e.StreamingEpochs --tmp "$out/streaming" \
    ${STREAMING_ARGS:-} 2>/dev/null | grep -v '^round'
  cp "$out/streaming/streaming-epochs.md" "$out/streaming-epochs.md"
  rm -f "$out/streaming/train-images-idx3-ubyte" "$out/streaming/train-labels-idx1-ubyte"
  log_load after
  exit 0
fi

if [ "$mode" = fit-start ]; then
  "${java[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn org.callbacks4j.benchmarks.e2e.FitStart 2>/dev/null \
    | tee "$out/fit-start.md"
  log_load after
  exit 0
fi

if [ "$mode" = cnn ]; then
  # One process per OpenBLAS environment (they are read when OpenBLAS loads); within it, every variant side by side.
  # Without OMP_NUM_THREADS: ND4J sizes its pool when it loads, and a setting cannot grow it afterwards.
  for cnn_env in ${CNN_ENV:-env}; do
    case "$cnn_env" in
      env) vars=(-u OMP_NUM_THREADS -u OPENBLAS_NUM_THREADS) ;;
      noenv) vars=(-u OMP_NUM_THREADS -u OPENBLAS_NUM_THREADS -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE) ;;
      *) echo "unknown CNN_ENV entry $cnn_env; use env, noenv or both" >&2; exit 2 ;;
    esac
    echo "== CNN end to end, OpenBLAS variables: $cnn_env"
    # shellcheck disable=SC2086
    env "${vars[@]}" "${java[@]}" org.callbacks4j.benchmarks.e2e.CnnEndToEnd --out "$out" --config "$cnn_env" \
      --python "$python" ${CNN_ARGS:---rows 10000 --rounds 3} > "$out/cnn-$cnn_env.log" 2>&1 \
      || { tail -40 "$out/cnn-$cnn_env.log"; exit 1; }
    grep -E '^\[cnn|^  |^\|' "$out/cnn-$cnn_env.log"
    log_load "after cnn $cnn_env"
  done
  if [ "${CNN_PROFILE:-0}" = 1 ]; then
    # Where the time goes: our image layers' libnd4j calls one by one (one thread; wall and CPU time per call), and
    # PyTorch's epoch under torch.profiler (self CPU time per op).
    echo "== CNN op costs (ours, one thread) and PyTorch's profile"
    env -u OMP_NUM_THREADS -u OPENBLAS_NUM_THREADS "${java[@]}" org.callbacks4j.benchmarks.e2e.CnnOpCosts 1 15 \
      2>/dev/null | grep -E '^\||^ND4J' | tee "$out/cnn-op-costs.md"
    if [ -n "$torch_version" ]; then
      "$python" benchmarks/pytorch_cnn.py --threads 1 --rows 640 --profile > "$out/torch-cnn-profile.txt" 2>&1
      head -30 "$out/torch-cnn-profile.txt"
    fi
    log_load "after the CNN profiles"
  fi
  cat "$out"/cnn-env*.md "$out"/cnn-noenv*.md > "$out/cnn.md" 2>/dev/null || true
  echo "== results: $out/cnn.md (raw: $out/cnn.csv, logs: $out/cnn-*.log)"
  exit 0
fi

if [ "$mode" = observers ]; then
  # Interleaved rounds of the five variants on the digits sample (OBSERVERS_ARGS: e.g. "--rounds 9").
  env -u OMP_NUM_THREADS -u OPENBLAS_NUM_THREADS "${java[@]}" org.callbacks4j.benchmarks.e2e.DigitsObservers --out "$out/digits-observers" \
    ${OBSERVERS_ARGS:-} 2>/dev/null | grep -v '^round'
  cp "$out/digits-observers/results.md" "$out/digits-observers.md"
  log_load after
  exit 0
fi

if [ "$jmh" = 1 ]; then
  if [ "$mode" = smoke ]; then
    jmh_args=(-f 0 -wi 0 -i 1 -r 100ms)
  else
    # shellcheck disable=SC2206
    jmh_args=(${JMH_ARGS:--f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc})
  fi
  echo "== JMH dispatch benchmarks (${jmh_args[*]})"
  "${java[@]}" org.openjdk.jmh.Main 'org.callbacks4j.benchmarks.dispatch.*' "${jmh_args[@]}" \
    -rf csv -rff "$out/jmh.csv" > "$out/jmh.log" 2>&1 || { tail -40 "$out/jmh.log"; exit 1; }
  sed -n '/^Benchmark /,$p' "$out/jmh.log"
  log_load "after JMH"
  # Reflection on JDK 18+ goes through method handles (JEP 416): the per-batch cases again on the JDK 25 the CI uses.
  jdk25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  if [ "$mode" = full ] && [ -x "$jdk25" ]; then
    echo "== JMH per-batch dispatch on JDK 25"
    "${java[@]}" org.openjdk.jmh.Main 'org.callbacks4j.benchmarks.dispatch.BatchDispatchBenchmark' \
      -p hooks=BATCH_LOSS,FULL_SET -jvm "$jdk25" "${jmh_args[@]}" -rf csv -rff "$out/jmh-jdk25.csv" \
      > "$out/jmh-jdk25.log" 2>&1 || { tail -40 "$out/jmh-jdk25.log"; exit 1; }
    sed -n '/^Benchmark /,$p' "$out/jmh-jdk25.log"
    log_load "after JMH on JDK 25"
  fi
fi

if [ "$e2e" = 1 ]; then
  if [ "$mode" = smoke ]; then
    echo "== end to end, smoke"
    env -u OMP_NUM_THREADS -u OPENBLAS_NUM_THREADS "${java[@]}" org.callbacks4j.benchmarks.e2e.EndToEnd --smoke \
      --out "$out" --config smoke ${E2E_ARGS:-} > "$out/e2e.log" 2>&1 || { tail -40 "$out/e2e.log"; exit 1; }
    grep -E '^\[(smoke|omp)|^  ' "$out/e2e.log"
    if [ -n "$torch_version" ]; then
      echo "== end to end, smoke, PyTorch"
      "$python" benchmarks/pytorch_e2e.py --smoke --out "$out" --config torch-smoke --threads 1 ${TORCH_ARGS:-} \
        > "$out/e2e-torch.log" 2>&1 || { tail -40 "$out/e2e-torch.log"; exit 1; }
      grep -E '^  ' "$out/e2e-torch.log"
    else
      torch_skipped smoke
    fi
  else
    for config in $configs; do
      case "$config" in
        auto|auto-env|auto-noenv|omp1-env|omp2-env|omp1-noenv|omp2-noenv|omp1-blas2-env|omp1-blas2-noenv) ;;
        torch1-env|torch2-env|torch1-noenv|torch2-noenv) ;;
        *) echo "unknown config $config; use auto, auto-noenv, torch{1,2}-{env,noenv}, omp{1,2}-{env,noenv} or" \
             "omp1-blas2-{env,noenv}" >&2; exit 2 ;;
      esac
      # Every process starts without thread variables; each setting adds its own.
      vars=(-u OMP_NUM_THREADS -u OPENBLAS_NUM_THREADS)
      if [ "${config##*-}" = noenv ]; then vars+=(-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE); fi
      case "$config" in
        omp1-blas2-*) vars+=(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2) ;;
        omp*) vars+=(OMP_NUM_THREADS="${config:3:1}") ;;
      esac
      if [ "${config#torch}" != "$config" ]; then
        if [ -z "$torch_version" ]; then torch_skipped "$config"; continue; fi
        echo "== end to end, $config"
        env "${vars[@]}" "$python" benchmarks/pytorch_e2e.py --out "$out" --config "$config" \
          --threads "${config:5:1}" --budget-s "${E2E_BUDGET_S:-45}" ${TORCH_ARGS:-} > "$out/e2e-$config.log" 2>&1 \
          || { tail -40 "$out/e2e-$config.log"; exit 1; }
        grep -E '^\[|^  ' "$out/e2e-$config.log"
        log_load "after $config"
        continue
      fi
      echo "== end to end, $config"
      # Test accuracy once, in the default setting.
      accuracy=0
      if [ "$config" = auto ]; then accuracy=15; fi
      env "${vars[@]}" "${java[@]}" org.callbacks4j.benchmarks.e2e.EndToEnd \
        --out "$out" --config "$config" --accuracy-epochs "$accuracy" --budget-s "${E2E_BUDGET_S:-45}" \
        ${E2E_ARGS:-} > "$out/e2e-$config.log" 2>&1 || { tail -40 "$out/e2e-$config.log"; exit 1; }
      grep -E '^\[|^  |native threads' "$out/e2e-$config.log" | sed 's/^.*NativeThreads - /  ours: /' | uniq
      log_load "after $config"
    done
  fi
fi

"${java[@]}" org.callbacks4j.benchmarks.Report "$out" > /dev/null
echo "== results: $out/results.md, $out/results.json (raw: $out/jmh.csv, $out/e2e.csv)"
