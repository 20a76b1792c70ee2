#!/usr/bin/env python3
"""PyTorch CPU as the peer of the end-to-end benchmark (BENCHMARKS.md): the same Fashion-MNIST epochs as
org.callbacks4j.benchmarks.e2e.EndToEnd, with the same network, batch, optimizer and thread count, and the same
epoch's matrix products alone. Appends one row per epoch to <out>/e2e.csv in EndToEnd's format, so that
org.callbacks4j.benchmarks.Report puts both in one table.

    /usr/bin/python3 benchmarks/pytorch_e2e.py --out DIR --config omp1-env --threads 1 [--epochs 5]
        [--networks 784-256-10,784-512-256-10] [--variants pytorch,pytorch-gemm] [--budget-s 45]
        [--data /usr/share/datasets/fashion-mnist] [--rows N] [--smoke]

What runs per batch (variant "pytorch"): the usual PyTorch loop, as its tutorials write it: forward through
nn.Sequential(Linear, ReLU, ..., Linear), nn.CrossEntropyLoss (softmax cross-entropy, batch mean), zero_grad,
backward, torch.optim.Adam(lr=1e-3) step; training loss and accuracy summed on the tensor side (no host copy per
batch), as our trainer does; the training rows shuffled every epoch (one gather of the rows, as ours). Weights:
PyTorch's default initialisation. "pytorch-gemm": per batch only the products the backward pass needs, as
EndToEnd's gemm bound (forward X W, weight gradients A^T D, input deltas D W^T but the first layer's) into preallocated
outputs (torch.mm(out=...)).

--threads N calls torch.set_num_threads(N) (intra-op threads); 0 keeps PyTorch's default. Warm-up: 2 epochs over
the first 64 batches before the measured epochs, as EndToEnd.
"""
import argparse
import gzip
import os
import struct
import sys
import time

torch = None  # imported in main(), after the thread variables are set

BATCH_SIZE = 128
SEED = 42
PIXELS = 784
CLASSES = 10
HEADER = ("config,omp_threads,openblas_env,network,variant,epoch,warmup,batches,seconds,alloc_bytes,hook_s,"
          "hook_checkpoint_s,hook_csv_s,hook_tensorboard_s,hook_progress_s,loss,test_accuracy")


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def find(data_dir, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(data_dir, candidate)
        if os.path.exists(path):
            return path
    return None


def load(data_dir, rows, smoke):
    images = find(data_dir, "train-images-idx3-ubyte")
    labels = find(data_dir, "train-labels-idx1-ubyte")
    if images and labels:
        x = read_idx(images).reshape(-1, PIXELS).float().div_(255.0)
        y = read_idx(labels).long()
        source = "Fashion-MNIST " + data_dir
    elif smoke:
        g = torch.Generator().manual_seed(1)
        x = torch.rand(rows or 2048, PIXELS, generator=g)
        y = torch.randint(0, CLASSES, (x.shape[0],), generator=g)
        source = "synthetic (Fashion-MNIST not found in %s)" % data_dir
    else:
        sys.exit("Fashion-MNIST not found in %s; run benchmarks/run.sh (it installs the Debian package "
                 "dataset-fashion-mnist) or pass --data DIR" % data_dir)
    if rows:
        x, y = x[:rows].contiguous(), y[:rows].contiguous()
    return x, y, source


def widths(network):
    w = [int(v) for v in network.split("-")]
    if len(w) < 2 or w[0] != PIXELS or w[-1] != CLASSES:
        sys.exit('network "%s" must be layer widths from 784 to 10, e.g. 784-256-10' % network)
    return w


def model(w):
    layers = []
    for i in range(len(w) - 1):
        layers.append(torch.nn.Linear(w[i], w[i + 1]))
        if i < len(w) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


class Trainer:
    """The PyTorch training loop over (x, y), shuffled every epoch."""

    def __init__(self, w, x, y):
        torch.manual_seed(SEED)
        self.net = model(w)
        self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-3)
        self.loss_fn = torch.nn.CrossEntropyLoss()
        self.x, self.y = x, y
        self.xs, self.ys = torch.empty_like(x), torch.empty_like(y)
        self.generator = torch.Generator().manual_seed(SEED)

    def epoch(self):
        n = self.x.shape[0]
        order = torch.randperm(n, generator=self.generator)
        torch.index_select(self.x, 0, order, out=self.xs)
        torch.index_select(self.y, 0, order, out=self.ys)
        loss_sum = torch.zeros(())
        hits = torch.zeros((), dtype=torch.long)
        for start in range(0, n, BATCH_SIZE):
            xb = self.xs[start:start + BATCH_SIZE]
            yb = self.ys[start:start + BATCH_SIZE]
            out = self.net(xb)
            loss = self.loss_fn(out, yb)
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            self.opt.step()
            with torch.no_grad():
                loss_sum += loss.detach() * xb.shape[0]
                hits += (out.argmax(1) == yb).sum()
        return loss_sum.item() / n, hits.item() / n


class GemmBound:
    """The epoch's matrix products alone, into preallocated outputs (EndToEnd's GemmBound)."""

    def __init__(self, w, x):
        g = torch.Generator().manual_seed(SEED)
        self.weights = [(torch.rand(w[i], w[i + 1], generator=g) - 0.5) * 0.1 for i in range(len(w) - 1)]
        self.grads = [torch.empty(w[i], w[i + 1]) for i in range(len(w) - 1)]
        self.batches = [x[s:s + BATCH_SIZE] for s in range(0, x.shape[0], BATCH_SIZE)]
        self.frames = {}
        for b in self.batches:
            rows = b.shape[0]
            if rows not in self.frames:
                self.frames[rows] = ([torch.rand(rows, w[i + 1], generator=g) for i in range(len(w) - 1)],
                                     [torch.rand(rows, w[i + 1], generator=g) for i in range(len(w) - 1)])

    def epoch(self):
        layers = len(self.weights)
        for xb in self.batches:
            a, d = self.frames[xb.shape[0]]
            inp = xb
            for l in range(layers):
                torch.mm(inp, self.weights[l], out=a[l])
                inp = a[l]
            for l in range(layers - 1, -1, -1):
                inp = xb if l == 0 else a[l - 1]
                torch.mm(inp.t(), d[l], out=self.grads[l])
                if l > 0:
                    torch.mm(d[l], self.weights[l].t(), out=d[l - 1])
        return float("nan"), None


def run_epochs(runner, epochs, budget_s):
    times, losses = [], []
    spent = 0.0
    for _ in range(epochs):
        if times and budget_s and spent >= budget_s:
            break
        t0 = time.perf_counter()
        loss, _ = runner.epoch()
        t = time.perf_counter() - t0
        spent += t
        times.append(t)
        losses.append(loss)
    return times, losses


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--config", default="default")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--warmup-epochs", type=int, default=2)
    p.add_argument("--warmup-batches", type=int, default=None)
    p.add_argument("--networks", default="784-256-10,784-512-256-10")
    p.add_argument("--variants", default="pytorch,pytorch-gemm")
    p.add_argument("--budget-s", type=float, default=0)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--rows", type=int, default=0)
    p.add_argument("--smoke", action="store_true")
    a = p.parse_args()
    epochs = a.epochs or (2 if a.smoke else 5)
    warmup_batches = a.warmup_batches or (4 if a.smoke else 64)
    rows = a.rows or (2048 if a.smoke else 0)
    if a.threads < 0:
        sys.exit("--threads must be 0 (PyTorch's default) or more, got %d" % a.threads)
    if a.threads > 0:
        # PyTorch's matrix products run in the BLAS library it links (libblas.so.3: OpenBLAS where installed), which
        # reads its thread count when it loads and ignores torch.set_num_threads: both get the same count.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", str(a.threads))
    global torch
    import torch as torch_module
    torch = torch_module
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    threads = torch.get_num_threads()
    x, y, source = load(a.data, rows, a.smoke)
    warm_rows = min(x.shape[0], warmup_batches * BATCH_SIZE)
    wx, wy = x[:warm_rows].contiguous(), y[:warm_rows].contiguous()
    batches = (x.shape[0] + BATCH_SIZE - 1) // BATCH_SIZE
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    l2 = os.environ.get("OPENBLAS_L2_SIZE")
    openblas = "unset" if coretype is None and l2 is None else "CORETYPE=%s L2_SIZE=%s" % (coretype or "-", l2 or "-")
    omp = "%d/openblas%s" % (threads, os.environ.get("OPENBLAS_NUM_THREADS", "-default"))
    os.makedirs(a.out, exist_ok=True)
    csv_path = os.path.join(a.out, "e2e.csv")
    fresh = not os.path.exists(csv_path) or os.path.getsize(csv_path) == 0
    problems = []
    with open(csv_path, "a") as csv:
        if fresh:
            csv.write(HEADER + "\n")
        for network in a.networks.split(","):
            w = widths(network)
            for variant in a.variants.split(","):
                print("[%s] %s %s: PyTorch %s, %d threads, %d warm-up epochs of %d batches, %d epochs (%s)" % (
                    a.config, network, variant, torch.__version__, threads, a.warmup_epochs, warmup_batches, epochs,
                    source), flush=True)
                if variant == "pytorch":
                    make = lambda xx, yy: Trainer(w, xx, yy)
                elif variant == "pytorch-gemm":
                    make = lambda xx, yy: GemmBound(w, xx)
                else:
                    sys.exit("unknown variant %s; use pytorch or pytorch-gemm" % variant)
                warm_times, warm_losses = run_epochs(make(wx, wy), a.warmup_epochs, 0)
                times, losses = run_epochs(make(x, y), epochs, a.budget_s)
                for i, t in enumerate(warm_times):
                    csv.write(row(a.config, omp, openblas, network, variant, i - len(warm_times), True,
                                  min(warmup_batches, batches), t, warm_losses[i]))
                for i, t in enumerate(times):
                    csv.write(row(a.config, omp, openblas, network, variant, i, False, batches, t, losses[i]))
                    if variant == "pytorch" and not losses[i] == losses[i]:
                        problems.append("%s %s epoch %d loss %s" % (network, variant, i, losses[i]))
                csv.flush()
                measured = sorted(times)
                print("  %s %s: median %.3f s over %d epochs %s" % (
                    network, variant, measured[len(measured) // 2], len(measured),
                    "[" + ", ".join("%.3f" % t for t in measured) + "]"), flush=True)
    if problems:
        sys.exit("PyTorch run failed checks:\n  " + "\n  ".join(problems))


def row(config, omp, openblas, network, variant, epoch, warmup, batches, seconds, loss):
    num = lambda v: "" if v != v else "%.6g" % v
    return ",".join([config, omp, '"%s"' % openblas, network, variant, str(epoch), "1" if warmup else "0",
                     str(batches), num(seconds), "", "", "", "", "", "", num(loss), ""]) + "\n"


if __name__ == "__main__":
    main()
