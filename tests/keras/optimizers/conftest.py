"""Shared helpers: run the same gradients through `keras.optimizers` (torch backend) and capas.

Tests get them through the `oracle` fixture (pytest runs in importlib mode, so a
helper module could not be imported by name).
"""

import re
import sys

import numpy as np
import pytest
import torch

import capas

SHAPES = [(3, 4), (4,), (2, 3, 2), ()]


def make_data(steps, shapes=SHAPES, seed=0, none_every=None):
    rng = np.random.default_rng(seed)
    inits = [rng.normal(size=s).astype("float32") for s in shapes]
    grads = []
    for k in range(steps):
        step = [rng.normal(size=s).astype("float32") for s in shapes]
        if none_every and k % none_every == 1:
            step[1] = None
        grads.append(step)
    return inits, grads


def run_keras(keras, make_optimizer, inits, grads):
    variables = [keras.Variable(x, name=f"v{i}") for i, x in enumerate(inits)]
    optimizer = make_optimizer(keras)
    for step in grads:
        pairs = [(None if g is None else torch.tensor(g), v) for g, v in zip(step, variables)]
        optimizer.apply_gradients(pairs)
    return optimizer, variables


def run_capas(make_optimizer, inits, grads, fused=True):
    variables = [capas.Variable(x, name=f"v{i}") for i, x in enumerate(inits)]
    optimizer = make_optimizer(capas.keras)
    optimizer._fused = fused
    for step in grads:
        pairs = [(None if g is None else torch.tensor(g), v) for g, v in zip(step, variables)]
        optimizer.apply_gradients(pairs)
    return optimizer, variables


def to_numpy(x):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def assert_state_close(capas_opt, keras_opt, capas_vars, keras_vars, rtol=1e-6, atol=1e-7, check_paths=True):
    for c, k in zip(capas_vars, keras_vars):
        np.testing.assert_allclose(to_numpy(c), to_numpy(k.value), rtol=rtol, atol=atol, err_msg=c.path)
    c_state = capas_opt.variables
    k_state = keras_opt.variables
    assert [tuple(v.shape) for v in c_state] == [tuple(v.shape) for v in k_state]
    # Keras numbers its unnamed variables per process ('variable_3'); capas does not.
    assert not check_paths or [v.path for v in c_state] == [
        re.sub(r"variable_\d+$", "variable", v.path) for v in k_state
    ]
    for c, k in zip(c_state, k_state):
        np.testing.assert_allclose(
            to_numpy(c).astype("float64"), to_numpy(k.value).astype("float64"), rtol=rtol, atol=atol, err_msg=c.path
        )


@pytest.fixture
def oracle():
    return sys.modules[__name__]


@pytest.fixture
def keras():
    return pytest.importorskip("keras")
