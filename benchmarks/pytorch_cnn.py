#!/usr/bin/env python3
"""PyTorch CPU as the peer of the CNN end-to-end benchmark (BENCHMARKS.md, "CNN, end to end"): Fashion-MNIST epochs
of the Fashion-MNIST sample's CNN (org.callbacks4j.samples.fashion.FashionMnistSample.model()) in PyTorch, on a given
thread count. org.callbacks4j.benchmarks.e2e.CnnEndToEnd starts one of these per thread count as a worker and asks it
for one epoch at a time, interleaved with its own variants, so that every system's epochs are measured side by side
in one run.

    /usr/bin/python3 benchmarks/pytorch_cnn.py --threads 1 [--rows 10000] [--epochs 3]       # alone
    /usr/bin/python3 benchmarks/pytorch_cnn.py --threads 1 --worker [--rows 10000] ...       # CnnEndToEnd's worker
    /usr/bin/python3 benchmarks/pytorch_cnn.py --threads 1 --rows 640 --profile              # time per op

The network, in PyTorch's natural layout (NCHW): Conv2d(1, 32, 3, padding=1), ReLU, BatchNorm2d(32), MaxPool2d(2),
Conv2d(32, 64, 3, padding=1), ReLU, BatchNorm2d(64), MaxPool2d(2), Flatten, Dropout(0.4), Linear(3136, 128), ReLU,
Dropout(0.3), Linear(128, 10); batch norm with Keras's epsilon 1e-3 and momentum 0.99 (PyTorch's momentum=0.01);
initialisation as ours and DL4J's: He normal kernels (fan in) for the ReLU layers, Glorot uniform for the output,
zero biases. nn.CrossEntropyLoss (softmax cross-entropy, batch mean), torch.optim.Adam(lr=1e-3), batch 64, the rows
shuffled every epoch with one gather, the loss summed on the tensor side (no host copy per batch).

Threads: OMP_NUM_THREADS and OPENBLAS_NUM_THREADS are set to --threads before torch loads (its OpenMP pool and the
BLAS it links read them then), and torch.set_num_threads(--threads). Convolutions run in oneDNN (MKL-DNN) where this
PyTorch has it, as a PyTorch user gets them.

Worker protocol (one line each way): after loading and a warm-up of --warmup-batches batches it prints "ready <info>";
then "epoch" -> "epoch <seconds> <mean loss> <train accuracy> <main thread CPU s> <process CPU s>", "eval" -> "eval <test accuracy>", "quit" -> exits.
Anything else on stdout goes to stderr.
"""
import argparse
import gzip
import os
import struct
import sys
import time

torch = None  # imported in main(), after the thread variables are set

BATCH_SIZE = 64
SEED = 42
CLASSES = 10


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


def load(data_dir, prefix, rows, synthetic_seed):
    """[rows, 1, 28, 28] floats in [0, 1] and their classes; synthetic rows where the files are absent."""
    images = find(data_dir, prefix + "-images-idx3-ubyte")
    labels = find(data_dir, prefix + "-labels-idx1-ubyte")
    if images and labels:
        x = read_idx(images).reshape(-1, 1, 28, 28).float().div_(255.0)
        y = read_idx(labels).long()
    else:
        g = torch.Generator().manual_seed(synthetic_seed)
        y = torch.randint(0, CLASSES, (rows or 2048,), generator=g)
        means = torch.rand(CLASSES, 1, 28, 28, generator=g)
        x = (means[y] + 0.3 * (torch.rand(y.shape[0], 1, 28, 28, generator=g) - 0.5)).clamp_(0, 1)
    if rows:
        x, y = x[:rows].contiguous(), y[:rows].contiguous()
    return x, y


def model():
    nn = torch.nn
    net = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(32, eps=1e-3, momentum=0.01), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(64, eps=1e-3, momentum=0.01), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(0.4),
        nn.Linear(64 * 7 * 7, 128), nn.ReLU(),
        nn.Dropout(0.3),
        nn.Linear(128, CLASSES))
    linear = [m for m in net if isinstance(m, (nn.Conv2d, nn.Linear))]
    for m in linear[:-1]:
        nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
        nn.init.zeros_(m.bias)
    nn.init.xavier_uniform_(linear[-1].weight)
    nn.init.zeros_(linear[-1].bias)
    return net


class Trainer:
    """The PyTorch training loop over (x, y), shuffled every epoch."""

    def __init__(self, x, y):
        torch.manual_seed(SEED)
        self.net = model()
        self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-3)
        self.loss_fn = torch.nn.CrossEntropyLoss()
        self.x, self.y = x, y
        self.xs, self.ys = torch.empty_like(x), torch.empty_like(y)
        self.generator = torch.Generator().manual_seed(SEED)

    def epoch(self):
        self.net.train()
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

    def accuracy(self, x, y):
        self.net.eval()
        with torch.no_grad():
            hits = sum((self.net(x[s:s + 256]).argmax(1) == y[s:s + 256]).sum().item()
                       for s in range(0, x.shape[0], 256))
        return hits / x.shape[0]


def timed_epoch(trainer):
    """Wall seconds, loss, accuracy, the main thread's and the process's CPU seconds."""
    t0 = time.perf_counter()
    c0 = time.thread_time()
    p0 = time.process_time()
    loss, acc = trainer.epoch()
    return time.perf_counter() - t0, loss, acc, time.thread_time() - c0, time.process_time() - p0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--rows", type=int, default=0, help="training rows (0: all 60,000)")
    p.add_argument("--test-rows", type=int, default=2000)
    p.add_argument("--epochs", type=int, default=3, help="measured epochs when run alone")
    p.add_argument("--warmup-batches", type=int, default=16)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--worker", action="store_true")
    p.add_argument("--profile", action="store_true",
                   help="one epoch under torch.profiler: self CPU time per op (after the warm-up)")
    a = p.parse_args()
    if a.threads < 1:
        sys.exit("--threads must be 1 or more, got %d" % a.threads)
    if a.rows < 0 or a.test_rows < 1 or a.epochs < 1 or a.warmup_batches < 1:
        sys.exit("--rows must be >= 0 and --test-rows, --epochs, --warmup-batches >= 1")
    os.environ["OMP_NUM_THREADS"] = str(a.threads)
    os.environ["OPENBLAS_NUM_THREADS"] = str(a.threads)
    reply = sys.stdout
    if a.worker:
        sys.stdout = sys.stderr  # only protocol lines on the pipe
    global torch
    import torch as torch_module
    torch = torch_module
    torch.set_num_threads(a.threads)
    x, y = load(a.data, "train", a.rows, 1)
    tx, ty = load(a.data, "t10k", a.test_rows, 2)
    warm_rows = min(x.shape[0], a.warmup_batches * BATCH_SIZE)
    timed_epoch(Trainer(x[:warm_rows].contiguous(), y[:warm_rows].contiguous()))
    trainer = Trainer(x, y)
    info = "torch=%s threads=%d mkldnn=%s rows=%d" % (torch.__version__, torch.get_num_threads(),
                                                       torch.backends.mkldnn.is_available(), x.shape[0])
    if a.profile:
        print(info, flush=True)
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
            t, loss, acc, cpu, proc = timed_epoch(trainer)
        print("one epoch of %d batches under the profiler: %.3f s" % ((x.shape[0] + BATCH_SIZE - 1) // BATCH_SIZE, t))
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=20))
        return
    if not a.worker:
        print(info, flush=True)
        times = []
        for e in range(a.epochs):
            t, loss, acc, cpu, proc = timed_epoch(trainer)
            times.append(t)
            print("epoch %d: %.3f s (main thread CPU %.3f s), loss %.4f, train accuracy %.4f" % (e, t, cpu, loss, acc),
                  flush=True)
        print("median %.3f s over %d epochs; test accuracy %.4f" % (sorted(times)[len(times) // 2], len(times),
                                                                    trainer.accuracy(tx, ty)), flush=True)
        return
    reply.write("ready " + info + "\n")
    reply.flush()
    for line in sys.stdin:
        command = line.strip()
        if command == "epoch":
            t, loss, acc, cpu, proc = timed_epoch(trainer)
            reply.write("epoch %.6f %.6g %.6g %.6f %.6f\n" % (t, loss, acc, cpu, proc))
        elif command == "eval":
            reply.write("eval %.6g\n" % trainer.accuracy(tx, ty))
        elif command == "quit":
            return
        else:
            reply.write("error unknown command %r; use epoch, eval or quit\n" % command)
        reply.flush()


if __name__ == "__main__":
    main()
