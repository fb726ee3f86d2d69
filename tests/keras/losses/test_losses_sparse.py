"""Sparse categorical cross-entropy, generalized cross-entropy and CTC against `keras`."""

import numpy as np
import pytest
import torch

from capas.keras import losses


def _sparse_inputs(rng, shape, axis, from_logits, ignore_class=None, label_shape=None):
    logits = (2 * rng.normal(size=shape)).astype("f")
    n = shape[axis]
    batch_shape = tuple(d for i, d in enumerate(shape) if i != axis % len(shape))
    labels = rng.integers(0, n, size=batch_shape).astype("int64")
    if ignore_class is not None:
        labels.flat[::3] = ignore_class
    if label_shape == "trailing_one":
        labels = np.expand_dims(labels, axis)
    if from_logits:
        return labels, logits
    e = np.exp(logits - logits.max(axis=axis, keepdims=True))
    probs = (e / e.sum(axis=axis, keepdims=True)).astype("f")
    probs.flat[0] = 0.0  # exercises the clip
    return labels, probs


SPARSE_CASES = [
    # shape, axis, from_logits, ignore_class, label_shape
    ((6, 4), -1, False, None, None),
    ((6, 4), -1, True, None, None),
    ((6, 4), -1, False, None, "trailing_one"),
    ((6, 4), -1, True, None, "trailing_one"),
    ((3, 5, 4), -1, False, None, None),
    ((3, 5, 4), -1, True, None, None),
    ((3, 4, 5), 1, True, None, None),
    ((3, 4, 5), 1, False, None, None),
    ((6, 4), 0, True, None, None),
    ((6, 4), -1, True, 2, None),
    ((6, 4), -1, False, 2, None),
    ((6, 4), -1, True, -1, None),
    ((3, 5, 4), -1, False, 0, None),
    ((3, 5, 4), -1, True, 255, "trailing_one"),
]


@pytest.mark.parametrize("case", SPARSE_CASES, ids=str)
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight", None])
def test_sparse_class_matches_keras(case, reduction, assert_close):
    keras = pytest.importorskip("keras")
    shape, axis, from_logits, ignore_class, label_shape = case
    rng = np.random.default_rng(10)
    y_true, y_pred = _sparse_inputs(rng, shape, axis, from_logits, ignore_class, label_shape)
    kwargs = {"from_logits": from_logits, "ignore_class": ignore_class, "axis": axis, "reduction": reduction}
    ours = losses.SparseCategoricalCrossentropy(**kwargs)
    theirs = keras.losses.SparseCategoricalCrossentropy(**kwargs)
    assert_close(ours(y_true, y_pred), theirs(y_true, y_pred))
    weight = rng.uniform(size=(shape[0] if axis != 0 else shape[1],)).astype("f")
    if len(shape) == 2:
        assert_close(ours(y_true, y_pred, sample_weight=weight), theirs(y_true, y_pred, sample_weight=weight))


@pytest.mark.parametrize("case", SPARSE_CASES, ids=str)
def test_sparse_function_and_gradient_match_keras(case, assert_close):
    keras = pytest.importorskip("keras")
    shape, axis, from_logits, ignore_class, label_shape = case
    rng = np.random.default_rng(11)
    y_true, y_pred = _sparse_inputs(rng, shape, axis, from_logits, ignore_class, label_shape)
    kwargs = {"from_logits": from_logits, "ignore_class": ignore_class, "axis": axis}
    expected = keras.losses.sparse_categorical_crossentropy(y_true, y_pred, **kwargs)
    assert_close(losses.sparse_categorical_crossentropy(y_true, y_pred, **kwargs), expected)
    grads = []
    for loss in (losses.SparseCategoricalCrossentropy(**kwargs), keras.losses.SparseCategoricalCrossentropy(**kwargs)):
        pred = torch.tensor(y_pred, requires_grad=True)
        loss(torch.tensor(y_true), pred).backward()
        grads.append(pred.grad)
    assert_close(grads[0], grads[1], rtol=1e-5, atol=1e-6)


def test_sparse_accepts_float_and_int32_labels(assert_close):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(12)
    y_true, y_pred = _sparse_inputs(rng, (5, 3), -1, True)
    expected = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y_true, y_pred)
    loss = losses.SparseCategoricalCrossentropy(from_logits=True)
    for labels in (y_true.astype("f"), y_true.astype("int32"), torch.tensor(y_true), y_true.tolist()):
        assert_close(loss(labels, y_pred), expected)


def test_sparse_ignore_class_masks_the_average():
    # Two samples, the second ignored: the mean runs over the first only.
    probs = np.array([[0.25, 0.75], [0.5, 0.5]], dtype="f")
    out = losses.SparseCategoricalCrossentropy(ignore_class=-1)([1, -1], probs)
    np.testing.assert_allclose(float(out), -np.log(0.75), rtol=1e-6)
    per_sample = losses.sparse_categorical_crossentropy([1, -1], probs, ignore_class=-1)
    assert per_sample._keras_mask.tolist() == [True, False]


@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 5)])
def test_categorical_generalized_cross_entropy_matches_keras(shape, assert_close):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(13)
    y_true, y_pred = _sparse_inputs(rng, shape, -1, False)
    for q in (0.3, 0.7):
        ours = losses.CategoricalGeneralizedCrossEntropy(q=q)
        theirs = keras.losses.CategoricalGeneralizedCrossEntropy(q=q)
        assert_close(ours(y_true, y_pred), theirs(y_true, y_pred))
    with pytest.raises(ValueError, match="q"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.5)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", None])
def test_ctc_matches_keras(reduction, assert_close):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(14)
    y_true = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [4, 4, 4, 1]], dtype="int64")
    y_pred = rng.normal(size=(3, 12, 5)).astype("f")
    ours = losses.CTC(reduction=reduction)
    theirs = keras.losses.CTC(reduction=reduction)
    assert_close(ours(y_true, y_pred), theirs(y_true, y_pred), rtol=1e-5)
    assert_close(losses.ctc(y_true, y_pred), keras.losses.ctc(y_true, y_pred), rtol=1e-5)
    grads = []
    for loss in (ours, theirs):
        pred = torch.tensor(y_pred, requires_grad=True)
        loss(torch.tensor(y_true), pred).sum().backward()
        grads.append(pred.grad)
    assert_close(grads[0], grads[1], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs", [{}, {"gamma": 10.0, "margin": 0.25}, {"remove_diagonal": False}], ids=str)
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", None])
def test_circle_matches_keras(kwargs, reduction, assert_close):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(15)
    emb = rng.normal(size=(8, 4)).astype("f")
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    labels = np.array([0, 1, 0, 2, 1, 3, 0, 2])
    ours = losses.Circle(**kwargs, reduction=reduction)
    theirs = keras.losses.Circle(**kwargs, reduction=reduction)
    assert_close(ours(labels, emb), theirs(labels, emb), rtol=1e-5)
    grads = []
    for loss in (ours, theirs):
        pred = torch.tensor(emb, requires_grad=True)
        loss(torch.tensor(labels), pred).sum().backward()
        grads.append(pred.grad)
    assert_close(grads[0], grads[1], rtol=1e-5, atol=1e-6)


def test_circle_function_with_reference_set_matches_keras(assert_close):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(16)
    emb = rng.normal(size=(5, 3)).astype("f")
    ref = rng.normal(size=(7, 3)).astype("f")
    labels, ref_labels = np.array([0, 1, 2, 0, 1]), np.array([0, 0, 1, 1, 2, 2, 3])
    kwargs = {"ref_labels": ref_labels, "ref_embeddings": ref, "remove_diagonal": False}
    assert_close(losses.circle(labels, emb, **kwargs), keras.losses.circle(labels, emb, **kwargs), rtol=1e-5)
