"""Accuracy metrics and functions against keras.metrics, batch by batch."""

import numpy as np
import pytest
import torch

from capas.keras import metrics

WEIGHT_SHAPES = [None, "per_sample", "column", "scalar"]


def _weight(rng, n, kind):
    if kind is None:
        return None
    if kind == "per_sample":
        return rng.uniform(0, 2, size=(n,)).astype("f")
    if kind == "column":
        return rng.uniform(0, 2, size=(n, 1)).astype("f")
    return np.float32(0.7)


def _make(kind, rng, n=8, c=5):
    def make(i):
        if kind == "binary":
            y_true = rng.integers(0, 2, size=(n, 1)).astype("f")
            y_pred = rng.uniform(size=(n, 1)).astype("f")
        elif kind == "categorical":
            y_true = np.eye(c, dtype="f")[rng.integers(0, c, size=n)]
            y_pred = rng.uniform(size=(n, c)).astype("f")
        elif kind == "sparse":
            y_true = rng.integers(0, c, size=(n, 1)).astype("f")
            y_pred = rng.uniform(size=(n, c)).astype("f")
        elif kind == "sparse_flat":
            y_true = rng.integers(0, c, size=(n,)).astype("int64")
            y_pred = rng.uniform(size=(n, c)).astype("f")
        elif kind == "exact":
            y_true = rng.integers(0, 3, size=(n, 1)).astype("f")
            y_pred = rng.integers(0, 3, size=(n, 1)).astype("f")
        return y_true, y_pred, None

    return make


CASES = [
    ("Accuracy", {}, "exact"),
    ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {"threshold": 0.3}, "binary"),
    ("CategoricalAccuracy", {}, "categorical"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("SparseCategoricalAccuracy", {}, "sparse_flat"),
    ("TopKCategoricalAccuracy", {"k": 2}, "categorical"),
    ("TopKCategoricalAccuracy", {}, "categorical"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse_flat"),
    ("SparseTopKCategoricalAccuracy", {"k": 3}, "sparse"),
]


@pytest.mark.parametrize("weights", WEIGHT_SHAPES)
@pytest.mark.parametrize("cls_name, kwargs, kind", CASES)
def test_accuracy_metric_matches_keras(keras, run_pair, rng, cls_name, kwargs, kind, weights):
    make = _make(kind, rng)
    batches = []
    for i in range(3):
        y_true, y_pred, _ = make(i)
        w = _weight(rng, len(y_true), weights)
        batches.append({"args": (y_true, y_pred), "kwargs": {} if w is None else {"sample_weight": w}})
    ours = getattr(metrics, cls_name)(**kwargs)
    theirs = getattr(keras.metrics, cls_name)(**kwargs)
    assert ours.name == theirs.name
    assert ours.get_config() == theirs.get_config()
    run_pair(ours, theirs, batches)


def test_sparse_top_k_from_sorted_ids(keras, run_pair, rng):
    batches = []
    for _ in range(2):
        y_true = rng.integers(0, 6, size=(7,)).astype("int32")
        ids = np.argsort(-rng.uniform(size=(7, 6)), axis=-1).astype("int32")
        batches.append({"args": (y_true, ids), "kwargs": {}})
    ours = metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True)
    theirs = keras.metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True)
    assert ours.get_config() == theirs.get_config()
    run_pair(ours, theirs, batches)


def test_ties_count_as_top_k_hits_like_keras(keras):
    y_true = np.array([0, 1, 2], dtype="int32")
    y_pred = np.array([[0.5, 0.5, 0.5], [0.1, 0.2, 0.2], [0.3, 0.3, 0.1]], dtype="f")
    ours = metrics.sparse_top_k_categorical_accuracy(y_true, y_pred, k=1)
    theirs = keras.metrics.sparse_top_k_categorical_accuracy(y_true, y_pred, k=1)
    np.testing.assert_array_equal(ours.numpy(), np.asarray(theirs))


@pytest.mark.parametrize(
    "fn, kind, kwargs",
    [
        ("binary_accuracy", "binary", {}),
        ("binary_accuracy", "binary", {"threshold": 0.8}),
        ("categorical_accuracy", "categorical", {}),
        ("sparse_categorical_accuracy", "sparse", {}),
        ("sparse_categorical_accuracy", "sparse_flat", {}),
        ("top_k_categorical_accuracy", "categorical", {"k": 2}),
        ("sparse_top_k_categorical_accuracy", "sparse_flat", {"k": 2}),
    ],
)
def test_functions_match_keras(keras, rng, fn, kind, kwargs):
    y_true, y_pred, _ = _make(kind, rng)(0)
    ours = getattr(metrics, fn)(torch.from_numpy(y_true), torch.from_numpy(y_pred), **kwargs)
    theirs = getattr(keras.metrics, fn)(y_true, y_pred, **kwargs)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), np.asarray(theirs))


def test_sequence_inputs_match_keras(keras, run_pair, rng):
    # (batch, time, classes) predictions with (batch, time) labels and weights.
    batches = []
    for _ in range(2):
        y_true = rng.integers(0, 4, size=(3, 5)).astype("f")
        y_pred = rng.uniform(size=(3, 5, 4)).astype("f")
        weight = rng.uniform(size=(3, 5)).astype("f")
        batches.append({"args": (y_true, y_pred), "kwargs": {"sample_weight": weight}})
    run_pair(metrics.SparseCategoricalAccuracy(), keras.metrics.SparseCategoricalAccuracy(), batches)


def test_lists_are_accepted(keras):
    ours = metrics.BinaryAccuracy()
    theirs = keras.metrics.BinaryAccuracy()
    args = ([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    np.testing.assert_allclose(ours(*args).numpy(), np.asarray(theirs(*args)))


def test_result_is_zero_before_any_update():
    assert float(metrics.SparseCategoricalAccuracy().result()) == 0.0


@pytest.mark.parametrize(
    "cls_name, kwargs, kind",
    [
        ("CategoricalAccuracy", {}, "onehot3d"),
        ("TopKCategoricalAccuracy", {"k": 2}, "onehot3d"),
        ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse3d"),
        ("BinaryAccuracy", {}, "int_labels"),
        ("Accuracy", {}, "int_labels"),
    ],
)
def test_other_layouts_match_keras(keras, run_pair, rng, cls_name, kwargs, kind):
    batches = []
    for _ in range(2):
        if kind == "onehot3d":
            y_true = np.eye(4, dtype="f")[rng.integers(0, 4, size=(3, 5))]
            y_pred = rng.uniform(size=(3, 5, 4)).astype("f")
            weight = rng.uniform(size=(3, 5)).astype("f")
        elif kind == "sparse3d":
            y_true = rng.integers(0, 4, size=(3, 5)).astype("int32")
            y_pred = rng.uniform(size=(3, 5, 4)).astype("f")
            weight = rng.uniform(size=(3,)).astype("f")
        else:
            y_true = rng.integers(0, 2, size=(6, 1)).astype("int32")
            y_pred = rng.uniform(size=(6,)).astype("f")
            weight = rng.uniform(size=(6, 1)).astype("f")
        batches.append({"args": (y_true, y_pred), "kwargs": {"sample_weight": weight}})
    run_pair(getattr(metrics, cls_name)(**kwargs), getattr(keras.metrics, cls_name)(**kwargs), batches)
