"""IoU family against keras.metrics."""

import numpy as np
import pytest

from capas.keras import metrics


def _sparse(rng, c, weighted, n=12, n_batches=3, out_of_range=False):
    out = []
    for _ in range(n_batches):
        y_true = rng.integers(0, c, size=(n,)).astype("int32")
        y_pred = rng.integers(0, c, size=(n,)).astype("int32")
        if out_of_range:
            y_true[0], y_pred[1] = c + 2, -1
        kwargs = {"sample_weight": rng.integers(0, 3, size=(n,)).astype("int32")} if weighted else {}
        out.append({"args": (y_true, y_pred), "kwargs": kwargs})
    return out


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(
    "cls_name, kwargs",
    [
        ("IoU", {"num_classes": 3, "target_class_ids": [0, 2]}),
        ("IoU", {"num_classes": 4, "target_class_ids": [1], "ignore_class": 0}),
        ("MeanIoU", {"num_classes": 3}),
        ("MeanIoU", {"num_classes": 4, "ignore_class": 2}),
    ],
)
def test_sparse_iou_matches_keras(keras, run_pair, rng, cls_name, kwargs, weighted):
    ours = getattr(metrics, cls_name)(**kwargs)
    theirs = getattr(keras.metrics, cls_name)(**kwargs)
    cfg_ours = {k: v for k, v in ours.get_config().items() if k != "name"}
    cfg_theirs = {k: v for k, v in theirs.get_config().items() if k != "name"}
    assert cfg_ours == cfg_theirs
    run_pair(ours, theirs, _sparse(rng, kwargs["num_classes"], weighted, out_of_range=True))


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("cls_name, kwargs", [("OneHotIoU", {"target_class_ids": [0, 2]}), ("OneHotMeanIoU", {})])
def test_one_hot_iou_matches_keras(keras, run_pair, rng, cls_name, kwargs, weighted):
    batches = []
    for _ in range(3):
        y_true = np.eye(3, dtype="f")[rng.integers(0, 3, size=9)]
        y_pred = rng.uniform(size=(9, 3)).astype("f")
        kw = {"sample_weight": rng.integers(0, 3, size=(9,)).astype("int32")} if weighted else {}
        batches.append({"args": (y_true, y_pred), "kwargs": kw})
    ours = getattr(metrics, cls_name)(num_classes=3, **kwargs)
    theirs = getattr(keras.metrics, cls_name)(num_classes=3, **kwargs)
    run_pair(ours, theirs, batches)


@pytest.mark.parametrize("threshold", [0.5, 0.3])
@pytest.mark.parametrize("targets", [(0, 1), [1]])
def test_binary_iou_matches_keras(keras, run_pair, rng, threshold, targets):
    batches = []
    for _ in range(3):
        y_true = rng.integers(0, 2, size=(10,)).astype("f")
        y_pred = rng.uniform(size=(10,)).astype("f")
        batches.append({"args": (y_true, y_pred), "kwargs": {}})
    ours = metrics.BinaryIoU(target_class_ids=targets, threshold=threshold)
    theirs = keras.metrics.BinaryIoU(target_class_ids=targets, threshold=threshold)
    run_pair(ours, theirs, batches)


def test_state_is_an_int32_confusion_matrix(keras):
    ours, theirs = metrics.MeanIoU(num_classes=3, name="m"), keras.metrics.MeanIoU(num_classes=3, name="m")
    assert [(v.path, tuple(v.shape), str(v.dtype).replace("torch.", "")) for v in ours.variables] == [
        (v.path, tuple(v.shape), str(v.dtype)) for v in theirs.variables
    ]


def test_target_class_out_of_range():
    with pytest.raises(ValueError, match="out of range"):
        metrics.IoU(num_classes=2, target_class_ids=[2])
