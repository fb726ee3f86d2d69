"""The `Loss` base: user subclasses, function wrappers, reductions, masks, dtypes."""

import numpy as np
import pytest
import torch

from capas.keras import losses
from capas.keras.saving import object_registration


class _ScaledError(losses.Loss):
    def __init__(self, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, y_true, y_pred):
        return self.scale * torch.mean(torch.abs(y_pred - y_true), dim=-1)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


def _keras_scaled_error(keras):
    class KerasScaledError(keras.losses.Loss):
        def __init__(self, scale=1.0, **kwargs):
            super().__init__(**kwargs)
            self.scale = scale

        def call(self, y_true, y_pred):
            return self.scale * keras.ops.mean(keras.ops.abs(y_pred - y_true), axis=-1)

    return KerasScaledError


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None, "none"])
def test_user_subclass_matches_keras_subclass(reduction, assert_close):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(20)
    y_true, y_pred = rng.normal(size=(5, 3)).astype("f"), rng.normal(size=(5, 3)).astype("f")
    weight = rng.uniform(size=(5,)).astype("f")
    ours = _ScaledError(scale=2.0, reduction=reduction)
    theirs = _keras_scaled_error(keras)(scale=2.0, reduction=reduction)
    assert_close(ours(y_true, y_pred), theirs(y_true, y_pred))
    assert_close(ours(y_true, y_pred, sample_weight=weight), theirs(y_true, y_pred, sample_weight=weight))


def test_user_subclass_config_round_trip_through_registry():
    registered = object_registration.register_keras_serializable(package="losses_test")(_ScaledError)
    loss = registered(scale=3.0, name="scaled", reduction="sum")
    config = losses.serialize(loss)
    assert config["registered_name"] == "losses_test>_ScaledError"
    restored = losses.deserialize(config)
    assert isinstance(restored, _ScaledError)
    assert restored.get_config() == {"name": "scaled", "reduction": "sum", "scale": 3.0}
    assert isinstance(losses.get("losses_test>_ScaledError"), _ScaledError)


def test_user_subclass_without_call_says_what_to_implement():
    with pytest.raises(NotImplementedError, match="call"):
        losses.Loss()([1.0], [1.0])


def test_default_names_are_snake_case_and_unique():
    keras_naming = pytest.importorskip("keras.src.utils.naming")
    first, second = _ScaledError(), _ScaledError()
    assert first.name.startswith(keras_naming.to_snake_case("_ScaledError"))
    assert first.name != second.name
    assert losses.MeanSquaredError().name == "mean_squared_error"
    assert losses.Huber().name == "huber_loss"


def test_plain_function_wrapped_matches_keras(assert_close):
    keras = pytest.importorskip("keras")

    def cubed_error(y_true, y_pred, power=3):
        return (y_pred - y_true).abs().pow(power).mean(dim=-1)

    def keras_cubed_error(y_true, y_pred, power=3):
        return keras.ops.mean(keras.ops.abs(y_pred - y_true) ** power, axis=-1)

    rng = np.random.default_rng(21)
    y_true, y_pred = rng.normal(size=(6,)).astype("f"), rng.normal(size=(6, 1)).astype("f")
    ours = losses.LossFunctionWrapper(cubed_error, power=2, reduction="sum")
    from keras.src.losses.losses import LossFunctionWrapper  # not exported by keras.losses

    theirs = LossFunctionWrapper(keras_cubed_error, power=2, reduction="sum")
    assert_close(ours(y_true, y_pred), theirs(y_true, y_pred))
    assert losses.get(cubed_error) is cubed_error


def test_wrapper_config_round_trips_builtin_fn():
    loss = losses.LossFunctionWrapper(losses.huber, delta=2.5, name="wrapped", reduction="sum")
    config = loss.get_config()
    assert config["fn"]["config"] == "huber"
    restored = losses.LossFunctionWrapper.from_config(config)
    assert restored.fn is losses.huber
    assert restored._fn_kwargs == {"delta": 2.5}
    assert float(restored([[0.0]], [[5.0]])) == float(loss([[0.0]], [[5.0]]))


def test_keras_mask_on_y_pred_matches_keras(assert_close):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(22)
    y_true = rng.normal(size=(3, 4, 2)).astype("f")
    y_pred_np = rng.normal(size=(3, 4, 2)).astype("f")
    mask = rng.integers(0, 2, size=(3, 4)).astype(bool)
    weights = [None, rng.uniform(size=(3, 4)).astype("f")]  # Keras fails on (3, 1) with a mask
    for reduction in ("sum_over_batch_size", "sum", "mean_with_sample_weight", None):
        for sample_weight in weights:
            results = []
            for module in (losses, keras.losses):
                y_pred = torch.tensor(y_pred_np)
                y_pred._keras_mask = torch.tensor(mask)
                loss = module.MeanSquaredError(reduction=reduction)
                results.append(loss(y_true, y_pred, sample_weight=sample_weight))
            assert_close(results[0], results[1])


def test_dtype_argument_sets_the_compute_dtype():
    loss = losses.MeanSquaredError(dtype="float64")
    out = loss(np.ones((2, 3), "f"), np.zeros((2, 3), "f"))
    assert out.dtype == torch.float64
    assert loss.dtype == "float64"
    half_in = losses.MeanSquaredError()(torch.ones(2, 3, dtype=torch.float16), torch.zeros(2, 3, dtype=torch.float16))
    assert half_in.dtype == torch.float32


def test_empty_batch_gives_zero():
    out = losses.MeanSquaredError()(np.zeros((0, 3), "f"), np.zeros((0, 3), "f"))
    assert out.shape == (0,) or float(out) == 0.0


def test_losses_keep_graph_without_host_sync():
    # The whole loss is built from device ops: gradients flow, nothing is a Python float.
    y_pred = torch.randn(4, 3, requires_grad=True)
    labels = torch.tensor([0, 2, 1, 1])
    out = losses.SparseCategoricalCrossentropy(from_logits=True)(labels, y_pred)
    assert isinstance(out, torch.Tensor) and out.requires_grad


def test_integer_labels_stay_integer_through_wrappers():
    # Beyond 2**24 classes float32 cannot hold a label exactly; the sparse
    # losses (class or wrapped function, as compile builds) never cast to float.
    seen = []

    def spy(y_true, y_pred):
        seen.append(y_true.dtype)
        return losses.sparse_categorical_crossentropy(y_true, y_pred)

    spy._integer_labels = True
    labels = torch.tensor([1, 0])
    probs = torch.tensor([[0.25, 0.75], [0.5, 0.5]])
    losses.LossFunctionWrapper(spy)(labels, probs)
    assert seen == [torch.int64]
    for loss in (
        losses.LossFunctionWrapper(losses.sparse_categorical_crossentropy),
        losses.SparseCategoricalCrossentropy(),
    ):
        np.testing.assert_allclose(float(loss(labels, probs)), -(np.log(0.75) + np.log(0.5)) / 2, rtol=1e-6)
        assert loss._integer_labels
    assert not losses.MeanSquaredError()._integer_labels


def test_keras_mask_with_per_sample_weights_against_numpy():
    # Keras itself fails on (batch, 1) weights with a mask; here they broadcast.
    rng = np.random.default_rng(23)
    y_true, y_pred_np = rng.normal(size=(3, 4, 2)).astype("f"), rng.normal(size=(3, 4, 2)).astype("f")
    mask = rng.integers(0, 2, size=(3, 4)).astype(bool)
    mask[0, 0] = True
    weight = rng.uniform(size=(3, 1)).astype("f")
    y_pred = torch.tensor(y_pred_np)
    y_pred._keras_mask = torch.tensor(mask)
    out = losses.MeanSquaredError()(y_true, y_pred, sample_weight=weight)
    per_step = ((y_true - y_pred_np) ** 2).mean(-1)
    expected = (per_step * weight * mask).sum() / mask.sum()
    np.testing.assert_allclose(float(out), expected, rtol=1e-6)


def test_tf_keras_reduction_names_still_work():
    assert losses.MeanSquaredError(reduction=losses.Reduction.AUTO).reduction == "sum_over_batch_size"
    loss = losses.MeanSquaredError(reduction=losses.Reduction.NONE)
    assert tuple(loss(np.zeros((2, 3), "f"), np.ones((2, 3), "f")).shape) == (2,)
    assert losses.MeanSquaredError(reduction=losses.Reduction.SUM).reduction == "sum"
