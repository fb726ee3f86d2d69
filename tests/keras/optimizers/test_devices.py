"""Slots live on the variables' device, and a CUDA step never waits for the GPU.

The CUDA cases run only where a GPU is present (`torch.cuda.set_sync_debug_mode`
turns any synchronizing call into an error); the CPU cases check the same code.
"""

import contextlib

import numpy as np
import pytest
import torch

import capas
from capas.keras import optimizers

DEVICES = ["cpu", pytest.param("cuda", marks=pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA"))]

CASES = [
    ("SGD", {"momentum": 0.9, "nesterov": True}),
    ("RMSprop", {"centered": True, "momentum": 0.5}),
    ("Adam", {"amsgrad": True, "global_clipnorm": 1.0}),
    ("AdamW", {"clipnorm": 0.5, "use_ema": True}),
    ("Adagrad", {"clipvalue": 0.5}),
    ("Adadelta", {"gradient_accumulation_steps": 2}),
    ("Adamax", {"loss_scale_factor": 2.0}),
    ("Nadam", {}),
    ("Lion", {}),
    ("Ftrl", {"l1_regularization_strength": 0.01}),
    ("Lamb", {}),
    ("Adafactor", {}),
    ("SGD", {"learning_rate": optimizers.schedules.CosineDecay(0.1, 10, warmup_target=0.2, warmup_steps=2)}),
]


@contextlib.contextmanager
def _no_sync(device):
    if device != "cuda":
        yield
        return
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        yield
    finally:
        torch.cuda.set_sync_debug_mode("default")


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name,options", CASES, ids=[f"{n}-{sorted(o)}" for n, o in CASES])
def test_steps_on_device_match_cpu_without_sync(device, name, options):
    rng = np.random.default_rng(0)
    shapes = [(4, 3), (3,), (2, 2, 2)]
    inits = [rng.normal(size=s).astype("float32") for s in shapes]
    grads = [[torch.tensor(rng.normal(size=s).astype("float32")) for s in shapes] for _ in range(6)]

    def run(dev):
        variables = [capas.Variable(torch.tensor(x, device=dev), name=f"v{i}") for i, x in enumerate(inits)]
        opt = getattr(optimizers, name)(**{"learning_rate": 0.05, **options})
        step_grads = [[g.to(dev) for g in step] for step in grads]
        opt.apply(step_grads[0], variables)  # the first step builds (allocations may sync)
        opt.apply(step_grads[1], variables)
        with _no_sync(dev):
            for step in step_grads[2:]:
                opt.apply(step, variables)
        return opt, variables

    opt, variables = run(device)
    for slot in opt.variables[1:]:
        if slot.dim() > 0:
            assert slot.device.type == device, slot.path
    _, cpu_variables = run("cpu")
    for v, ref in zip(variables, cpu_variables):
        np.testing.assert_allclose(v.detach().cpu().numpy(), ref.numpy(), rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("device", DEVICES)
def test_loss_scale_optimizer_on_device(device):
    w = capas.Variable(torch.ones(3, device=device), name="w")
    opt = optimizers.LossScaleOptimizer(optimizers.Adam(0.1), initial_scale=4.0, dynamic_growth_steps=2)
    opt.apply([torch.full((3,), 4.0, device=device)], [w])
    opt.apply([torch.tensor([1.0, float("inf"), 1.0], device=device)], [w])
    assert opt.dynamic_scale.device.type == device
    assert float(opt.dynamic_scale) == 2.0 and int(opt.iterations) == 1
