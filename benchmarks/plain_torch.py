"""The hand-written PyTorch loops capas is measured against.

Written as a performance engineer would: tensors made once and kept on the
device, one permutation per epoch, batches by `index_select`, `zero_grad(
set_to_none=True)`, torch.optim with `foreach=True`, accuracy and loss summed
on the device and read once per epoch. Same math as the Keras models: a
softmax output and crossentropy on clipped probabilities.
"""

import torch
import torch.nn.functional as F

EPS = 1e-7


def seed_net():
    return torch.nn.Sequential(
        torch.nn.Linear(784, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 10), torch.nn.Softmax(dim=-1))


def wide_net():
    return torch.nn.Sequential(
        torch.nn.Linear(784, 1024), torch.nn.ReLU(),
        torch.nn.Linear(1024, 1024), torch.nn.ReLU(),
        torch.nn.Linear(1024, 10), torch.nn.Softmax(dim=-1))


class CNN(torch.nn.Module):
    """28x28x1 -> Conv 32 3x3 relu -> MaxPool 2 -> Conv 64 3x3 relu -> MaxPool 2 -> Flatten -> Dense 10 softmax."""

    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(1, 32, 3)
        self.c2 = torch.nn.Conv2d(32, 64, 3)
        self.fc = torch.nn.Linear(64 * 5 * 5, 10)

    def forward(self, x):  # x: (N, 1, 28, 28)
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return F.softmax(self.fc(x.flatten(1)), dim=-1)


def sparse_ce_on_probs(probs, y):
    return -torch.log(probs.gather(1, y[:, None]).clamp(EPS, 1 - EPS)).mean()


class TrainLoop:
    """One epoch of training per `run()` call."""

    def __init__(self, net, optimizer, x, y, batch_size):
        self.net, self.opt, self.x, self.y, self.bs = net, optimizer, x, y, batch_size
        self.n = x.shape[0]

    def run(self):
        net, opt, x, y, bs = self.net, self.opt, self.x, self.y, self.bs
        perm = torch.randperm(self.n, device=x.device)
        loss_sum = torch.zeros((), device=x.device)
        correct = torch.zeros((), device=x.device, dtype=torch.long)
        net.train()
        for start in range(0, self.n, bs):
            idx = perm[start:start + bs]
            xb, yb = x.index_select(0, idx), y.index_select(0, idx)
            opt.zero_grad(set_to_none=True)
            probs = net(xb)
            loss = sparse_ce_on_probs(probs, yb)
            loss.backward()
            opt.step()
            with torch.no_grad():
                loss_sum += loss.detach()
                correct += (probs.argmax(1) == yb).sum()
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
                outs.append(self.net(self.x[start:start + self.bs]))
        return torch.cat(outs).cpu().numpy()

    @property
    def steps(self):
        return -(-self.n // self.bs)


def make(workload, x, y, device):
    """The plain-torch runner for a workload name."""
    if workload in ("seed", "tape"):
        net = seed_net().to(device)
        opt = torch.optim.RMSprop(net.parameters(), lr=1e-3, alpha=0.9, eps=1e-7, foreach=True)
        return TrainLoop(net, opt, x, y, 64)
    if workload == "wide":
        net = wide_net().to(device)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7, foreach=True)
        return TrainLoop(net, opt, x, y, 256)
    if workload == "cnn":
        net = CNN().to(device)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7, foreach=True)
        return TrainLoop(net, opt, x.reshape(-1, 1, 28, 28), y, 128)
    if workload == "predict":
        return PredictLoop(seed_net().to(device), x, 1024)
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


class FlushDenormal:
    """A runner run with denormal floats flushed to zero (what capas's fit does, and TF/JAX do)."""

    def __init__(self, runner):
        self.runner = runner
        self.n = runner.n

    @property
    def steps(self):
        return self.runner.steps

    def run(self):
        torch.set_flush_denormal(True)
        try:
            return self.runner.run()
        finally:
            torch.set_flush_denormal(False)
