"""Conv1D/2D/3D, their transposes, depthwise and separable convolutions against keras."""

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


CONV_CASES = [
    ("Conv1D", (2, 9, 3), dict(filters=4, kernel_size=3)),
    ("Conv1D", (2, 9, 3), dict(filters=4, kernel_size=4, strides=2, padding="same")),
    ("Conv1D", (2, 9, 3), dict(filters=4, kernel_size=3, padding="causal", dilation_rate=2)),
    ("Conv1D", (2, 3, 9), dict(filters=4, kernel_size=2, data_format="channels_first", use_bias=False)),
    ("Conv1D", (2, 9, 4), dict(filters=6, kernel_size=3, groups=2, activation="relu")),
    ("Conv2D", (2, 7, 6, 3), dict(filters=4, kernel_size=3)),
    ("Conv2D", (2, 7, 6, 3), dict(filters=4, kernel_size=(3, 2), strides=2, padding="same")),
    ("Conv2D", (2, 8, 8, 3), dict(filters=4, kernel_size=2, strides=(2, 3), padding="same")),
    ("Conv2D", (2, 7, 6, 3), dict(filters=4, kernel_size=3, dilation_rate=2, padding="same")),
    ("Conv2D", (2, 3, 7, 6), dict(filters=4, kernel_size=3, data_format="channels_first", padding="same")),
    ("Conv2D", (2, 5, 5, 4), dict(filters=4, kernel_size=3, groups=4, activation="tanh")),
    ("Conv3D", (2, 4, 5, 4, 2), dict(filters=3, kernel_size=2)),
    ("Conv3D", (2, 5, 5, 4, 2), dict(filters=3, kernel_size=3, strides=2, padding="same")),
    ("Conv3D", (2, 2, 4, 5, 4), dict(filters=3, kernel_size=2, data_format="channels_first")),
    ("Conv1DTranspose", (2, 5, 3), dict(filters=4, kernel_size=3, strides=2)),
    ("Conv1DTranspose", (2, 5, 3), dict(filters=4, kernel_size=3, strides=2, padding="same", output_padding=1)),
    ("Conv1DTranspose", (2, 5, 3), dict(filters=4, kernel_size=4, strides=3, padding="same")),
    ("Conv2DTranspose", (2, 4, 5, 3), dict(filters=4, kernel_size=3, strides=2, padding="same")),
    ("Conv2DTranspose", (2, 4, 5, 3), dict(filters=4, kernel_size=(2, 3), strides=(1, 2), output_padding=(0, 1))),
    ("Conv2DTranspose", (2, 4, 5, 3), dict(filters=4, kernel_size=3, dilation_rate=2)),
    ("Conv2DTranspose", (2, 3, 4, 5), dict(filters=4, kernel_size=3, strides=2, data_format="channels_first")),
    ("Conv3DTranspose", (2, 3, 3, 2, 2), dict(filters=3, kernel_size=2, strides=2, padding="same")),
    ("DepthwiseConv1D", (2, 9, 3), dict(kernel_size=3, depth_multiplier=2)),
    ("DepthwiseConv1D", (2, 9, 3), dict(kernel_size=4, strides=2, padding="same")),
    ("DepthwiseConv2D", (2, 7, 6, 3), dict(kernel_size=3, depth_multiplier=2, padding="same", strides=2)),
    ("DepthwiseConv2D", (2, 3, 7, 6), dict(kernel_size=2, data_format="channels_first", dilation_rate=2)),
    ("SeparableConv1D", (2, 9, 3), dict(filters=4, kernel_size=3, depth_multiplier=2)),
    ("SeparableConv2D", (2, 7, 6, 3), dict(filters=4, kernel_size=3, strides=2, padding="same")),
    ("SeparableConv2D", (2, 3, 7, 6), dict(filters=4, kernel_size=2, data_format="channels_first")),
]


@pytest.mark.parametrize("name,shape,kwargs", CONV_CASES)
def test_conv_matches_keras(ref, name, shape, kwargs):
    ours, theirs = getattr(layers, name)(**kwargs), getattr(ref.layers, name)(**kwargs)
    x = _x(shape)
    assert_matches_keras(ours, theirs, x)
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    assert [w.name.split("/")[-1].split(":")[0] for w in ours.weights] == [w.name for w in theirs.weights]
    # Another batch size and, for channels_last, another spatial size reuse the weights.
    x2 = _x((3,) + shape[1:], seed=1)
    assert_matches_keras(ours, theirs, x2, copy_weights=False)


@pytest.mark.parametrize("name,shape,kwargs", CONV_CASES[::3])
def test_conv_config_matches_keras(ref, name, shape, kwargs):
    ours, theirs = getattr(layers, name)(**kwargs), getattr(ref.layers, name)(**kwargs)
    mine, keras_config = ours.get_config(), theirs.get_config()
    assert list(mine) == list(keras_config)
    for key in ("kernel_size", "strides", "padding", "data_format", "dilation_rate", "filters", "activation"):
        if key in mine:
            assert mine[key] == keras_config[key]


@pytest.mark.parametrize(
    "name,shape,kwargs,weights",
    [
        ("Conv1D", (2, 9, 3), dict(filters=4, kernel_size=3, padding="causal"), 2),
        ("Conv2D", (2, 6, 6, 3), dict(filters=4, kernel_size=3, strides=2, padding="same"), 2),
        ("Conv3D", (1, 4, 4, 4, 2), dict(filters=2, kernel_size=2, use_bias=False), 1),
        ("Conv2DTranspose", (2, 3, 3, 2), dict(filters=3, kernel_size=3, strides=2, padding="same"), 2),
        ("DepthwiseConv2D", (2, 6, 6, 3), dict(kernel_size=3, depth_multiplier=2), 2),
        ("SeparableConv1D", (2, 9, 3), dict(filters=4, kernel_size=3), 3),
        ("Conv1DTranspose", (2, 4, 3), dict(filters=2, kernel_size=3, strides=2), 2),
        ("Conv3DTranspose", (1, 2, 2, 2, 2), dict(filters=2, kernel_size=2, strides=2, padding="same"), 2),
        ("DepthwiseConv1D", (2, 6, 3), dict(kernel_size=3, use_bias=False), 1),
        ("SeparableConv2D", (2, 5, 5, 3), dict(filters=2, kernel_size=3, padding="same"), 3),
    ],
)
def test_conv_contract(name, shape, kwargs, weights):
    run_layer_test(
        getattr(layers, name),
        kwargs,
        input_shape=shape,
        expected_num_trainable_weights=weights,
        expected_num_non_trainable_weights=0,
    )


def test_symbolic_shape_with_unknown_spatial_dims():
    from capas import keras

    out = layers.Conv2D(4, 3, strides=2, padding="same")(keras.Input((None, None, 3)))
    assert out.shape == (None, None, None, 4)
    out = layers.Conv2D(4, 3)(keras.Input((9, 8, 3)))
    assert out.shape == (None, 7, 6, 4)


def test_channels_last_output_is_a_view_of_a_channels_last_result():
    layer = layers.Conv2D(8, 3, padding="same")
    y = layer(torch.randn(2, 10, 10, 4))
    assert y.shape == (2, 10, 10, 8)
    # The NCHW result torch produced for the NHWC-strided input is channels_last in memory,
    # so the NHWC view we return is contiguous: no copy was needed either way.
    assert y.is_contiguous()


def test_conv2d_given_3d_input_names_layer_and_fix():
    layer = layers.Conv2D(4, 3, name="conv_a")
    expected = r"Conv2D 'conv_a' expects a 4-D input.*received a 3-D input of shape \(8, 8, 3\).*expand_dims"
    with pytest.raises(ValueError, match=expected):
        layer(torch.ones(8, 8, 3))


def test_channel_mismatch_after_build():
    layer = layers.Conv2D(4, 3, name="conv_b")
    layer(torch.ones(1, 5, 5, 3))
    with pytest.raises(ValueError, match=r"'conv_b' \(Conv2D\).*axis -1.*value 3.*\(1, 5, 5, 2\)"):
        layer(torch.ones(1, 5, 5, 2))


def test_kernel_larger_than_valid_input():
    layer = layers.Conv2D(4, 5, name="conv_c")
    layer(torch.ones(1, 6, 6, 3))
    expected = r"Conv2D 'conv_c'.*kernel_size \(5, 5\).*larger than.*\(3, 3\).*padding='same'"
    with pytest.raises(ValueError, match=expected):
        layer(torch.ones(1, 3, 3, 3))


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(filters=4, kernel_size=3, padding="causal"), r"`padding` must be one of \['valid', 'same'\]"),
        (dict(filters=4, kernel_size=3, padding="vaild"), r"Did you mean 'valid'"),
        (dict(filters=4, kernel_size=(3, 3, 3)), r"`kernel_size` must be an integer or a tuple of 2"),
        (dict(filters=4, kernel_size=3, strides=2, dilation_rate=2), r"not compatible with `dilation_rate > 1`"),
        (dict(filters=5, kernel_size=3, groups=2), r"divisible by `groups`"),
        (dict(filters=0, kernel_size=3), r"positive integer"),
    ],
)
def test_bad_constructor_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.Conv2D(**kwargs)


def test_output_padding_must_be_below_strides():
    with pytest.raises(ValueError, match=r"Conv2DTranspose.*strictly less than.*strides"):
        layers.Conv2DTranspose(3, 3, strides=2, output_padding=2)


def test_kernel_is_the_trained_keras_layout_variable():
    layer = layers.Conv2D(4, 3)
    x = torch.randn(2, 5, 5, 3)
    layer(x)
    assert tuple(layer.kernel.shape) == (3, 3, 3, 4)
    from capas import GradientTape

    with GradientTape() as tape:
        loss = layer(x).sum()
    grad = tape.gradient(loss, layer.kernel)
    assert grad.shape == layer.kernel.shape


@pytest.mark.parametrize(
    "name,kwargs,shape",
    [
        ("Conv2D", dict(filters=2, kernel_size=3, padding="same", strides=2), (2, 5, 5, 3)),
        ("Conv1DTranspose", dict(filters=2, kernel_size=3, strides=2), (2, 5, 3)),
        ("SeparableConv2D", dict(filters=2, kernel_size=2), (2, 4, 4, 3)),
        ("DepthwiseConv1D", dict(kernel_size=2), (2, 4, 3)),
    ],
)
@pytest.mark.parametrize(
    "policy,dtype", [("float64", torch.float64), ("bfloat16", torch.bfloat16), ("mixed_bfloat16", torch.bfloat16)]
)
def test_dtype_policies(name, kwargs, shape, policy, dtype):
    reference = getattr(layers, name)(**kwargs)
    layer = getattr(layers, name)(dtype=policy, **kwargs)
    x = torch.randn(shape)
    reference(x)
    layer(x.to(dtype) if policy != "mixed_bfloat16" else x)
    layer.set_weights(reference.get_weights())
    y = layer(x.to(dtype) if policy != "mixed_bfloat16" else x)
    assert y.dtype == dtype
    assert layer.weights[0].dtype == (torch.float32 if policy.startswith("mixed") else dtype)
    tol = 1e-6 if dtype == torch.float64 else 5e-2
    np.testing.assert_allclose(y.float().detach().numpy(), reference(x).numpy(), rtol=tol, atol=tol)


def test_symbolic_errors_show_the_symbolic_shape():
    from capas import keras

    with pytest.raises(ValueError, match=r"Conv2D 'conv_s'.*larger than.*\(None, 3, 3, 3\)"):
        layers.Conv2D(4, 5, name="conv_s")(keras.Input((3, 3, 3)))
    layer = layers.Conv2D(2, 3, name="conv_t")
    layer(keras.Input((5, 5, 2)))
    with pytest.raises(ValueError, match=r"'conv_t' \(Conv2D\).*value 2.*\(None, 5, 5, 3\)"):
        layer(keras.Input((5, 5, 3)))
    with pytest.raises(ValueError, match=r"MaxPooling2D 'pool_s'.*pool_size \(4, 4\).*\(None, 3, 3, 3\)"):
        layers.MaxPooling2D(4, name="pool_s")(keras.Input((3, 3, 3)))
