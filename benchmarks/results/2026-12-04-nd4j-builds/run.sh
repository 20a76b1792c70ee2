#!/usr/bin/env bash
# Dense 784-256-10 and 784-512-256-10 epochs on Fashion-MNIST: ND4J's generic build against its oneDNN AVX2 build
# (the runtime's default on Linux x86-64), alternating processes, then PyTorch on 1 and 2 threads; no thread
# variables (each trainer's own choice), the OpenBLAS variables as the machine sets them.
# Run from the repository root after building both class paths (see BENCHMARKS.md, "Which ND4J build").
set -euo pipefail
out=$1; rounds=${ROUNDS:-2}
for r in $(seq 1 "$rounds"); do
  for build in generic onednn; do
    env -u OMP_NUM_THREADS -u OPENBLAS_NUM_THREADS java -Xms1g -Xmx3g -XX:+UseParallelGC \
      -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -cp "benchmarks/target/classes:$(cat /tmp/cp-$build.txt)" \
      org.callbacks4j.benchmarks.e2e.EndToEnd --out "$out/$build-$r" --config "$build" --variants ours-none \
      --epochs 3 2>/dev/null | grep -E '^\||median' | head -8
  done
done
for t in 1 2; do
  /usr/bin/python3 benchmarks/pytorch_e2e.py --out "$out/torch$t" --config torch$t --threads $t --epochs 3 \
    --variants pytorch 2>/dev/null | grep -E '^\||median' | head -8
done
