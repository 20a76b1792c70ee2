#!/usr/bin/env bash
# Runs the callbacks4j benchmarks and writes results.md, results.json and the raw numbers into a run folder.
#
#   benchmarks/run.sh                 # everything: JMH dispatch benchmarks, then the end-to-end Fashion-MNIST
#                                     # benchmark for OMP_NUM_THREADS 1 and 2, each with the OpenBLAS variables as
#                                     # the machine sets them and unset
#   benchmarks/run.sh --smoke         # seconds: tiny JMH runs and a 2,048-row end-to-end run in one setting;
#                                     # checks that everything runs, says nothing about time (CI)
#   benchmarks/run.sh --profile       # JFR profile of our trainer on 784-256-10 (OMP_NUM_THREADS=1), its summary
#                                     # (profile.md) and the cost of each ND4J call it makes (op-costs.md)
#   benchmarks/run.sh --observers     # the cost of watching: the digits sample's epoch with the progress bar, the
#                                     # CSV log, TensorBoard, all of them, none, and History.plot (digits-observers.md)
#   benchmarks/run.sh --streaming     # Fashion-MNIST epochs streamed from the IDX files (mapped, gzip) against the
#                                     # same rows in memory, interleaved rounds (streaming-epochs.md)
#
# Options: --out DIR (default benchmarks/target/results/<UTC time>-<mode>; an existing folder is added to),
# --no-build, --skip-jmh, --skip-e2e, --configs "omp1-env omp2-noenv ..." (end-to-end settings to run; default all
# six: omp{1,2}-{env,noenv}, and omp1-blas2-{env,noenv}: ND4J's own ops on one thread, OpenBLAS's gemms on two).
# Environment: JMH_ARGS replaces the JMH iteration settings; E2E_ARGS adds EndToEnd options (e.g. "--epochs 7");
# E2E_BUDGET_S caps the measured seconds of one variant (default 45: a thrashing setting cannot hold the run).
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

mode=full
out=""
build=1
jmh=1
e2e=1
configs="omp1-env omp1-noenv omp2-env omp2-noenv omp1-blas2-env omp1-blas2-noenv"
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) mode=smoke ;;
    --profile) mode=profile ;;
    --observers) mode=observers ;;
    --streaming) mode=streaming ;;
    --out) out="$2"; shift ;;
    --no-build) build=0 ;;
    --skip-jmh) jmh=0 ;;
    --skip-e2e) e2e=0 ;;
    --configs) configs="$2"; shift ;;
    *) echo "unknown option $1; see the comment at the top of $0" >&2; exit 2 ;;
  esac
  shift
done
out="${out:-benchmarks/target/results/$(date -u +%Y%m%dT%H%M%SZ)-$mode}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

if [ "$build" = 1 ]; then
  mvn -q -B -ntp -pl benchmarks -am package -DskipTests
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

if [ "$mode" = profile ]; then
  # Our trainer alone, no callbacks, sampled by JFR (Java stacks; ND4J's native time shows under the Java method
  # that called into it). ProfileSummary attributes the samples to the trainer's phases.
  OMP_NUM_THREADS=1 "${java[@]}" \
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

if [ "$mode" = streaming ]; then
  # Interleaved rounds of one epoch each: in-memory Dataset, mapped IDX, gzipped IDX (STREAMING_ARGS: "--rounds 15").
  OMP_NUM_THREADS=1 "${java[@]}" org.callbacks4j.benchmarks.e2e.StreamingEpochs --tmp "$out/streaming" \
    ${STREAMING_ARGS:-} 2>/dev/null | grep -v '^round'
  cp "$out/streaming/streaming-epochs.md" "$out/streaming-epochs.md"
  rm -f "$out/streaming/train-images-idx3-ubyte" "$out/streaming/train-labels-idx1-ubyte"
  log_load after
  exit 0
fi

if [ "$mode" = observers ]; then
  # Interleaved rounds of the five variants on the digits sample, one thread (OBSERVERS_ARGS: e.g. "--rounds 9").
  OMP_NUM_THREADS=1 "${java[@]}" org.callbacks4j.benchmarks.e2e.DigitsObservers --out "$out/digits-observers" \
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
    OMP_NUM_THREADS=1 "${java[@]}" org.callbacks4j.benchmarks.e2e.EndToEnd --smoke --out "$out" --config smoke \
      ${E2E_ARGS:-} > "$out/e2e.log" 2>&1 || { tail -40 "$out/e2e.log"; exit 1; }
    grep -E '^\[(smoke|omp)|^  ' "$out/e2e.log"
  else
    for config in $configs; do
      case "$config" in
        omp1-env|omp2-env|omp1-noenv|omp2-noenv|omp1-blas2-env|omp1-blas2-noenv) ;;
        *) echo "unknown config $config; use omp{1,2}-{env,noenv} or omp1-blas2-{env,noenv}" >&2; exit 2 ;;
      esac
      threads="${config:3:1}"
      blas=()
      case "$config" in *-blas2-*) blas=(--blas-threads 2) ;; esac
      echo "== end to end, $config"
      unset_blas=()
      if [ "${config##*-}" = noenv ]; then unset_blas=(-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE); fi
      # Test accuracy once, in the machine's own setting.
      accuracy=0
      if [ "$config" = omp1-env ]; then accuracy=15; fi
      env "${unset_blas[@]}" OMP_NUM_THREADS="$threads" "${java[@]}" org.callbacks4j.benchmarks.e2e.EndToEnd \
        --out "$out" --config "$config" "${blas[@]}" --accuracy-epochs "$accuracy" --budget-s "${E2E_BUDGET_S:-45}" \
        ${E2E_ARGS:-} > "$out/e2e-$config.log" 2>&1 || { tail -40 "$out/e2e-$config.log"; exit 1; }
      grep -E '^\[(smoke|omp)|^  ' "$out/e2e-$config.log"
      log_load "after $config"
    done
  fi
fi

"${java[@]}" org.callbacks4j.benchmarks.Report "$out" > /dev/null
echo "== results: $out/results.md, $out/results.json (raw: $out/jmh.csv, $out/e2e.csv)"
