"""Random initializers: statistics against Keras's formulas and Keras's own samples,
seed determinism, configs and argument checks."""

import math

import numpy as np
import pytest
import torch

from capas.keras import initializers
from capas.keras.initializers.variance_scaling_initializers import compute_fans


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def _np(x):
    return x.detach().cpu().double().numpy()


FAN_SHAPES = [(), (7,), (3, 4), (3, 3, 16, 32), (2, 2, 2, 3, 5), (5, 1, 1)]


@pytest.mark.parametrize("shape", FAN_SHAPES)
def test_compute_fans_matches_keras(keras, shape):
    from keras.src.initializers.random_initializers import compute_fans as keras_fans

    assert compute_fans(shape) == keras_fans(shape)


def test_compute_fans_with_explicit_axes_matches_keras(keras):
    from keras.src.initializers.random_initializers import compute_fans as keras_fans

    shape = (4, 3, 5, 6)
    assert compute_fans(shape, [0, 2], [1, 3]) == keras_fans(shape, [0, 2], [1, 3])


# (class name, kwargs) -> (scale, mode, distribution) as Keras defines them.
PRESETS = {
    "GlorotUniform": (1.0, "fan_avg", "uniform"),
    "GlorotNormal": (1.0, "fan_avg", "truncated_normal"),
    "HeUniform": (2.0, "fan_in", "uniform"),
    "HeNormal": (2.0, "fan_in", "truncated_normal"),
    "LecunUniform": (1.0, "fan_in", "uniform"),
    "LecunNormal": (1.0, "fan_in", "truncated_normal"),
}
STAT_SHAPES = [(400, 500), (3, 3, 96, 96), (200_000,)]


def _target_std(shape, scale, mode):
    fan_in, fan_out = compute_fans(shape)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    return math.sqrt(scale / max(1.0, n))


def _check_variance_scaling_sample(values, shape, scale, mode, distribution):
    std = _target_std(shape, scale, mode)
    assert abs(values.mean()) < 5 * std / math.sqrt(values.size)
    np.testing.assert_allclose(values.std(), std, rtol=0.02)
    if distribution == "uniform":
        limit = math.sqrt(3.0) * std
        assert np.abs(values).max() <= limit * (1 + 1e-6)
        assert np.abs(values).max() > 0.99 * limit
    elif distribution == "truncated_normal":
        bound = 2 * std / 0.87962566103423978
        assert np.abs(values).max() <= bound * (1 + 1e-6)
        assert np.abs(values).max() > 0.95 * bound


@pytest.mark.parametrize("name", sorted(PRESETS))
@pytest.mark.parametrize("shape", STAT_SHAPES)
def test_presets_follow_keras_statistics(keras, name, shape):
    scale, mode, distribution = PRESETS[name]
    ours = _np(getattr(initializers, name)(seed=1)(shape))
    _check_variance_scaling_sample(ours, shape, scale, mode, distribution)
    ref = _np(getattr(keras.initializers, name)(seed=1)(shape))
    _check_variance_scaling_sample(ref, shape, scale, mode, distribution)  # the formula is Keras's
    np.testing.assert_allclose(ours.std(), ref.std(), rtol=0.03)


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
@pytest.mark.parametrize("distribution", ["uniform", "truncated_normal", "untruncated_normal"])
def test_variance_scaling_follows_keras_statistics(keras, mode, distribution):
    shape = (3, 3, 64, 128)
    kwargs = dict(scale=0.5, mode=mode, distribution=distribution, seed=3)
    ours = _np(initializers.VarianceScaling(**kwargs)(shape))
    ref = _np(keras.initializers.VarianceScaling(**kwargs)(shape))
    _check_variance_scaling_sample(ours, shape, 0.5, mode, distribution)
    np.testing.assert_allclose(ours.std(), ref.std(), rtol=0.03)


def test_random_normal_statistics(keras):
    ours = _np(initializers.RandomNormal(mean=1.0, stddev=2.0, seed=0)((200_000,)))
    ref = _np(keras.initializers.RandomNormal(mean=1.0, stddev=2.0, seed=0)((200_000,)))
    for values in (ours, ref):
        np.testing.assert_allclose(values.mean(), 1.0, atol=0.03)
        np.testing.assert_allclose(values.std(), 2.0, rtol=0.02)


def test_random_uniform_statistics(keras):
    ours = _np(initializers.RandomUniform(minval=-1.0, maxval=3.0, seed=0)((200_000,)))
    ref = _np(keras.initializers.RandomUniform(minval=-1.0, maxval=3.0, seed=0)((200_000,)))
    for values in (ours, ref):
        assert values.min() >= -1.0 and values.max() < 3.0
        np.testing.assert_allclose(values.mean(), 1.0, atol=0.02)
        np.testing.assert_allclose(values.std(), 4.0 / math.sqrt(12.0), rtol=0.02)


def test_truncated_normal_statistics(keras):
    ours = _np(initializers.TruncatedNormal(mean=0.5, stddev=2.0, seed=0)((200_000,)))
    ref = _np(keras.initializers.TruncatedNormal(mean=0.5, stddev=2.0, seed=0)((200_000,)))
    assert ours.min() >= 0.5 - 4.0 and ours.max() <= 0.5 + 4.0
    # Keras keeps the first of 4 draws inside the bounds, or the first draw
    # when all 4 miss (probability 4e-6): a few samples may lie outside.
    assert (np.abs(ref - 0.5) > 4.0).mean() < 1e-4
    for values in (ours, ref):
        np.testing.assert_allclose(values.mean(), 0.5, atol=0.03)
        np.testing.assert_allclose(values.std(), 2.0 * 0.87962566103423978, rtol=0.02)
    np.testing.assert_allclose(ours.std(), ref.std(), rtol=0.02)


def test_default_arguments_match_keras(keras):
    for name in [
        "RandomNormal",
        "RandomUniform",
        "TruncatedNormal",
        "VarianceScaling",
        "Orthogonal",
    ]:
        assert getattr(initializers, name)().get_config() == getattr(keras.initializers, name)().get_config()


RANDOM_CONFIGS = [
    ("RandomNormal", dict(mean=1.0, stddev=0.3, seed=4)),
    ("RandomUniform", dict(minval=-2.0, maxval=0.5, seed=None)),
    ("TruncatedNormal", dict(mean=0.1, stddev=1.0, seed=7)),
    ("VarianceScaling", dict(scale=2.0, mode="fan_out", distribution="normal", seed=1)),
    (
        "VarianceScaling",
        dict(scale=0.3, mode="fan_avg", distribution="uniform", input_axes=[0], output_axes=[1]),
    ),
    ("Orthogonal", dict(gain=2.0, seed=3)),
    ("GlorotUniform", dict(seed=5)),
    ("GlorotNormal", dict()),
    ("HeNormal", dict(seed=2)),
    ("HeUniform", dict(input_axes=[0], output_axes=[1])),
    ("LecunNormal", dict(seed=0)),
    ("LecunUniform", dict()),
]


@pytest.mark.parametrize("name,kwargs", RANDOM_CONFIGS)
def test_get_config_matches_keras(keras, name, kwargs):
    ours = getattr(initializers, name)(**kwargs)
    ref = getattr(keras.initializers, name)(**kwargs)
    assert ours.get_config() == ref.get_config()
    clone = type(ours).from_config(ours.get_config())
    assert clone.get_config() == ours.get_config()


@pytest.mark.parametrize("name,kwargs", RANDOM_CONFIGS)
def test_int_seed_is_deterministic_across_calls_and_instances(name, kwargs):
    kwargs = {**kwargs, "seed": 11}
    shape = (6, 4)
    first = getattr(initializers, name)(**kwargs)(shape)
    torch.manual_seed(123)  # the global generator plays no part
    assert torch.equal(first, getattr(initializers, name)(**kwargs)(shape))
    init = getattr(initializers, name)(**kwargs)
    assert torch.equal(init(shape), init(shape))
    other = getattr(initializers, name)(**{**kwargs, "seed": 12})(shape)
    assert not torch.equal(first, other)


@pytest.mark.parametrize("name,kwargs", RANDOM_CONFIGS)
def test_unseeded_draws_follow_torch_manual_seed(name, kwargs):
    kwargs = {**kwargs, "seed": None}
    init = getattr(initializers, name)(**kwargs)
    torch.manual_seed(5)
    a, b = init((6, 4)), init((6, 4))
    assert not torch.equal(a, b)
    torch.manual_seed(5)
    assert torch.equal(a, init((6, 4)))


@pytest.mark.parametrize("name", ["RandomNormal", "RandomUniform", "TruncatedNormal", "GlorotNormal", "Orthogonal"])
@pytest.mark.parametrize("dtype", ["float64", "float16", "bfloat16", torch.float64])
def test_float_dtypes(name, dtype):
    out = getattr(initializers, name)(seed=0)((4, 4), dtype=dtype)
    assert out.dtype == (dtype if isinstance(dtype, torch.dtype) else getattr(torch, dtype))
    assert torch.isfinite(out.float()).all()


@pytest.mark.parametrize("name", ["RandomNormal", "HeUniform", "Orthogonal"])
def test_integer_dtype_is_refused_with_the_initializer_name(name):
    with pytest.raises(ValueError, match=rf"{name}.*floating-point.*int32"):
        getattr(initializers, name)()((3, 3), dtype="int32")


@pytest.mark.parametrize("seed", ["1", 1.5, True, [1]])
def test_bad_seed_is_a_type_error(seed):
    with pytest.raises(TypeError, match=r"GlorotUniform.*seed.*int"):
        initializers.GlorotUniform(seed=seed)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(scale=0.0), "scale"),
        (dict(scale=-1.0), "scale"),
        (dict(mode="fan_middle"), "mode"),
        (dict(distribution="cauchy"), "distribution"),
    ],
)
def test_variance_scaling_argument_checks_agree_with_keras(keras, kwargs, match):
    with pytest.raises(ValueError):
        keras.initializers.VarianceScaling(**kwargs)
    with pytest.raises(ValueError, match=rf"VarianceScaling.*{match}"):
        initializers.VarianceScaling(**kwargs)


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (2, 3, 8), (3, 3, 4, 6)])
@pytest.mark.parametrize("gain", [1.0, 0.5])
def test_orthogonal_is_orthogonal_like_keras(keras, shape, gain):
    for module in (initializers, keras.initializers):
        q = _np(module.Orthogonal(gain=gain, seed=2)(shape)).reshape(-1, shape[-1])
        small = q @ q.T if q.shape[0] < q.shape[1] else q.T @ q
        np.testing.assert_allclose(small, gain**2 * np.eye(small.shape[0]), atol=1e-5)
        assert q.reshape(shape).shape == shape


def test_orthogonal_rejects_rank_one():
    with pytest.raises(ValueError, match=r"Orthogonal.*two-dimensional.*rank 1"):
        initializers.Orthogonal()((5,))


@pytest.mark.parametrize("name", ["RandomNormal", "RandomUniform", "TruncatedNormal", "HeNormal", "Orthogonal"])
def test_meta_device_gives_shape_only_tensors(name):
    with torch.device("meta"):
        out = getattr(initializers, name)(seed=1)((4, 3))
    assert out.device.type == "meta" and out.shape == (4, 3)


def test_default_device_is_honoured():
    with torch.device("cpu"):
        assert initializers.HeNormal(seed=0)((2, 2)).device.type == "cpu"
