"""BatchNormalization, LayerNormalization, GroupNormalization, UnitNormalization and
Normalization against keras: outputs, input gradients, moving statistics, configs."""

import numpy as np
import pytest
import torch

from capas import keras
from capas.keras import layers
from capas.keras.testing import assert_matches_keras, run_layer_test


@pytest.fixture(scope="module")
def ref():
    return pytest.importorskip("keras")


def _x(shape, seed=0, scale=2.0, shift=0.5):
    return (np.random.default_rng(seed).standard_normal(shape) * scale + shift).astype("float32")


def _randomize(keras_layer):
    rng = np.random.default_rng(7)
    keras_layer.set_weights([w + rng.uniform(0.1, 0.5, w.shape).astype(w.dtype) for w in keras_layer.get_weights()])


BN_CASES = [
    ((6, 4), dict()),
    ((4, 5, 5, 3), dict()),
    ((4, 3, 5, 5), dict(axis=1, momentum=0.9, epsilon=1e-5)),
    ((4, 6, 3), dict(center=False)),
    ((4, 6, 3), dict(axis=1, scale=False)),
]


@pytest.mark.parametrize("shape,kwargs", BN_CASES)
def test_batch_norm_matches_keras_over_training_steps(ref, shape, kwargs):
    ours, theirs = layers.BatchNormalization(**kwargs), ref.layers.BatchNormalization(**kwargs)
    theirs.build(shape)
    _randomize(theirs)
    ours(_x(shape), training=False)  # builds (an explicit build() is not yet marked built by the base)
    ours.set_weights(theirs.get_weights())
    for step in range(3):
        x = _x(shape, seed=step)
        assert_matches_keras(ours, theirs, x, training=True, copy_weights=False, atol=2e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert_matches_keras(ours, theirs, _x(shape, seed=9), training=False, copy_weights=False)
    assert [w.name.split("/")[-1][:-2] for w in ours.weights] == [w.name for w in theirs.weights]


def test_batch_norm_inference_does_not_update_and_frozen_runs_inference(ref):
    ours, theirs = layers.BatchNormalization(), ref.layers.BatchNormalization()
    x = _x((8, 3))
    assert_matches_keras(ours, theirs, x, training=True)
    before = [w.copy() for w in ours.get_weights()]
    ours(x, training=False)
    ours.trainable = False
    theirs.trainable = False
    assert_matches_keras(ours, theirs, x, training=True, copy_weights=False)
    for a, b in zip(before, ours.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_batch_norm_mask_matches_keras(ref):
    ours, theirs = layers.BatchNormalization(), ref.layers.BatchNormalization()
    x = _x((3, 5, 4))
    mask = torch.tensor(np.array([[1, 1, 1, 0, 0], [1, 0, 1, 0, 1], [1, 1, 1, 1, 1]], bool))
    assert_matches_keras(ours, theirs, x, training=True, call_kwargs={"mask": mask})
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_batch_norm_in_a_model_updates_only_in_fit():
    inputs = keras.Input((4,))
    model = keras.Model(inputs, layers.BatchNormalization()(inputs))
    model.compile(optimizer="sgd", loss="mse")
    x = _x((16, 4))
    model.predict(x, verbose=0)
    bn = model.layers[-1]
    np.testing.assert_array_equal(bn.moving_mean.numpy(), np.zeros(4, "float32"))
    model.fit(x, x, epochs=1, batch_size=16, verbose=0)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.01 * x.mean(axis=0), rtol=1e-4, atol=1e-6)


LN_CASES = [
    ((3, 5), dict()),
    ((3, 4, 5), dict(axis=[1, 2], epsilon=1e-5)),
    ((3, 4, 5), dict(center=False)),
    ((3, 4, 5), dict(rms_scaling=True)),
]


@pytest.mark.parametrize("shape,kwargs", LN_CASES)
def test_layer_norm_matches_keras(ref, shape, kwargs):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = layers.LayerNormalization(**kwargs), ref.layers.LayerNormalization(**kwargs)
        theirs.build(shape)
        _randomize(theirs)
        assert_matches_keras(ours, theirs, _x(shape))
    assert [w.name.split("/")[-1][:-2] for w in ours.weights] == [w.name for w in theirs.weights]


@pytest.mark.parametrize(
    "shape,kwargs",
    [
        ((2, 6, 4), dict(groups=2)),
        ((2, 5, 5, 6), dict(groups=3, epsilon=1e-5)),
        ((2, 6, 5), dict(groups=6, axis=1)),
        ((2, 8), dict(groups=1, center=False)),
    ],
)
def test_group_norm_matches_keras(ref, shape, kwargs):
    ours, theirs = layers.GroupNormalization(**kwargs), ref.layers.GroupNormalization(**kwargs)
    theirs.build(shape)
    _randomize(theirs)
    assert_matches_keras(ours, theirs, _x(shape))


@pytest.mark.parametrize("kwargs", [dict(axis=1), dict(axis=-2, scale=False), dict(axis=[0, 2], center=False)])
def test_layer_norm_non_trailing_axes_match_numpy(kwargs):
    # keras's torch backend fails on non-trailing axes (it calls F.layer_norm with them), so numpy is the oracle.
    x = _x((3, 4, 5))
    layer = layers.LayerNormalization(epsilon=1e-3, **kwargs)
    layer(x)
    rng = np.random.default_rng(3)
    layer.set_weights([rng.standard_normal(w.shape).astype("float32") for w in layer.get_weights()])
    axes = tuple(a % 3 for a in ([kwargs["axis"]] if isinstance(kwargs["axis"], int) else kwargs["axis"]))
    mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
    expected = (x - mean) / np.sqrt(var + 1e-3)
    shape = [x.shape[d] if d in axes else 1 for d in range(3)]
    if layer.gamma is not None:
        expected = expected * layer.gamma.numpy().reshape(shape)
    if layer.beta is not None:
        expected = expected + layer.beta.numpy().reshape(shape)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("shape,axis", [((3, 4), -1), ((2, 3, 4), [1, 2]), ((2, 3, 4), 1)])
def test_unit_norm_matches_keras(ref, shape, axis):
    x = _x(shape)
    x[0] = 0.0  # the epsilon floor
    assert_matches_keras(
        layers.UnitNormalization(axis=axis), ref.layers.UnitNormalization(axis=axis), x, copy_weights=False
    )


@pytest.mark.parametrize("axis,shape", [(-1, (20, 3)), (None, (20, 3)), ((1, 2), (10, 2, 3)), (1, (10, 2, 3))])
def test_normalization_adapt_matches_keras(ref, axis, shape):
    data = _x(shape, scale=3.0, shift=2.0)
    ours, theirs = layers.Normalization(axis=axis), ref.layers.Normalization(axis=axis)
    ours.adapt(data)
    theirs.adapt(data)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    x = _x(shape, seed=3)
    np.testing.assert_allclose(ours(x).numpy(), theirs(x).numpy(), rtol=1e-5, atol=1e-5)


def test_normalization_adapt_from_batches_and_dataset():
    import capas as tf

    data = _x((30, 3), scale=3.0, shift=2.0)
    expected_mean, expected_var = data.mean(axis=0), data.var(axis=0)
    for source in (
        [data[:7], data[7:20], data[20:]],
        tf.data.Dataset.from_tensor_slices(data).batch(8),
        tf.data.Dataset.from_tensor_slices((data, data)).batch(8),
        torch.tensor(data),
    ):
        norm = layers.Normalization()
        norm.adapt(source)
        np.testing.assert_allclose(norm.adapt_mean.numpy(), expected_mean, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(norm.adapt_variance.numpy(), expected_var, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("invert", [False, True])
def test_normalization_fixed_mean_variance_matches_keras(ref, invert):
    kwargs = dict(mean=[1.0, 2.0, 3.0], variance=[4.0, 1.0, 0.25], invert=invert)
    ours, theirs = layers.Normalization(**kwargs), ref.layers.Normalization(**kwargs)
    x = _x((5, 3))
    np.testing.assert_allclose(ours(x).numpy(), theirs(x).numpy(), rtol=1e-6)
    mine, keras_config = ours.get_config(), theirs.get_config()
    for key in ("axis", "mean", "variance", "invert"):
        assert mine[key] == keras_config[key]


@pytest.mark.parametrize(
    "cls,kwargs,shape,trainable,non_trainable",
    [
        (layers.BatchNormalization, {}, (4, 3), 2, 2),
        (layers.BatchNormalization, {"axis": 1}, (4, 3, 5, 5), 2, 2),
        (layers.LayerNormalization, {"axis": [1, 2]}, (2, 3, 4), 2, 0),
        (layers.GroupNormalization, {"groups": 2}, (2, 5, 4), 2, 0),
        (layers.UnitNormalization, {}, (2, 4), 0, 0),
        (layers.Normalization, {"mean": 1.0, "variance": 2.0}, (2, 4), 0, 0),
    ],
)
def test_normalization_contract(cls, kwargs, shape, trainable, non_trainable):
    run_layer_test(
        cls,
        kwargs,
        input_shape=shape,
        expected_num_trainable_weights=trainable,
        expected_num_non_trainable_weights=non_trainable,
        run_training_check=trainable > 0,
    )


def test_configs_match_keras(ref):
    import warnings

    warnings.filterwarnings("ignore", message="You passed `rms_scaling=True`")
    for name, kwargs in [
        ("BatchNormalization", {"axis": 1}),
        ("LayerNormalization", {"rms_scaling": True}),
        ("GroupNormalization", {"groups": 4}),
        ("UnitNormalization", {"axis": [1, 2]}),
    ]:
        mine = getattr(layers, name)(**kwargs).get_config()
        keras_config = getattr(ref.layers, name)(**kwargs).get_config()
        mine.pop("name"), keras_config.pop("name")
        assert mine == keras_config, name


def test_bad_inputs_name_the_layer():
    with pytest.raises(ValueError, match=r"GroupNormalization 'gn'.*channels \(6\) must be a multiple.*groups \(4\)"):
        layers.GroupNormalization(groups=4, name="gn")(torch.ones(2, 6))
    bn = layers.BatchNormalization(name="bn_x")
    bn(torch.ones(2, 3))
    with pytest.raises(ValueError, match=r"'bn_x' \(BatchNormalization\).*3 features.*\(2, 5\)"):
        bn(torch.ones(2, 5))
    with pytest.raises(ValueError, match=r"LayerNormalization 'ln_x': axis 3 is out of bounds"):
        layers.LayerNormalization(axis=3, name="ln_x")(torch.ones(2, 3))
    with pytest.raises(ValueError, match=r"both `mean` and `variance`"):
        layers.Normalization(mean=1.0)


@pytest.mark.parametrize(
    "cls,kwargs",
    [
        (layers.BatchNormalization, {}),
        (layers.LayerNormalization, {}),
        (layers.GroupNormalization, {"groups": 2}),
        (layers.UnitNormalization, {}),
    ],
)
@pytest.mark.parametrize("training", [False, True])
def test_low_precision_policies_compute_in_float32(cls, kwargs, training):
    x = torch.randn(6, 4)
    reference, layer = cls(**kwargs), cls(dtype="bfloat16", **kwargs)
    expected = reference(x, training=training)
    y = layer(x.bfloat16(), training=training)
    assert y.dtype == torch.bfloat16
    np.testing.assert_allclose(y.float().numpy(), expected.numpy(), rtol=5e-2, atol=5e-2)


def test_batch_norm_trains_on_a_single_example_like_keras(ref):
    ours, theirs = layers.BatchNormalization(), ref.layers.BatchNormalization()
    assert_matches_keras(ours, theirs, _x((1, 3)), training=True)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    "cls,kwargs",
    [
        (layers.BatchNormalization, {}),
        (layers.LayerNormalization, {}),
        (layers.GroupNormalization, {"groups": 2}),
        (layers.UnitNormalization, {}),
    ],
)
def test_mixed_policy_returns_the_compute_dtype_like_keras(ref, cls, kwargs):
    x = torch.randn(6, 4)
    ours = cls(dtype="mixed_bfloat16", **kwargs)
    theirs = getattr(ref.layers, cls.__name__)(dtype="mixed_bfloat16", **kwargs)
    for training in (False, True):
        assert ours(x, training=training).dtype == theirs(x, training=training).dtype == torch.bfloat16
    assert all(w.dtype == torch.float32 for w in ours.weights)
