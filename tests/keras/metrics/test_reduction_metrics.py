"""Sum, Mean, MeanMetricWrapper and MeanTensor against keras.metrics (MeanTensor against numpy)."""

import numpy as np
import pytest
import torch

from capas.keras import metrics

VALUE_CASES = [
    ((6,), None),
    ((6,), (6,)),
    ((6,), ()),
    ((4, 3), None),
    ((4, 3), (4,)),
    ((4, 3), (4, 1)),
    ((4, 3), (4, 3)),
    ((2, 3, 5), (2, 3)),
    ((2, 3, 5), (2, 1, 5)),
    ((5, 1), (5,)),
    ((), None),
]


@pytest.mark.parametrize("value_shape, weight_shape", VALUE_CASES)
@pytest.mark.parametrize("cls_name", ["Mean", "Sum"])
def test_mean_and_sum_match_keras(keras, run_pair, rng, cls_name, value_shape, weight_shape):
    batches = []
    for _ in range(3):
        values = rng.normal(size=value_shape).astype("f")
        kwargs = {}
        if weight_shape is not None:
            kwargs["sample_weight"] = rng.uniform(0, 2, size=weight_shape).astype("f")
        batches.append({"args": (values,), "kwargs": kwargs})
    ours = getattr(metrics, cls_name)()
    theirs = getattr(keras.metrics, cls_name)()
    assert ours.get_config() == theirs.get_config()
    run_pair(ours, theirs, batches)


def test_mean_accepts_python_lists(keras):
    ours, theirs = metrics.Mean(), keras.metrics.Mean()
    ours.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    theirs.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert float(ours.result()) == pytest.approx(float(theirs.result()))


def _user_fn(y_true, y_pred, power=2.0):
    return torch.mean(torch.abs(torch.as_tensor(y_true) - torch.as_tensor(y_pred)) ** power, dim=-1)


@pytest.mark.parametrize("weighted", [False, True])
def test_mean_metric_wrapper_matches_keras(keras, run_pair, rng, weighted):
    def keras_fn(y_true, y_pred, power=2.0):
        return keras.ops.mean(keras.ops.abs(y_true - y_pred) ** power, axis=-1)

    batches = []
    for _ in range(3):
        y_true, y_pred = rng.normal(size=(5, 3)).astype("f"), rng.normal(size=(5, 3)).astype("f")
        kwargs = {"sample_weight": rng.uniform(size=(5,)).astype("f")} if weighted else {}
        batches.append({"args": (y_true, y_pred), "kwargs": kwargs})
    ours = metrics.MeanMetricWrapper(_user_fn, name="w", power=3.0)
    theirs = keras.metrics.MeanMetricWrapper(keras_fn, name="w", power=3.0)
    run_pair(ours, theirs, batches)


def test_mean_metric_wrapper_config_round_trip_with_builtin_fn(keras):
    ours = metrics.MeanMetricWrapper(fn=metrics.binary_accuracy, name="ba", threshold=0.3)
    theirs = keras.metrics.MeanMetricWrapper(fn=keras.metrics.binary_accuracy, name="ba", threshold=0.3)
    assert ours.get_config() == theirs.get_config()
    clone = metrics.MeanMetricWrapper.from_config(ours.get_config())
    assert clone._fn is metrics.binary_accuracy and clone._fn_kwargs == {"threshold": 0.3}
    keras_clone = keras.metrics.MeanMetricWrapper.from_config(ours.get_config())
    assert keras_clone._fn is keras.metrics.binary_accuracy


def test_mean_metric_wrapper_default_name_is_class_derived():
    assert metrics.MeanMetricWrapper(fn=metrics.hinge).name.startswith("mean_metric_wrapper")


def test_mean_tensor_matches_numpy(rng):
    m = metrics.MeanTensor()
    values = [rng.normal(size=(2, 3)).astype("f") for _ in range(3)]
    weights = [rng.uniform(size=(2, 3)).astype("f") for _ in range(3)]
    for v, w in zip(values, weights):
        m.update_state(v, sample_weight=w)
    expected = sum(v * w for v, w in zip(values, weights)) / sum(weights)
    np.testing.assert_allclose(m.result().numpy(), expected, rtol=1e-6)
    with pytest.raises(ValueError, match=r"MeanTensor.*\(2, 3\).*\(3,\)"):
        m.update_state(np.zeros(3, "f"))
    m.reset_state()
    assert not m.result().numpy().any()
    assert metrics.MeanTensor.from_config(m.get_config()).get_config() == m.get_config()


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("cls_name", ["MeanSquaredError", "SparseCategoricalAccuracy"])
def test_keras_mask_on_predictions_matches_keras(keras, rng, cls_name, weighted):
    # A masking layer leaves `_keras_mask` on its output; both libraries read it.
    if cls_name == "MeanSquaredError":
        y_true, y_pred = rng.normal(size=(3, 4, 2)).astype("f"), rng.normal(size=(3, 4, 2)).astype("f")
    else:
        y_true, y_pred = rng.integers(0, 3, size=(3, 4)).astype("f"), rng.uniform(size=(3, 4, 3)).astype("f")
    mask = torch.from_numpy(rng.integers(0, 2, size=(3, 4)).astype(bool))
    weight = torch.from_numpy(rng.uniform(size=(3, 4)).astype("f")) if weighted else None
    results = []
    for module in (metrics, keras.metrics):
        pred = torch.from_numpy(y_pred.copy())
        pred._keras_mask = mask
        m = getattr(module, cls_name)()
        m.update_state(torch.from_numpy(y_true), pred, sample_weight=weight)
        results.append(float(m.result()))
    assert results[0] == pytest.approx(results[1], rel=1e-5)
