"""Every activation against keras.activations (torch backend) on the same inputs."""

import numpy as np
import pytest
import torch

from capas.keras import activations


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def _np(x):
    return x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)


def _inputs(dtype="float32", shape=(4, 6, 10)):
    rng = np.random.default_rng(0)
    x = rng.normal(scale=3.0, size=shape)
    # The kinks and branch points of the piecewise functions, exactly.
    edges = np.array([-10.0, -6.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0])
    x.reshape(-1)[: edges.size] = edges
    return x.astype(dtype)


def _compare(ours, ref, dtype="float32"):
    ours, ref = _np(ours), _np(ref)
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    tol = {"float32": 1e-6, "float64": 1e-12, "float16": 1e-3}[dtype]
    np.testing.assert_allclose(ours, ref, rtol=tol, atol=tol)


UNARY = [
    "relu",
    "relu6",
    "leaky_relu",
    "elu",
    "selu",
    "celu",
    "gelu",
    "silu",
    "swish",
    "sigmoid",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "tanh",
    "tanh_shrink",
    "hard_tanh",
    "softplus",
    "softsign",
    "soft_shrink",
    "hard_shrink",
    "sparse_plus",
    "sparse_sigmoid",
    "squareplus",
    "log_sigmoid",
    "exponential",
    "linear",
    "mish",
    "softmax",
    "log_softmax",
    "glu",
]


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matches_keras(keras, name, dtype):
    x = _inputs(dtype)
    ours = getattr(activations, name)(torch.from_numpy(x))
    ref = getattr(keras.activations, name)(keras.ops.convert_to_tensor(x))
    _compare(ours, ref, dtype)


@pytest.mark.parametrize("name", ["relu", "sigmoid", "softmax", "gelu", "silu", "tanh"])
def test_float16_matches_keras(keras, name):
    x = _inputs("float16")
    ours = getattr(activations, name)(torch.from_numpy(x))
    ref = getattr(keras.activations, name)(keras.ops.convert_to_tensor(x))
    _compare(ours, ref, "float16")


@pytest.mark.parametrize("negative_slope", [0.0, 0.1])
@pytest.mark.parametrize("max_value", [None, 6, 2.5])
@pytest.mark.parametrize("threshold", [0.0, 1.0, -0.5])
def test_relu_arguments_match_keras(keras, negative_slope, max_value, threshold):
    x = _inputs()
    kwargs = dict(negative_slope=negative_slope, max_value=max_value, threshold=threshold)
    ours = activations.relu(torch.from_numpy(x), **kwargs)
    ref = keras.activations.relu(x, **kwargs)
    _compare(ours, ref)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("leaky_relu", dict(negative_slope=0.05)),
        ("elu", dict(alpha=0.3)),
        ("celu", dict(alpha=2.0)),
        ("gelu", dict(approximate=True)),
        ("gelu", dict(approximate=False)),
        ("soft_shrink", dict(threshold=1.0)),
        ("hard_shrink", dict(threshold=1.0)),
        ("squareplus", dict(b=1.0)),
        ("threshold", dict(threshold=0.5, default_value=-2.0)),
        ("softmax", dict(axis=1)),
        ("softmax", dict(axis=(1, 2))),
        ("softmax", dict(axis=(0, 2))),
        ("log_softmax", dict(axis=0)),
        ("glu", dict(axis=1)),
    ],
)
def test_arguments_match_keras(keras, name, kwargs):
    x = _inputs()
    ours = getattr(activations, name)(torch.from_numpy(x), **kwargs)
    ref = getattr(keras.activations, name)(x, **kwargs)
    _compare(ours, ref)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_over_all_axes_matches_keras_ops(keras, name):
    x = _inputs()
    ours = getattr(activations, name)(torch.from_numpy(x), axis=None)
    ref = getattr(keras.ops, name)(x, axis=None)
    _compare(ours, ref)


def _sparsemax_reference(z):
    # Martins & Astudillo (2016), Algorithm 1, on the last axis.
    z_sorted = -np.sort(-z, axis=-1)
    k = np.arange(1, z.shape[-1] + 1)
    cumsum = np.cumsum(z_sorted, axis=-1)
    support = 1 + k * z_sorted > cumsum
    k_z = support.sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumsum, k_z - 1, axis=-1) - 1) / k_z
    return np.maximum(z - tau, 0.0)


@pytest.mark.parametrize("axis", [-1, 1])
def test_sparsemax_is_the_simplex_projection(axis):
    x = _inputs("float64")
    ours = _np(activations.sparsemax(torch.from_numpy(x), axis=axis))
    ref = np.moveaxis(_sparsemax_reference(np.moveaxis(x, axis, -1)), -1, axis)
    np.testing.assert_allclose(ours, ref, atol=1e-12)
    np.testing.assert_allclose(ours.sum(axis=axis), 1.0, atol=1e-12)


def test_accepts_numpy_and_lists():
    out = activations.relu([[-1.0, 2.0]])
    assert isinstance(out, torch.Tensor)
    np.testing.assert_array_equal(_np(out), [[0.0, 2.0]])
    assert isinstance(activations.sigmoid(np.zeros(3, "float32")), torch.Tensor)


def test_glu_odd_axis_names_the_shape():
    with pytest.raises(ValueError, match=r"glu.*even.*\(2, 3\)"):
        activations.glu(torch.zeros(2, 3))


@pytest.mark.parametrize("name", ["relu", "softmax", "gelu", "mish", "sparse_plus", "squareplus"])
def test_gradients_match_keras(keras, name):
    x = _inputs("float64")
    ours_x = torch.from_numpy(x).requires_grad_(True)
    getattr(activations, name)(ours_x).sum().backward()
    ref_x = torch.from_numpy(x).requires_grad_(True)
    getattr(keras.activations, name)(ref_x).sum().backward()
    np.testing.assert_allclose(_np(ours_x.grad), _np(ref_x.grad), rtol=1e-10, atol=1e-12)
