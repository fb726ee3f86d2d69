"""Bad input raises errors naming the metric and the shapes, and leaves the state unchanged."""

import numpy as np
import pytest
import torch

from capas.keras import metrics


def _snapshot(m):
    return [v.detach().clone() for v in m.variables]


def _unchanged(m, snapshot):
    return all(torch.equal(a, b) for a, b in zip(snapshot, [v.detach() for v in m.variables]))


GOOD = {
    "SparseCategoricalAccuracy": (np.array([0, 1, 2]), np.eye(3, dtype="f")),
    "CategoricalAccuracy": (np.eye(3, dtype="f"), np.eye(3, dtype="f")),
    "BinaryAccuracy": (np.array([0.0, 1.0, 1.0]), np.array([0.2, 0.8, 0.4], "f")),
    "MeanSquaredError": (np.ones((3, 2), "f"), np.zeros((3, 2), "f")),
    "AUC": (np.array([0.0, 1.0, 1.0]), np.array([0.2, 0.8, 0.4], "f")),
    "Precision": (np.array([0.0, 1.0, 1.0]), np.array([0.2, 0.8, 0.4], "f")),
    "Recall": (np.array([0.0, 1.0, 1.0]), np.array([0.2, 0.8, 0.4], "f")),
    "F1Score": (np.eye(3, dtype="f"), np.eye(3, dtype="f")),
    "R2Score": (np.ones((3, 2), "f"), np.zeros((3, 2), "f")),
    "CategoricalCrossentropy": (np.eye(3, dtype="f"), np.full((3, 3), 1 / 3, "f")),
    "SparseCategoricalCrossentropy": (np.array([0, 1, 2]), np.full((3, 3), 1 / 3, "f")),
    "BinaryCrossentropy": (np.ones((3, 2), "f"), np.full((3, 2), 0.3, "f")),
}

BAD_SHAPES = {
    "SparseCategoricalAccuracy": (np.array([0, 1]), np.eye(3, dtype="f")),
    "CategoricalAccuracy": (np.eye(4, dtype="f")[:2], np.eye(3, dtype="f")),
    "BinaryAccuracy": (np.array([0.0, 1.0]), np.array([0.2, 0.8, 0.4], "f")),
    "MeanSquaredError": (np.ones((3, 2), "f"), np.zeros((3, 3), "f")),
    "AUC": (np.array([0.0, 1.0]), np.array([0.2, 0.8, 0.4], "f")),
    "Precision": (np.array([0.0, 1.0]), np.array([0.2, 0.8, 0.4], "f")),
    "Recall": (np.ones((2, 2), "f"), np.ones((2, 3), "f")),
    "F1Score": (np.eye(3, dtype="f"), np.eye(4, dtype="f")),
    "R2Score": (np.ones((3, 2), "f"), np.zeros((3, 3), "f")),
    "CategoricalCrossentropy": (np.eye(3, dtype="f"), np.full((3, 4), 0.25, "f")),
    "SparseCategoricalCrossentropy": (np.array([0, 1]), np.full((3, 3), 1 / 3, "f")),
    "BinaryCrossentropy": (np.ones((3, 2), "f"), np.full((3, 3), 0.3, "f")),
}


@pytest.mark.parametrize("cls_name", sorted(GOOD))
def test_incompatible_shapes_raise_and_leave_state_unchanged(cls_name):
    m = getattr(metrics, cls_name)()
    m.update_state(*[torch.as_tensor(x) for x in GOOD[cls_name]])
    before, result = _snapshot(m), m.result().clone()
    y_true, y_pred = (torch.as_tensor(x) for x in BAD_SHAPES[cls_name])
    with pytest.raises(ValueError) as info:
        m.update_state(y_true, y_pred)
    message = str(info.value)
    assert cls_name in message or m.name in message or "y_true" in message
    assert str(tuple(y_pred.shape)) in message or str(tuple(y_true.shape)) in message
    assert _unchanged(m, before)
    torch.testing.assert_close(m.result(), result)


@pytest.mark.parametrize("cls_name", sorted(GOOD))
def test_strings_raise_type_error_naming_the_metric(cls_name):
    m = getattr(metrics, cls_name)()
    m.update_state(*[torch.as_tensor(x) for x in GOOD[cls_name]])
    before = _snapshot(m)
    with pytest.raises(TypeError, match=cls_name):
        m.update_state("cat", GOOD[cls_name][1])
    with pytest.raises(TypeError, match=cls_name):
        m.update_state(GOOD[cls_name][0], "dog")
    assert _unchanged(m, before)


def test_mean_rejects_strings_and_bad_weights():
    m = metrics.Mean()
    m.update_state([1.0, 2.0])
    before = _snapshot(m)
    with pytest.raises(TypeError, match="Mean metric 'mean'"):
        m.update_state("abc")
    with pytest.raises(ValueError, match=r"Mean metric 'mean'.*\(3,\).*\(2,\)"):
        m.update_state([1.0, 2.0], sample_weight=[1.0, 2.0, 3.0])
    assert _unchanged(m, before)


def test_bad_sample_weight_for_confusion_metrics():
    m = metrics.AUC()
    with pytest.raises(ValueError, match=r"AUC metric.*sample_weight.*\(5.*\(3,\)"):
        m.update_state([0.0, 1.0, 1.0], [0.2, 0.3, 0.9], sample_weight=np.ones(5, "f"))
    assert not any(v.numpy().any() for v in m.variables)


def test_auc_multi_label_num_labels_mismatch_keeps_state():
    m = metrics.AUC(multi_label=True)
    m.update_state(np.ones((2, 3), "f"), np.full((2, 3), 0.7, "f"))
    before = _snapshot(m)
    with pytest.raises(ValueError, match="3 labels"):
        m.update_state(np.ones((2, 4), "f"), np.full((2, 4), 0.7, "f"))
    assert _unchanged(m, before)
