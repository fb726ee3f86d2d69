"""Shared helpers for the metric tests: run a capas metric beside its Keras twin."""

import numpy as np
import pytest
import torch


def to_numpy(x):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _as_torch(value):
    if value is None or isinstance(value, (int, float, str)):
        return value
    return torch.from_numpy(np.ascontiguousarray(value))


def _run_pair(ours, theirs, batches, rtol=1e-5, atol=1e-6, torch_inputs=True):
    """Feed every batch to both metrics; after each, the results must agree."""
    for batch in batches:
        args = batch.get("args", ())
        kwargs = batch.get("kwargs", {})
        theirs.update_state(*args, **kwargs)
        if torch_inputs:
            our_args = tuple(_as_torch(a) for a in args)
            our_kwargs = {k: _as_torch(v) for k, v in kwargs.items()}
        else:
            our_args, our_kwargs = args, kwargs
        ours.update_state(*our_args, **our_kwargs)
        expected = np.asarray(to_numpy(theirs.result()), dtype=np.float64)
        actual = ours.result()
        assert isinstance(actual, torch.Tensor), "results stay tensors (no host sync)"
        np.testing.assert_allclose(to_numpy(actual).astype(np.float64), expected, rtol=rtol, atol=atol)
    ours.reset_state()
    theirs.reset_state()
    for v in ours.variables:
        assert not to_numpy(v).any(), f"{v.path} not reset"


@pytest.fixture
def keras():
    return pytest.importorskip("keras")


@pytest.fixture
def run_pair():
    """`run_pair(ours, theirs, batches)`: differential check after every update."""
    return _run_pair


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture
def batches_of():
    """`batches_of(make, n, weighted)`: n batches from `make(i)` -> (y_true, y_pred, weight)."""

    def build(make, n=3, weighted=False):
        out = []
        for i in range(n):
            y_true, y_pred, weight = make(i)
            kwargs = {"sample_weight": weight} if weighted else {}
            out.append({"args": (y_true, y_pred), "kwargs": kwargs})
        return out

    return build
