"""Rescaling, CenterCrop, Resizing and the random image layers against keras.

Here the transform itself is compared: keras draws a transformation, both
layers apply it with `transform_images`. (Seeded, the random layers also
draw Keras's numbers: test_augmentation_vs_keras.py compares whole calls.)
"""

import numpy as np
import pytest
import torch

from capas.keras import layers


def _images(shape=(2, 7, 9, 3)):
    return (np.random.default_rng(0).random(shape) * 255).astype("float32")


def _np(t):
    return np.asarray(t.detach().cpu() if hasattr(t, "detach") else t)


@pytest.mark.parametrize("scale,offset", [(1 / 255.0, 0.0), (1 / 127.5, -1.0), ([0.5, 1.0, 2.0], [0.0, 1.0, 2.0])])
@pytest.mark.parametrize("dtype", ["float32", "uint8"])
def test_rescaling_matches_keras(ref, scale, offset, dtype):
    x = _images().astype(dtype)
    ours, theirs = layers.Rescaling(scale, offset), ref.layers.Rescaling(scale, offset)
    out = ours(x)
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), _np(theirs(x)), rtol=1e-6)


@pytest.mark.parametrize("size", [(4, 5), (7, 9), (8, 12), (7, 3), (3, 10)])
@pytest.mark.parametrize("shape", [(2, 7, 9, 3), (7, 9, 3)])
def test_center_crop_matches_keras(ref, size, shape):
    x = _images(shape)
    np.testing.assert_allclose(layers.CenterCrop(*size)(x).numpy(), _np(ref.layers.CenterCrop(*size)(x)), atol=1e-4)


def test_center_crop_channels_first(ref):
    x = _images((2, 3, 7, 9))
    ours = layers.CenterCrop(4, 5, data_format="channels_first")
    theirs = ref.layers.CenterCrop(4, 5, data_format="channels_first")
    np.testing.assert_allclose(ours(x).numpy(), _np(theirs(x)))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"interpolation": "nearest"},
        {"interpolation": "bicubic"},
        {"crop_to_aspect_ratio": True},
        {"pad_to_aspect_ratio": True, "fill_value": 3.0},
        {"antialias": True},
    ],
)
@pytest.mark.parametrize("size", [(5, 4), (12, 20)])
def test_resizing_matches_keras(ref, kwargs, size):
    x = _images()
    np.testing.assert_allclose(
        layers.Resizing(*size, **kwargs)(x).numpy(), _np(ref.layers.Resizing(*size, **kwargs)(x)), atol=1e-3
    )


AFFINE = [
    ("RandomRotation", (0.3,)),
    ("RandomZoom", (0.3, 0.4)),
    ("RandomZoom", ((-0.5, -0.2),)),
    ("RandomTranslation", (0.3, 0.2)),
]


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
@pytest.mark.parametrize("name,args", AFFINE, ids=[a[0] + str(i) for i, a in enumerate(AFFINE)])
def test_affine_layers_apply_keras_transformations(ref, name, args, fill_mode, interpolation):
    x = torch.tensor(_images())
    kw = {"fill_mode": fill_mode, "interpolation": interpolation, "fill_value": 2.0}
    # Seeded: with 'nearest' interpolation a sample landing exactly between two pixels may
    # round either way in float32, so an unseeded draw could make the test flaky.
    theirs, ours = getattr(ref.layers, name)(*args, seed=1234, **kw), getattr(layers, name)(*args, **kw)
    transformation = theirs.get_random_transformation(x, training=True)
    out = ours.transform_images(x, transformation)
    np.testing.assert_allclose(out.numpy(), _np(theirs.transform_images(x, transformation)), atol=1e-3)
    assert not np.allclose(out.numpy(), x.numpy())


@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
def test_random_flip_applies_keras_transformations(ref, mode):
    x = torch.tensor(_images((4, 5, 6, 2)))
    theirs, ours = ref.layers.RandomFlip(mode), layers.RandomFlip(mode)
    transformation = theirs.get_random_transformation(x, training=True)
    np.testing.assert_allclose(
        ours.transform_images(x, transformation).numpy(), _np(theirs.transform_images(x, transformation))
    )


@pytest.mark.parametrize("factor", [0.5, (0.2, 0.8)])
def test_random_contrast_applies_keras_transformations(ref, factor):
    x = torch.tensor(_images())
    theirs, ours = ref.layers.RandomContrast(factor), layers.RandomContrast(factor)
    transformation = theirs.get_random_transformation(x, training=True)
    np.testing.assert_allclose(
        ours.transform_images(x, transformation).numpy(), _np(theirs.transform_images(x, transformation)), atol=1e-3
    )


RANDOM = [
    ("RandomFlip", ("horizontal",)),
    ("RandomRotation", (0.2,)),
    ("RandomZoom", (0.3,)),
    ("RandomTranslation", (0.2, 0.2)),
    ("RandomContrast", (0.5,)),
]


@pytest.mark.parametrize("name,args", RANDOM, ids=[r[0] for r in RANDOM])
def test_random_layers_identity_at_inference_and_seeded_in_training(name, args):
    x = torch.tensor(_images((6, 8, 8, 3)))
    a = getattr(layers, name)(*args, seed=5)
    b = getattr(layers, name)(*args, seed=5)
    np.testing.assert_array_equal(a(x, training=False).numpy(), x.numpy())
    out = a(x)  # Keras's default for a direct call is training=True
    np.testing.assert_allclose(out.numpy(), b(x, training=True).numpy())
    assert out.shape == x.shape and out.dtype == torch.float32
    assert not np.allclose(out.numpy(), x.numpy())
    single = a(x[0])
    assert single.shape == x[0].shape


def test_random_layer_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"RandomRotation 'rot'.*fill_mode 'mirrorr'"):
        layers.RandomRotation(0.1, fill_mode="mirrorr", name="rot")
    with pytest.raises(ValueError, match=r"RandomZoom 'zoom'.*height_factor.*1.5"):
        layers.RandomZoom(1.5, name="zoom")
    with pytest.raises(ValueError, match=r"RandomFlip 'flip'.*rank 3.*\(4, 4\)"):
        layers.RandomFlip(name="flip")(torch.zeros(4, 4))
