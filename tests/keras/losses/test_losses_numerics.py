"""Every loss, option and reduction against the `keras` package (torch backend)."""

import numpy as np
import pytest
import torch

from capas.keras import losses

# (class name, constructor kwargs, input kind)
CLASS_CASES = [
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "percentage"),
    ("MeanSquaredLogarithmicError", {}, "regression"),
    ("Huber", {}, "regression"),
    ("Huber", {"delta": 0.3}, "regression"),
    ("Huber", {"delta": 2.5}, "regression"),
    ("LogCosh", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("CosineSimilarity", {"axis": 1}, "regression"),
    ("KLDivergence", {}, "distributions"),
    ("Poisson", {}, "positive"),
    ("Hinge", {}, "signed"),
    ("Hinge", {}, "binary_labels"),
    ("Hinge", {}, "regression"),
    ("SquaredHinge", {}, "signed"),
    ("SquaredHinge", {}, "binary_labels"),
    ("CategoricalHinge", {}, "onehot_logits"),
    ("BinaryCrossentropy", {}, "binary_probs"),
    ("BinaryCrossentropy", {"from_logits": True}, "binary_logits"),
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, "binary_probs"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "binary_logits"),
    ("BinaryCrossentropy", {"axis": 1}, "binary_probs"),
    ("BinaryFocalCrossentropy", {}, "binary_probs"),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4}, "binary_probs"),
    ("BinaryFocalCrossentropy", {"from_logits": True, "gamma": 1.5}, "binary_logits"),
    ("BinaryFocalCrossentropy", {"label_smoothing": 0.1, "gamma": 0.0}, "binary_probs"),
    ("CategoricalCrossentropy", {}, "onehot_probs"),
    ("CategoricalCrossentropy", {"from_logits": True}, "onehot_logits"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "onehot_probs"),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.3}, "onehot_logits"),
    ("CategoricalCrossentropy", {}, "distributions"),
    ("CategoricalFocalCrossentropy", {}, "onehot_probs"),
    ("CategoricalFocalCrossentropy", {"from_logits": True, "alpha": 0.5, "gamma": 1.0}, "onehot_logits"),
    ("CategoricalFocalCrossentropy", {"label_smoothing": 0.2}, "onehot_probs"),
    ("Dice", {}, "binary_probs"),
    ("Dice", {"axis": -1}, "binary_probs"),
    ("Tversky", {}, "binary_probs"),
    ("Tversky", {"alpha": 0.3, "beta": 0.7, "axis": -1}, "binary_probs"),
]

SHAPES = [(4, 3), (2, 3, 5)]
# "mean" and "none" are spellings of "sum_over_batch_size" and None; the base
# class tests (test_loss_base.py) cover them once.
REDUCTIONS = ["sum_over_batch_size", "sum", "mean_with_sample_weight", None]


def _case_id(case):
    name, kwargs, kind = case
    opts = ",".join(f"{k}={v}" for k, v in kwargs.items())
    return f"{name}({opts})-{kind}"


def _pair(keras, name, kwargs, **extra):
    return getattr(losses, name)(**kwargs, **extra), getattr(keras.losses, name)(**kwargs, **extra)


def _applicable(name, kwargs, shape):
    axis = kwargs.get("axis", -1)
    return axis is None or axis < len(shape)


@pytest.mark.parametrize("case", CLASS_CASES, ids=_case_id)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_class_matches_keras(case, shape, make_inputs, assert_close):
    keras = pytest.importorskip("keras")
    name, kwargs, kind = case
    rng = np.random.default_rng(1)
    y_true, y_pred = make_inputs(kind, shape, rng)
    ours, theirs = _pair(keras, name, kwargs)
    assert_close(ours(y_true, y_pred), theirs(y_true, y_pred))


@pytest.mark.parametrize("case", CLASS_CASES, ids=_case_id)
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=str)
def test_reductions_and_sample_weights_match_keras(case, reduction, make_inputs, assert_close):
    keras = pytest.importorskip("keras")
    name, kwargs, kind = case
    rng = np.random.default_rng(2)
    ours, theirs = _pair(keras, name, kwargs, reduction=reduction)
    # 2-D inputs: per-sample losses (4,); weights per sample, as (4,) or (4, 1).
    y_true, y_pred = make_inputs(kind, (4, 3), rng)
    weights = [None, np.float32(0.5), rng.uniform(size=(4,)).astype("f"), rng.uniform(size=(4, 1)).astype("f")]
    for sample_weight in weights:
        expected = theirs(y_true, y_pred, sample_weight=sample_weight)
        assert_close(ours(y_true, y_pred, sample_weight=sample_weight), expected)
    # 3-D inputs: losses (4, 3) (or smaller for axis != -1); (4, 1) and full weights.
    y_true, y_pred = make_inputs(kind, (4, 3, 5), rng)
    per_element = np.asarray(getattr(keras.losses, name)(**kwargs, reduction=None)(y_true, y_pred).detach())
    weights = [rng.uniform(size=(4, 1)).astype("f"), rng.uniform(size=per_element.shape).astype("f")]
    for sample_weight in weights:
        expected = theirs(y_true, y_pred, sample_weight=sample_weight)
        assert_close(ours(y_true, y_pred, sample_weight=sample_weight), expected)


@pytest.mark.parametrize("case", CLASS_CASES, ids=_case_id)
def test_gradient_wrt_y_pred_matches_keras(case, make_inputs, assert_close):
    keras = pytest.importorskip("keras")
    name, kwargs, kind = case
    rng = np.random.default_rng(3)
    y_true, y_pred = make_inputs(kind, (4, 3), rng)
    ours, theirs = _pair(keras, name, kwargs)
    grads = []
    for loss in (ours, theirs):
        pred = torch.tensor(y_pred, requires_grad=True)
        loss(torch.tensor(y_true), pred).backward()
        grads.append(pred.grad)
    assert_close(grads[0], grads[1], rtol=1e-5, atol=1e-6)


FUNCTION_CASES = [
    ("mean_squared_error", {}, "regression"),
    ("mean_absolute_error", {}, "regression"),
    ("mean_absolute_percentage_error", {}, "percentage"),
    ("mean_squared_logarithmic_error", {}, "positive"),
    ("huber", {"delta": 0.7}, "regression"),
    ("log_cosh", {}, "regression"),
    ("cosine_similarity", {"axis": 0}, "regression"),
    ("kl_divergence", {}, "distributions"),
    ("poisson", {}, "positive"),
    ("hinge", {}, "binary_labels"),
    ("squared_hinge", {}, "signed"),
    ("categorical_hinge", {}, "onehot_logits"),
    ("binary_crossentropy", {"from_logits": True, "label_smoothing": 0.1}, "binary_logits"),
    ("binary_focal_crossentropy", {"apply_class_balancing": True}, "binary_probs"),
    ("categorical_crossentropy", {"label_smoothing": 0.2}, "onehot_probs"),
    ("categorical_crossentropy", {"from_logits": True, "axis": 1}, "onehot_logits"),
    ("categorical_focal_crossentropy", {"from_logits": True}, "onehot_logits"),
    ("dice", {"axis": 1}, "binary_probs"),
    ("tversky", {"alpha": 0.2, "beta": 0.8}, "binary_probs"),
]


@pytest.mark.parametrize("case", FUNCTION_CASES, ids=_case_id)
@pytest.mark.parametrize("shape", [(5, 4), (2, 3, 4)], ids=str)
def test_function_matches_keras(case, shape, make_inputs, assert_close):
    keras = pytest.importorskip("keras")
    name, kwargs, kind = case
    rng = np.random.default_rng(4)
    axis = kwargs.get("axis", -1)
    y_true, y_pred = make_inputs(kind, shape, rng, axis=axis if kind.startswith("onehot") else -1)
    expected = getattr(keras.losses, name)(y_true, y_pred, **kwargs)
    assert_close(getattr(losses, name)(y_true, y_pred, **kwargs), expected)


@pytest.mark.parametrize("cls_name", ["MeanSquaredError", "BinaryCrossentropy", "Hinge", "Poisson", "Huber"])
def test_batch_vector_labels_match_column_predictions(cls_name, make_inputs, assert_close):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(5)
    y_true = rng.integers(0, 2, size=(6,)).astype("f")
    y_pred = rng.uniform(0.05, 0.95, size=(6, 1)).astype("f")
    ours = getattr(losses, cls_name)(reduction=None)
    theirs = getattr(keras.losses, cls_name)(reduction=None)
    assert_close(ours(y_true, y_pred), theirs(y_true, y_pred))
    assert_close(ours(y_pred, y_true), theirs(y_pred, y_true))


def test_categorical_label_smoothing_reads_classes_along_axis(make_inputs, assert_close):
    # Keras reads num_classes from the last axis even when axis != -1; we read
    # it along `axis`, so moving the class axis must not change the loss.
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(6)
    y_true, y_pred = make_inputs("onehot_logits", (3, 4, 5), rng)
    expected = keras.losses.categorical_crossentropy(y_true, y_pred, from_logits=True, label_smoothing=0.2)
    moved = losses.categorical_crossentropy(
        np.moveaxis(y_true, -1, 1), np.moveaxis(y_pred, -1, 1), from_logits=True, label_smoothing=0.2, axis=1
    )
    assert_close(moved, expected)


def test_float64_inputs_to_functions_keep_float64(make_inputs, assert_close):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(7)
    y_true, y_pred = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    out = losses.mean_squared_error(y_true, y_pred)
    assert out.dtype == torch.float64
    assert_close(out, keras.losses.mean_squared_error(y_true, y_pred))
