"""Shared helpers for the loss tests: inputs for each kind of loss, and comparisons."""

import numpy as np
import pytest
import torch


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def make_inputs(kind, shape, rng, axis=-1):
    """(y_true, y_pred) float32 numpy arrays (int labels for 'sparse')."""
    if kind == "regression":
        return rng.normal(size=shape).astype("f"), rng.normal(size=shape).astype("f")
    if kind == "percentage":
        y_true = rng.normal(size=shape).astype("f")
        y_true.flat[0] = 0.0  # exercises the epsilon guard
        return y_true, rng.normal(size=shape).astype("f")
    if kind == "positive":
        y_true = rng.uniform(0.0, 3.0, size=shape).astype("f")
        y_pred = rng.uniform(0.0, 3.0, size=shape).astype("f")
        y_pred.flat[0] = 0.0
        return y_true, y_pred
    if kind == "signed":
        return rng.normal(size=shape).astype("f"), rng.choice([-1.0, 1.0], size=shape).astype("f")
    if kind == "binary_labels":
        y_true = rng.integers(0, 2, size=shape).astype("f")
        return y_true, rng.normal(size=shape).astype("f")
    if kind == "binary_probs":
        y_true = rng.integers(0, 2, size=shape).astype("f")
        y_pred = rng.uniform(0.0, 1.0, size=shape).astype("f")
        y_pred.flat[0] = 0.0  # clipped to 1e-7
        y_pred.flat[-1] = 1.0  # clipped to 1 - 1e-7
        return y_true, y_pred
    if kind == "binary_logits":
        y_true = rng.integers(0, 2, size=shape).astype("f")
        return y_true, (3 * rng.normal(size=shape)).astype("f")
    if kind in ("onehot_probs", "onehot_logits", "distributions"):
        n = shape[axis]
        labels = rng.integers(0, n, size=shape[: axis % len(shape)] + shape[axis % len(shape) + 1 :])
        y_true = np.moveaxis(np.eye(n, dtype="f")[labels], -1, axis)
        logits = (2 * rng.normal(size=shape)).astype("f")
        if kind == "onehot_logits":
            return y_true, logits
        y_pred = _softmax(logits, axis).astype("f")
        if kind == "distributions":
            return _softmax(rng.normal(size=shape), axis).astype("f"), y_pred
        return y_true, y_pred
    raise ValueError(kind)


def to_numpy(x):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def assert_close(actual, expected, rtol=1e-6, atol=1e-7):
    actual = to_numpy(actual)
    expected = to_numpy(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


@pytest.fixture(name="make_inputs")
def _make_inputs_fixture():
    return make_inputs


@pytest.fixture(name="assert_close")
def _assert_close_fixture():
    return assert_close
