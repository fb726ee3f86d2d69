"""The hand-written PyTorch loops capas is measured against.

The reference (`torch`) is the fastest loop a PyTorch engineer would write for the job:
the network returns logits and the loss is `F.cross_entropy` (log-softmax fused into the
loss), tensors are made once and kept on the device, one permutation per epoch, batches by
`index_select`, `zero_grad(set_to_none=True)`, `torch.optim` with `foreach=True` (`fused=True`
for Adam, faster on the CPU here), loss and accuracy summed on the device and read once per
epoch, denormals flushed to zero as capas's `fit` does (TensorFlow and JAX do too), and freed
CPU memory kept for reuse as capas's `fit` keeps it (glibc's `mallopt`, see `capas/_malloc.py`;
the setting is the process's, so it is made before the first runner of any framework).

`torch-probs` is the loop the benchmarks used before: a softmax layer, then crossentropy on
clipped probabilities (the same math as a Keras model ending in `softmax`). It is kept only
as a second, labelled row.
"""

import contextlib

import torch
import torch.nn.functional as F

from capas._malloc import retain_freed_memory

EPS = 1e-7


def _mlp(hidden, probs):
    layers = [
        torch.nn.Linear(784, hidden),
        torch.nn.ReLU(),
        torch.nn.Linear(hidden, hidden),
        torch.nn.ReLU(),
        torch.nn.Linear(hidden, 10),
    ]
    if probs:
        layers.append(torch.nn.Softmax(dim=-1))
    return torch.nn.Sequential(*layers)


def seed_net(probs=False):
    return _mlp(64, probs)


def wide_net(probs=False):
    return _mlp(1024, probs)


class CNN(torch.nn.Module):
    """28x28x1 -> Conv 32 3x3 relu -> MaxPool 2 -> Conv 64 3x3 relu -> MaxPool 2 -> Flatten -> Dense 10."""

    def __init__(self, probs=False):
        super().__init__()
        self.c1 = torch.nn.Conv2d(1, 32, 3)
        self.c2 = torch.nn.Conv2d(32, 64, 3)
        self.fc = torch.nn.Linear(64 * 5 * 5, 10)
        self.probs = probs

    def forward(self, x):  # x: (N, 1, 28, 28), channels_last memory format
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        logits = self.fc(x.flatten(1))
        return F.softmax(logits, dim=-1) if self.probs else logits


def sparse_ce_on_probs(probs, y):
    return -torch.log(probs.gather(1, y[:, None]).clamp(EPS, 1 - EPS)).mean()


def flush_denormal_state():
    """Whether denormals are flushed now (torch has a setter only, so ask the hardware)."""
    return torch.tensor(1e-40, dtype=torch.float32).mul(1.0).item() == 0.0


def flushing_denormals():
    """Flush denormals inside the block on every intra-op thread, as capas's `fit` does.

    `torch.set_flush_denormal` alone sets only the calling thread; the reference loop gets the
    same all-threads setting as capas so that the comparison is like for like.
    """
    from capas.keras.trainers._denormals import flushing_denormals as all_threads

    return all_threads()


class TrainLoop:
    """One epoch of training per `run()` call."""

    def __init__(self, net, optimizer, x, y, batch_size, probs=False, ftz=True):
        self.net, self.opt, self.x, self.y, self.bs = net, optimizer, x, y, batch_size
        self.loss_fn = sparse_ce_on_probs if probs else F.cross_entropy
        self.ftz = ftz
        self.n = x.shape[0]

    def run(self):
        with flushing_denormals() if self.ftz else contextlib.nullcontext():
            return self._epoch()

    def _epoch(self):
        net, opt, x, y, bs, loss_fn = self.net, self.opt, self.x, self.y, self.bs, self.loss_fn
        perm = torch.randperm(self.n, device=x.device)
        loss_sum = torch.zeros((), device=x.device)
        correct = torch.zeros((), device=x.device, dtype=torch.long)
        net.train()
        for start in range(0, self.n, bs):
            idx = perm[start : start + bs]
            xb, yb = x.index_select(0, idx), y.index_select(0, idx)
            opt.zero_grad(set_to_none=True)
            out = net(xb)
            loss = loss_fn(out, yb)
            loss.backward()
            opt.step()
            with torch.no_grad():
                loss_sum += loss.detach()
                correct += (out.argmax(1) == yb).sum()
        return float(loss_sum), int(correct)

    @property
    def steps(self):
        return -(-self.n // self.bs)


class PredictLoop:
    def __init__(self, net, x, batch_size):
        self.net, self.x, self.bs = net, x, batch_size
        self.n = x.shape[0]

    def run(self):
        self.net.eval()
        outs = []
        with torch.inference_mode():
            for start in range(0, self.n, self.bs):
                outs.append(self.net(self.x[start : start + self.bs]))
        return torch.cat(outs).cpu().numpy()

    @property
    def steps(self):
        return -(-self.n // self.bs)


class EvaluateLoop:
    """One evaluation pass per `run()` call: the mean loss and the accuracy, summed on the device."""

    def __init__(self, net, x, y, batch_size):
        self.net, self.x, self.y, self.bs = net, x, y, batch_size
        self.n = x.shape[0]

    def run(self):
        self.net.eval()
        loss_sum = torch.zeros((), device=self.x.device)
        correct = torch.zeros((), device=self.x.device, dtype=torch.long)
        with torch.inference_mode():
            for start in range(0, self.n, self.bs):
                xb, yb = self.x[start : start + self.bs], self.y[start : start + self.bs]
                out = self.net(xb)
                loss_sum += F.cross_entropy(out, yb, reduction="sum")
                correct += (out.argmax(1) == yb).sum()
        return float(loss_sum) / self.n, int(correct) / self.n

    @property
    def steps(self):
        return -(-self.n // self.bs)


def _adam(net, device):
    # fused=True is torch's fastest Adam on CPU and CUDA (one kernel for all parameters).
    return torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7, fused=True)


def make(workload, x, y, device, probs=False, compiled=False):
    """The plain-torch runner for a workload name (`probs=True`: the softmax-probability loop).

    `compiled=True`: the training loop with `torch.compile(net)`, as PyTorch's tutorials compile a
    model (the memory reference of capas's `jit_compile=True` in `--rss`).
    """
    runner = _make(workload, x, y, device, probs)
    if compiled:
        runner.net = torch.compile(runner.net)
    return runner


def _make(workload, x, y, device, probs):
    retain_freed_memory()  # process-wide: every runner of the process, this one first, reuses freed memory
    if workload in ("seed", "tape"):
        net = seed_net(probs).to(device)
        opt = torch.optim.RMSprop(net.parameters(), lr=1e-3, alpha=0.9, eps=1e-7, foreach=True)
        return TrainLoop(net, opt, x, y, 64, probs)
    if workload == "wide":
        net = wide_net(probs).to(device)
        return TrainLoop(net, _adam(net, device), x, y, 256, probs)
    if workload == "cnn":
        net = CNN(probs).to(device).to(memory_format=torch.channels_last)
        images = x.reshape(-1, 1, 28, 28).contiguous(memory_format=torch.channels_last)
        return TrainLoop(net, _adam(net, device), images, y, 128, probs)
    if workload == "predict":
        return PredictLoop(seed_net(probs=True).to(device), x, 1024)
    if workload == "evaluate":
        return EvaluateLoop(seed_net(probs=False).to(device), x, y, 1024)
    if workload == "conv2d":
        return Conv2DLoop(x, device)
    raise ValueError(f"unknown workload {workload!r}")


class Conv2DLoop:
    """The same convolution in plain PyTorch: NCHW input, (out, in, kh, kw) weight."""

    def __init__(self, x, device, steps=50):
        self.conv = torch.nn.Conv2d(x.shape[-1], 64, 3, padding=1).to(device)
        self.x = x.permute(0, 3, 1, 2).contiguous()
        self.steps = steps
        self.n = x.shape[0] * steps

    def run(self):
        for _ in range(self.steps):
            self.conv(self.x).sum().backward()
