#!/usr/bin/env python3
"""Reads a callbacks4j TensorBoard log dir with TensorBoard's own reader and checks it.

For every run (folder holding event files) it loads the scalars with TensorBoard's EventAccumulator, and fails if
a tag has a repeated step (what a run folder written twice looks like) or a value that is not finite where the CSV
log has a finite one. Given the CSV log of the same fit, it also checks that each epoch's value in TensorBoard is the
CSV's (as float32; TensorBoard stores float32). Prints one line per run and tag.

    python3 tools/check_tensorboard.py runs/digits/tb [runs/digits/history.csv]

Needs the `tensorboard` Python package (not a dependency of the project: this is a check against the real reader).
"""
import csv
import math
import struct
import sys
from pathlib import Path

from tensorboard.backend.event_processing import event_accumulator


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def runs(logdir):
    return sorted({p.parent for p in Path(logdir).rglob("*tfevents*")})


def main(argv):
    logdir = argv[1]
    history = {}
    if len(argv) > 2:
        with open(argv[2], newline="") as f:
            for row in csv.DictReader(f):
                history[int(row["epoch"])] = row
    failures = []
    found = runs(logdir)
    if not found:
        failures.append(f"no event files under {logdir}")
    for run in found:
        acc = event_accumulator.EventAccumulator(str(run), size_guidance={event_accumulator.SCALARS: 0})
        acc.Reload()
        name = run.relative_to(logdir) if run != Path(logdir) else Path(".")
        for tag in sorted(acc.Tags()["scalars"]):
            events = acc.Scalars(tag)
            steps = [e.step for e in events]
            repeated = sorted({s for s in steps if steps.count(s) > 1})
            print(f"{name}\t{tag}\t{len(steps)} values\tsteps {steps[0]}..{steps[-1]}"
                  + (f"\tREPEATED {repeated}" if repeated else ""))
            if repeated:
                failures.append(f"{name}/{tag}: steps {repeated} written more than once")
            if not history or not tag.startswith("epoch_"):
                continue
            metric = tag[len("epoch_"):]
            column = ("val_" + metric) if str(name).startswith("validation") else metric
            for e in events:
                row = history.get(e.step)
                if row is None or column not in row or row[column] == "":
                    continue
                expected = f32(float(row[column]))
                if not (math.isclose(e.value, expected, rel_tol=1e-6, abs_tol=1e-7)
                        or (math.isnan(e.value) and math.isnan(expected))):
                    failures.append(f"{name}/{tag} step {e.step}: TensorBoard {e.value}, CSV {column} {expected}")
    for f in failures:
        print("FAIL", f)
    print("OK" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
