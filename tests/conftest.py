"""Shared test set-up: the `keras` reference runs on its torch backend."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

# One intra-op thread per test process: tests run in parallel (pytest -n 2) on
# 2 cores, and torch's thread pool collapses when its cores are taken.
torch.set_num_threads(1)


@pytest.fixture(autouse=True)
def _seed_everything():
    np.random.seed(0)
    torch.manual_seed(0)
    yield


def keras_reference():
    """Import the reference `keras` package (torch backend), or skip the test."""
    return pytest.importorskip("keras")


def aten_ops_run(fn):
    """The names of the ATen ops `fn()` runs on the CPU (torch's profiler): which path a call took."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU]) as prof:
        fn()
    return {event.key for event in prof.key_averages()}
