"""Bad input raises errors that name the loss, the shapes and the fix."""

import numpy as np
import pytest
import torch

from capas.keras import losses


@pytest.mark.parametrize(
    "cls", [losses.MeanSquaredError, losses.Huber, losses.BinaryCrossentropy, losses.KLDivergence, losses.Hinge]
)
def test_incompatible_shapes_name_the_loss_and_both_shapes(cls):
    # (3,) against (3, 3) would broadcast into a (3, 3) wrong answer.
    with pytest.raises(ValueError) as info:
        cls()(np.zeros((3,), "f"), np.zeros((3, 3), "f"))
    message = str(info.value)
    assert cls.__name__ in message
    assert "(3,)" in message and "(3, 3)" in message


def test_function_shape_error_names_the_function():
    with pytest.raises(ValueError, match=r"mean_squared_error.*\(4, 2\).*\(4, 3\)"):
        losses.mean_squared_error(np.zeros((4, 2), "f"), np.zeros((4, 3), "f"))


@pytest.mark.parametrize("labels", [np.array([0, 2, 1, 1]), np.array([[0], [2], [1], [1]])], ids=["vector", "column"])
@pytest.mark.parametrize(
    "loss", [losses.CategoricalCrossentropy(), losses.categorical_crossentropy], ids=["class", "fn"]
)
def test_integer_labels_to_categorical_point_to_sparse(labels, loss):
    probs = np.full((4, 3), 1 / 3, "f")
    with pytest.raises(ValueError) as info:
        loss(labels, probs)
    message = str(info.value)
    assert "sparse_categorical_crossentropy" in message and "one-hot" in message
    assert str(tuple(labels.shape)) in message and "(4, 3)" in message
    if not callable(getattr(loss, "get_config", None)):
        return
    assert "CategoricalCrossentropy" in message


def test_integer_labels_to_categorical_focal_point_to_sparse():
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        losses.CategoricalFocalCrossentropy()(np.array([1, 0]), np.full((2, 3), 1 / 3, "f"))


def test_one_hot_labels_to_sparse_point_to_categorical():
    one_hot = np.eye(3, dtype="f")[[0, 2, 1, 1]]
    with pytest.raises(ValueError) as info:
        losses.SparseCategoricalCrossentropy()(one_hot, np.full((4, 3), 1 / 3, "f"))
    message = str(info.value)
    assert "SparseCategoricalCrossentropy" in message and "categorical_crossentropy" in message
    assert "one-hot" in message and "(4, 3)" in message


@pytest.mark.parametrize("bad", [3, -1, -100, 7])
@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_labels_out_of_range_raise_clearly(bad, from_logits):
    labels = np.array([0, bad, 1])
    with pytest.raises(ValueError) as info:
        losses.SparseCategoricalCrossentropy(from_logits=from_logits)(labels, np.full((3, 3), 1 / 3, "f"))
    message = str(info.value)
    assert str(bad) in message and "[0, 2]" in message and "ignore_class" in message


def test_sparse_ignored_label_may_lie_outside_the_range():
    out = losses.SparseCategoricalCrossentropy(ignore_class=-1)(np.array([0, -1]), np.full((2, 3), 1 / 3, "f"))
    np.testing.assert_allclose(float(out), np.log(3), rtol=1e-6)


def test_sparse_mismatched_batch_shape():
    with pytest.raises(ValueError, match=r"\(5,\).*\(4, 3\)"):
        losses.sparse_categorical_crossentropy(np.zeros((5,), "int64"), np.full((4, 3), 1 / 3, "f"))


@pytest.mark.parametrize("cls", [losses.MeanSquaredError, losses.SparseCategoricalCrossentropy, losses.Dice])
@pytest.mark.parametrize("which", ["y_true", "y_pred"])
def test_string_input_raises_type_error_naming_the_loss(cls, which):
    args = {"y_true": np.zeros((2,), "f"), "y_pred": np.full((2, 1), 0.5, "f")}
    args[which] = "cat"
    with pytest.raises(TypeError) as info:
        cls()(args["y_true"], args["y_pred"])
    assert cls.__name__ in str(info.value) and which in str(info.value)


def test_string_input_to_a_function_raises_type_error():
    with pytest.raises(TypeError, match="huber.*y_pred"):
        losses.huber([1.0], "x")


def test_sample_weight_that_would_enlarge_the_losses_raises():
    # losses (4,) from (4, 3) inputs; weights (4, 3) cannot be per-sample.
    with pytest.raises(ValueError) as info:
        losses.MeanSquaredError()(np.zeros((4, 3), "f"), np.ones((4, 3), "f"), sample_weight=np.ones((4, 3), "f"))
    message = str(info.value)
    assert "MeanSquaredError" in message and "(4, 3)" in message and "(4,)" in message


def test_invalid_reduction_lists_the_options():
    with pytest.raises(ValueError, match="sum_over_batch_size"):
        losses.MeanSquaredError(reduction="average")


def test_boolean_axis_is_refused():
    with pytest.raises(ValueError, match="axis"):
        losses.categorical_crossentropy(np.eye(2, dtype="f"), np.eye(2, dtype="f"), axis=True)


def test_ctc_checks_ranks():
    with pytest.raises(ValueError, match=r"CTC.*\(batch_size, max_length\)"):
        losses.CTC()(np.zeros((2,), "int64"), torch.zeros(2, 4, 3))
    with pytest.raises(ValueError, match=r"num_classes"):
        losses.ctc(np.zeros((2, 3), "int64"), torch.zeros(2, 4))


def test_wrapper_refuses_non_callables():
    with pytest.raises(TypeError, match="callable"):
        losses.LossFunctionWrapper("mse")
