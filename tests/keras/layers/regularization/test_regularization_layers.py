"""SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout, AlphaDropout and ActivityRegularization.

Random layers cannot match keras draw for draw: inference is compared with keras
(identity), training with the defining statistics, and AlphaDropout with its
formula applied to our own keep mask.
"""

import numpy as np
import pytest
import torch

from capas.keras import layers
from capas.keras.testing import assert_matches_keras, run_layer_test


@pytest.fixture(scope="module")
def ref():
    return pytest.importorskip("keras")


def _x(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("SpatialDropout1D", {"rate": 0.5}),
        ("SpatialDropout2D", {"rate": 0.3}),
        ("SpatialDropout3D", {"rate": 0.3, "data_format": "channels_first"}),
        ("GaussianNoise", {"stddev": 0.5}),
        ("GaussianDropout", {"rate": 0.4}),
        ("AlphaDropout", {"rate": 0.2}),
        ("ActivityRegularization", {"l1": 0.1, "l2": 0.01}),
    ],
)
def test_inference_is_identity_like_keras(ref, name, kwargs):
    shape = {"SpatialDropout1D": (2, 5, 3), "SpatialDropout2D": (2, 4, 4, 3), "SpatialDropout3D": (2, 3, 2, 2, 2)}.get(
        name, (3, 4)
    )
    ours, theirs = getattr(layers, name)(**kwargs), getattr(ref.layers, name)(**kwargs)
    assert_matches_keras(ours, theirs, _x(shape), training=False, copy_weights=False)
    mine, keras_config = ours.get_config(), theirs.get_config()
    for key, value in keras_config.items():
        if key not in ("name", "dtype", "trainable"):
            assert mine[key] == value, key


@pytest.mark.parametrize(
    "cls,shape,channel_axis",
    [
        (layers.SpatialDropout1D, (8, 50, 6), -1),
        (layers.SpatialDropout2D, (8, 5, 5, 6), -1),
        (layers.SpatialDropout3D, (8, 6, 3, 3, 3), 1),
    ],
)
def test_spatial_dropout_drops_whole_channels(cls, shape, channel_axis):
    kwargs = (
        {"rate": 0.5}
        if cls is layers.SpatialDropout1D
        else {"rate": 0.5, "data_format": "channels_last" if channel_axis == -1 else "channels_first"}
    )
    x = torch.ones(shape)
    y = cls(**kwargs)(x, training=True)
    per_channel = y.movedim(channel_axis, 1).reshape(shape[0], shape[channel_axis], -1)
    assert torch.all(per_channel.amin(-1) == per_channel.amax(-1))  # each map all kept or all dropped
    assert set(per_channel.unique().tolist()) <= {0.0, 2.0}
    assert 0.2 < (per_channel[..., 0] == 0).float().mean() < 0.8


def test_gaussian_layers_statistics():
    torch.manual_seed(0)
    x = torch.ones(200_00)
    noisy = layers.GaussianNoise(0.5)(x, training=True)
    assert abs(float((noisy - x).mean())) < 0.02 and abs(float((noisy - x).std()) - 0.5) < 0.02
    dropped = layers.GaussianDropout(0.2)(x, training=True)
    assert abs(float(dropped.mean()) - 1.0) < 0.02 and abs(float(dropped.std()) - 0.5) < 0.02


def test_alpha_dropout_formula_and_self_normalization():
    torch.manual_seed(0)
    rate = 0.2
    x = torch.randn(40_000)
    y = layers.AlphaDropout(rate)(x, training=True)
    alpha_p = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    b = -a * alpha_p * rate
    kept = torch.isclose(y, a * x + b)
    assert 0.75 < float(kept.float().mean()) < 0.85
    torch.testing.assert_close(y[~kept], torch.full_like(y[~kept], a * alpha_p + b))
    assert abs(float(y.mean())) < 0.03 and abs(float(y.std()) - 1.0) < 0.03


def test_activity_regularization_adds_keras_loss(ref):
    x = _x((4, 3))
    ours, theirs = layers.ActivityRegularization(l1=0.1, l2=0.01), ref.layers.ActivityRegularization(l1=0.1, l2=0.01)
    ours(torch.tensor(x))
    theirs(torch.tensor(x))
    assert len(ours.losses) == 1
    np.testing.assert_allclose(float(ours.losses[0]), float(theirs.losses[0]), rtol=1e-6)


@pytest.mark.parametrize(
    "cls,kwargs,shape",
    [
        (layers.SpatialDropout1D, {"rate": 0.2}, (2, 4, 3)),
        (layers.SpatialDropout2D, {"rate": 0.2}, (2, 4, 4, 3)),
        (layers.SpatialDropout3D, {"rate": 0.2}, (2, 2, 2, 2, 3)),
        (layers.GaussianNoise, {"stddev": 0.1}, (2, 5)),
        (layers.GaussianDropout, {"rate": 0.1}, (2, 5)),
        (layers.AlphaDropout, {"rate": 0.1}, (2, 5)),
        (layers.ActivityRegularization, {"l2": 0.1}, (2, 5)),
    ],
)
def test_regularization_contract(cls, kwargs, shape):
    run_layer_test(
        cls,
        kwargs,
        input_shape=shape,
        expected_output_shape=shape,
        expected_num_trainable_weights=0,
        run_training_check=False,
    )


def test_bad_rates_name_the_layer():
    with pytest.raises(ValueError, match=r"SpatialDropout2D 'sd': `rate` must be in \[0, 1\], received 1.5"):
        layers.SpatialDropout2D(1.5, name="sd")
    with pytest.raises(ValueError, match=r"GaussianNoise 'gn': `stddev`"):
        layers.GaussianNoise(-1.0, name="gn")
    with pytest.raises(ValueError, match=r"SpatialDropout1D 'sd1' expects a 3-D input.*\(2, 3\)"):
        layers.SpatialDropout1D(0.5, name="sd1")(torch.ones(2, 3), training=True)
