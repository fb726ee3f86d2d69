"""Crossentropy, KL, Poisson and hinge metrics against keras.metrics."""

import numpy as np
import pytest

from capas.keras import metrics


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return (e / e.sum(-1, keepdims=True)).astype("f")


def _batches(rng, kind, weighted, n=6, c=4, n_batches=3):
    out = []
    for _ in range(n_batches):
        if kind == "binary":
            y_true = rng.integers(0, 2, size=(n, c)).astype("f")
            y_pred = rng.uniform(size=(n, c)).astype("f")
            y_pred[0, 0], y_pred[0, 1] = 0.0, 1.0
        elif kind == "logits":
            y_true = rng.integers(0, 2, size=(n, c)).astype("f")
            y_pred = (3 * rng.normal(size=(n, c))).astype("f")
        elif kind == "onehot":
            y_true = np.eye(c, dtype="f")[rng.integers(0, c, size=n)]
            y_pred = _softmax(rng.normal(size=(n, c)))
        elif kind == "sparse":
            y_true = rng.integers(0, c, size=(n,)).astype("int64")
            y_pred = _softmax(rng.normal(size=(n, c)))
        elif kind == "sparse_logits":
            y_true = rng.integers(0, c, size=(n, 1)).astype("int64")
            y_pred = (2 * rng.normal(size=(n, c))).astype("f")
        elif kind == "dist":
            y_true = _softmax(rng.normal(size=(n, c)))
            y_pred = _softmax(rng.normal(size=(n, c)))
        elif kind == "counts":
            y_true = rng.poisson(2.0, size=(n, c)).astype("f")
            y_pred = rng.uniform(0, 4, size=(n, c)).astype("f")
        elif kind == "hinge":
            y_true = rng.integers(0, 2, size=(n, c)).astype("f")
            y_pred = rng.normal(size=(n, c)).astype("f")
        elif kind == "signed":
            y_true = rng.choice([-1.0, 1.0], size=(n, c)).astype("f")
            y_pred = rng.normal(size=(n, c)).astype("f")
        kwargs = {"sample_weight": rng.uniform(0, 2, size=(n,)).astype("f")} if weighted else {}
        out.append({"args": (y_true, y_pred), "kwargs": kwargs})
    return out


CASES = [
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True}, "logits"),
    ("CategoricalCrossentropy", {}, "onehot"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}, "onehot"),
    ("CategoricalCrossentropy", {"from_logits": True}, "logits"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, "sparse"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 2, "from_logits": True}, "sparse_logits"),
    ("KLDivergence", {}, "dist"),
    ("Poisson", {}, "counts"),
    ("Hinge", {}, "hinge"),
    ("Hinge", {}, "signed"),
    ("SquaredHinge", {}, "hinge"),
    ("SquaredHinge", {}, "signed"),
    ("CategoricalHinge", {}, "onehot"),
]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("cls_name, kwargs, kind", CASES)
def test_matches_keras(keras, run_pair, rng, cls_name, kwargs, kind, weighted):
    ours = getattr(metrics, cls_name)(**kwargs)
    theirs = getattr(keras.metrics, cls_name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    run_pair(ours, theirs, _batches(rng, kind, weighted), rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize(
    "fn, kind, kwargs",
    [
        ("binary_crossentropy", "binary", {}),
        ("binary_crossentropy", "logits", {"from_logits": True}),
        ("categorical_crossentropy", "onehot", {}),
        ("sparse_categorical_crossentropy", "sparse", {}),
        ("kl_divergence", "dist", {}),
        ("poisson", "counts", {}),
        ("hinge", "hinge", {}),
        ("squared_hinge", "signed", {}),
        ("categorical_hinge", "onehot", {}),
    ],
)
def test_functions_match_keras(keras, rng, fn, kind, kwargs):
    batch = _batches(rng, kind, False, n_batches=1)[0]
    y_true, y_pred = batch["args"]
    ours = getattr(metrics, fn)(y_true, y_pred, **kwargs)
    theirs = getattr(keras.metrics, fn)(keras.ops.convert_to_tensor(y_true), y_pred, **kwargs)
    np.testing.assert_allclose(ours.numpy(), np.asarray(theirs), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "fn, kind, kwargs",
    [
        ("huber", "dist", {"delta": 0.5}),
        ("binary_focal_crossentropy", "binary", {"gamma": 1.5}),
        ("categorical_focal_crossentropy", "onehot", {}),
    ],
)
def test_loss_reexports_match_keras(keras, rng, fn, kind, kwargs):
    y_true, y_pred = _batches(rng, kind, False, n_batches=1)[0]["args"]
    ours = getattr(metrics, fn)(y_true, y_pred, **kwargs)
    theirs = getattr(keras.metrics, fn)(y_true, y_pred, **kwargs)
    np.testing.assert_allclose(ours.numpy(), np.asarray(theirs), rtol=1e-5, atol=1e-6)
