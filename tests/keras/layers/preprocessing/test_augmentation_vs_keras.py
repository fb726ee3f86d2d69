"""Keras 3's image augmentation layers (issue 13) against keras (KERAS_BACKEND=torch).

The random layers draw from torch generators of their own, not from keras's
SeedGenerator, so the transform itself is compared: keras draws a
transformation, both layers apply it with `transform_images`. The
deterministic settings (AutoContrast, Equalization, factors that pin the
draw) are compared call for call.
"""

import numpy as np
import pytest
import torch

import capas as tf
from capas import keras
from capas.keras import layers
from capas.keras.testing import run_layer_test


def _images(shape=(3, 7, 9, 3), scale=255.0, seed=0):
    return (np.random.default_rng(seed).random(shape) * scale).astype("float32")


def _np(t):
    return np.asarray(t.detach().cpu() if hasattr(t, "detach") else t)


# (name, args, kwargs) applied to a keras transformation; `scale` is the images' value range top.
TRANSFORMS = [
    ("RandomBrightness", (0.3,), {}),
    ("RandomBrightness", ((-0.5, 0.1),), {"value_range": (0, 1)}),
    ("RandomGrayscale", (), {"factor": 0.5}),
    ("RandomGrayscale", (), {"factor": 0.5, "data_format": "channels_first"}),
    ("RandomHue", (0.8,), {}),
    ("RandomHue", ((0.2, 0.6),), {"value_range": (0, 1), "data_format": "channels_first"}),
    ("RandomSaturation", (0.5,), {}),
    ("RandomSaturation", ((0.3, 0.9),), {"value_range": (0, 1)}),
    ("RandomSaturation", (0.7,), {"data_format": "channels_first"}),
    ("RandomColorDegeneration", (0.8,), {}),
    ("RandomColorDegeneration", ((0.2, 0.9),), {"value_range": (0, 1), "data_format": "channels_first"}),
    ("RandomSharpness", ((0.0, 1.0),), {}),
    ("RandomSharpness", (0.9,), {"value_range": (0, 1), "data_format": "channels_first"}),
    ("RandomInvert", (0.8,), {}),
    ("RandomInvert", (), {"value_range": (0, 1), "data_format": "channels_first"}),
    ("RandomPosterization", ((2, 7),), {}),
    ("RandomPosterization", (5,), {"value_range": (0, 1)}),
    ("Solarization", (0.3, 0.6), {}),
    ("Solarization", ((0.1, 0.2), (0.2, 0.9)), {"value_range": (0, 1)}),
    ("RandomGaussianBlur", (), {}),
    ("RandomGaussianBlur", ((0.5, 1.0), 5, (0.3, 1.0)), {"value_range": (0, 1), "data_format": "channels_first"}),
    ("RandomErasing", (), {}),
    ("RandomErasing", ((0.6, 1.0), (0.1, 0.5), [10.0, 20.0, 30.0]), {}),
    ("RandomErasing", ((0.6, 1.0), 0.4, 0.5), {"value_range": (0, 1), "data_format": "channels_first"}),
    ("MixUp", (), {}),
    ("MixUp", (0.8,), {"data_format": "channels_first"}),
    ("CutMix", (), {}),
    ("CutMix", ((0.2, 0.9),), {"data_format": "channels_first"}),
    ("RandomPerspective", (), {}),
    ("RandomPerspective", ((0.5, 1.0), 0.4), {"fill_value": 7.0, "data_format": "channels_first"}),
    ("RandomPerspective", ((1.0, 1.0), 0.6), {"interpolation": "nearest"}),
]


@pytest.mark.parametrize("name,args", [("MixUp", (0.5,)), ("CutMix", ())])
def test_mixing_layers_mix_labels_as_keras(ref, name, args):
    x = torch.tensor(_images((5, 6, 7, 3)))
    labels = torch.nn.functional.one_hot(torch.tensor([0, 1, 2, 1, 0]), 3).float()
    theirs, ours = getattr(ref.layers, name)(*args, seed=3), getattr(layers, name)(*args, seed=3)
    transformation = theirs.get_random_transformation(x, training=True)
    np.testing.assert_allclose(
        ours.transform_labels(labels, transformation).numpy(),
        _np(theirs.transform_labels(labels.clone(), transformation)),
        atol=1e-6,
    )
    out = ours({"images": x, "labels": labels})
    assert set(out) == {"images", "labels"} and out["images"].shape == x.shape
    np.testing.assert_allclose(out["labels"].sum(-1).numpy(), 1.0, atol=1e-5)
    again = getattr(layers, name)(*args, seed=3)({"images": x, "labels": labels})
    np.testing.assert_array_equal(again["labels"].numpy(), out["labels"].numpy())
    np.testing.assert_array_equal(again["images"].numpy(), out["images"].numpy())
    at_inference = ours({"images": x, "labels": labels}, training=False)
    np.testing.assert_array_equal(at_inference["images"].numpy(), x.numpy())
    np.testing.assert_array_equal(at_inference["labels"].numpy(), labels.numpy())
    with pytest.raises(ValueError, match=rf"{name} 'mix'.*'images'"):
        getattr(layers, name)(name="mix")({"labels": labels})


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"scale": (0.5, 0.8), "fill_mode": "constant", "fill_value": 9.0, "data_format": "channels_first"},
        {"factor": (0.5, 1.0), "interpolation": "nearest", "fill_mode": "wrap", "value_range": (0, 1)},
        {"fill_mode": "mirror"},
    ],
)
def test_random_elastic_transform_matches_keras(ref, kwargs):
    # Keras draws the displacement field inside transform_images from torch's global generator:
    # seed it, draw the same two normal fields for ours, and compare the whole kernel.
    x = torch.tensor(_images(_shape(kwargs, n=3), _range_top(kwargs)))
    theirs = ref.layers.RandomElasticTransform(seed=5, **kwargs)
    ours = layers.RandomElasticTransform(**kwargs)
    transformation = theirs.get_random_transformation(x, training=True)
    height, width = (x.shape[2], x.shape[3]) if kwargs.get("data_format") == "channels_first" else x.shape[1:3]
    torch.manual_seed(11)
    noise = torch.stack([torch.normal(0.0, 1.0, size=(3, height, width)) for _ in range(2)])
    torch.manual_seed(11)
    expected = _np(theirs.transform_images(x.clone(), transformation))
    mine = dict(transformation, noise=noise)
    out = ours.transform_images(x, mine).numpy()
    np.testing.assert_allclose(out, expected, atol=2e-3, rtol=1e-4)


@pytest.mark.parametrize("kwargs", [{}, {"num_ops": 4, "factor": (0.2, 0.7), "value_range": (0, 1)}])
def test_rand_augment_applies_keras_transformations(ref, kwargs):
    x = torch.tensor(_images((3, 8, 9, 3), _range_top(kwargs)))
    theirs, ours = ref.layers.RandAugment(seed=2, **kwargs), layers.RandAugment(**kwargs)
    for _ in range(4):
        transformation = theirs.get_random_transformation(x, training=True)
        # keras's torch RandomBrightness adds its delta to the batch in place, so every RandAugment
        # step brightens; a zero delta keeps that (torch-backend-only) side effect out of the comparison.
        delta = transformation["transforms"]["random_brightness"]["rgb_delta"]
        transformation["transforms"]["random_brightness"]["rgb_delta"] = torch.zeros_like(delta)
        expected = _np(theirs.transform_images(x.clone(), transformation))
        np.testing.assert_allclose(ours.transform_images(x, transformation).numpy(), expected, atol=5e-3, rtol=1e-4)


@pytest.mark.parametrize("kwargs", [{}, {"all_ops": False, "num_chains": 2, "chain_depth": 4, "value_range": (0, 1)}])
def test_aug_mix_applies_keras_transformations(ref, kwargs):
    import random

    random.seed(3)  # keras picks the chains' operations with Python's random module
    x = torch.tensor(_images((3, 8, 9, 3), _range_top(kwargs)))
    theirs, ours = ref.layers.AugMix(seed=2, **kwargs), layers.AugMix(**kwargs)
    for _ in range(4):
        transformation = theirs.get_random_transformation(x, training=True)
        expected = _np(theirs.transform_images(x.clone(), transformation))
        np.testing.assert_allclose(ours.transform_images(x, transformation).numpy(), expected, atol=5e-3, rtol=1e-4)


def test_cut_mix_pastes_boxes_from_the_batch():
    x = torch.tensor(_images((6, 9, 9, 3)))
    out = layers.CutMix(seed=4)(x).numpy()
    for i in range(6):
        changed = ~np.isclose(out[i], x[i].numpy()).all(-1)
        if changed.any():
            rows, cols = np.nonzero(changed)
            assert changed[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1].mean() > 0.5
            assert any(np.allclose(out[i][changed], x[j].numpy()[changed]) for j in range(6) if j != i)
    np.testing.assert_array_equal(layers.CutMix(seed=4)(x[0]).numpy(), x[0].numpy())


def _range_top(kwargs):
    return kwargs.get("value_range", (0, 255))[1]


def _shape(kwargs, n=4):
    return (n, 3, 7, 9) if kwargs.get("data_format") == "channels_first" else (n, 7, 9, 3)


@pytest.mark.parametrize("name,args,kwargs", TRANSFORMS, ids=[f"{t[0]}{i}" for i, t in enumerate(TRANSFORMS)])
def test_layers_apply_keras_transformations(ref, name, args, kwargs):
    x = torch.tensor(_images(_shape(kwargs), _range_top(kwargs)))
    theirs, ours = getattr(ref.layers, name)(*args, seed=7, **kwargs), getattr(layers, name)(*args, **kwargs)
    for _ in range(3):  # several draws: every branch (invert or not, flip sign, ...) shows up
        transformation = theirs.get_random_transformation(x, training=True)
        expected = _np(theirs.transform_images(x.clone(), transformation))  # keras may add in place
        np.testing.assert_allclose(ours.transform_images(x, transformation).numpy(), expected, atol=2e-3, rtol=1e-5)


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
def test_random_shear_applies_keras_transformations(ref, fill_mode, interpolation):
    x = torch.tensor(_images())
    kw = {"fill_mode": fill_mode, "interpolation": interpolation, "fill_value": 2.0}
    theirs, ours = ref.layers.RandomShear(0.3, 0.2, seed=1234, **kw), layers.RandomShear(0.3, 0.2, **kw)
    transformation = theirs.get_random_transformation(x, training=True)
    out = ours.transform_images(x, transformation)
    np.testing.assert_allclose(out.numpy(), _np(theirs.transform_images(x, transformation)), atol=1e-3)
    assert not np.allclose(out.numpy(), x.numpy())


@pytest.mark.parametrize(
    "size,shape",
    [((4, 5), (2, 8, 10, 3)), ((8, 5), (2, 8, 10, 3)), ((4, 5), (2, 3, 10, 3)), ((12, 12), (2, 8, 10, 3))],
)
def test_random_crop_matches_keras(ref, size, shape):
    x = torch.tensor(_images(shape))
    theirs, ours = ref.layers.RandomCrop(*size, seed=3), layers.RandomCrop(*size)
    transformation = theirs.get_random_transformation(x, training=True)
    out = ours.transform_images(x, transformation)
    np.testing.assert_allclose(out.numpy(), _np(theirs.transform_images(x, transformation)), atol=1e-3)
    # Deterministic branches (not larger than the target): whole calls agree, and inference is the identity.
    if not (shape[1] > size[0] and shape[2] > size[1]):
        np.testing.assert_allclose(ours(x).numpy(), _np(theirs(x)), atol=1e-3)
    np.testing.assert_array_equal(ours(x, training=False).numpy(), _np(theirs(x, training=False)))


def test_random_crop_channels_first_and_unbatched(ref):
    x = torch.tensor(_images((2, 3, 8, 10)))
    ours = layers.RandomCrop(4, 5, data_format="channels_first", seed=2)
    theirs = ref.layers.RandomCrop(4, 5, data_format="channels_first", seed=2)
    transformation = theirs.get_random_transformation(x, training=True)
    np.testing.assert_allclose(
        ours.transform_images(x, transformation).numpy(), _np(theirs.transform_images(x, transformation))
    )
    window = ours(x[0]).numpy()
    assert window.shape == (3, 4, 5)
    img = x[0].numpy()
    assert any(np.array_equal(window, img[:, i : i + 4, j : j + 5]) for i in range(5) for j in range(6))


# Seeded layers draw Keras's numbers (capas's keras.random reproduces Keras's torch backend, and
# each layer draws in Keras's order): whole calls agree, call after call, training or not.
SEEDED = [
    ("RandomCrop", (4, 5), {}),
    ("RandomBrightness", (0.4,), {}),
    ("RandomGrayscale", (), {"factor": 0.5}),
    ("RandomHue", (0.6,), {"data_format": "channels_first"}),
    ("RandomSaturation", (0.5,), {}),
    ("RandomColorDegeneration", ((0.1, 0.9),), {"value_range": (0, 1)}),
    (
        "RandomColorJitter",
        (),
        {"brightness_factor": 0.2, "contrast_factor": 0.3, "saturation_factor": 0.4, "hue_factor": 0.2},
    ),
    ("RandomSharpness", ((0.0, 1.0),), {}),
    ("RandomShear", (0.3, 0.2), {"fill_mode": "constant"}),
    ("RandomInvert", (0.7,), {}),
    ("RandomPosterization", ((2, 7),), {}),
    ("Solarization", (0.3, 0.6), {}),
    ("RandomGaussianBlur", ((0.5, 1.0), 5, 0.8), {}),
    ("RandomErasing", (), {}),
    ("RandomErasing", ((0.5, 1.0), (0.1, 0.4), 7.0), {"data_format": "channels_first"}),
    ("MixUp", (0.4,), {}),
    ("CutMix", (), {}),
    ("RandomPerspective", ((0.5, 1.0), 0.5), {}),
    # and the earlier layers
    ("RandomFlip", (), {}),
    ("RandomRotation", (0.2,), {"fill_mode": "constant"}),
    ("RandomZoom", (0.3, 0.2), {}),
    ("RandomTranslation", (0.2, 0.1), {"data_format": "channels_first"}),
    ("RandomContrast", (0.5,), {}),
]


@pytest.mark.parametrize("name,args,kwargs", SEEDED, ids=[f"{t[0]}{i}" for i, t in enumerate(SEEDED)])
def test_seeded_layers_draw_keras_numbers(ref, name, args, kwargs):
    x = _images(_shape(kwargs, n=4), _range_top(kwargs), seed=1)
    ours, theirs = getattr(layers, name)(*args, seed=42, **kwargs), getattr(ref.layers, name)(*args, seed=42, **kwargs)
    for training in (True, False, True, True):
        np.testing.assert_allclose(
            ours(x, training=training).numpy(), _np(theirs(x.copy(), training=training)), atol=2e-3, rtol=1e-4
        )
    if name != "CutMix":  # an unbatched image draws too (CutMix leaves it as it is)
        np.testing.assert_allclose(ours(x[2]).numpy(), _np(theirs(x[2].copy())), atol=2e-3, rtol=1e-4)
    np.testing.assert_allclose(ours(x).numpy(), _np(theirs(x.copy())), atol=2e-3, rtol=1e-4)


def test_seeded_rand_augment_picks_as_keras(ref):
    # factor 0: brightness adds nothing (keras's torch backend adds it in place at every step), while
    # posterization (1 bit), solarization, auto-contrast and equalization still change the images,
    # so the picks and their order show.
    x = _images((3, 8, 9, 3), seed=2)
    ours, theirs = (
        layers.RandAugment(num_ops=3, factor=0.0, seed=8),
        ref.layers.RandAugment(num_ops=3, factor=0.0, seed=8),
    )
    for _ in range(4):
        np.testing.assert_allclose(ours(x).numpy(), _np(theirs(x.copy())), atol=2e-3, rtol=1e-4)


def test_seeded_mix_up_mixes_labels_as_keras(ref):
    x = _images((5, 6, 7, 3))
    labels = np.eye(3, dtype="float32")[[0, 1, 2, 1, 0]]
    ours, theirs = layers.MixUp(0.5, seed=9), ref.layers.MixUp(0.5, seed=9)
    for _ in range(2):
        got = ours({"images": x, "labels": labels})
        expected = theirs({"images": torch.tensor(x), "labels": torch.tensor(labels)})
        np.testing.assert_allclose(got["images"].numpy(), _np(expected["images"]), atol=1e-3)
        np.testing.assert_allclose(got["labels"].numpy(), _np(expected["labels"]), atol=1e-6)


# Settings whose draws are pinned: whole calls equal keras's, batched and unbatched.
DETERMINISTIC = [
    ("AutoContrast", (), {}, True),
    ("AutoContrast", (), {"value_range": (0, 1)}, True),
    ("Equalization", (), {}, False),
    ("Equalization", (), {"bins": 16}, False),
    ("Equalization", (), {"value_range": (0, 1), "data_format": "channels_first"}, False),
    ("RandomGrayscale", (), {"factor": 1.0}, False),
    ("RandomInvert", ((1.0, 1.0),), {}, False),
    ("RandomPosterization", ((3, 3),), {}, False),
    ("RandomPosterization", ((1, 1),), {"value_range": (0, 1)}, False),
    ("Solarization", (), {}, False),
    ("Solarization", (), {"value_range": (0, 1)}, False),
    ("RandomBrightness", ((0.1, 0.1),), {}, False),
    ("RandomSaturation", ((0.0, 0.0),), {}, False),
    ("RandomSaturation", ((0.6, 0.6),), {"value_range": (0, 1)}, False),
    ("RandomColorDegeneration", ((0.7, 0.7),), {}, False),
    ("RandomSharpness", ((0.9, 0.9),), {}, False),
    ("RandomColorJitter", (), {"brightness_factor": (0.1, 0.1), "saturation_factor": (0.7, 0.7)}, False),
    # CLAHE without clipping and with at most one padded row and column here: keras's torch backend
    # truncates the clip limit to an integer (its one_hot histograms are int64) and pads 'symmetric'
    # as 'replicate'. test_clahe_clip_limit covers clipping where the limit is whole, and
    # tests/goldens/augment checks fractional limits and wider padding against TensorFlow.
    ("ContrastLimitedAdaptiveHistogramEqualization", (), {"tile_grid_size": (2, 3), "clip_limit": 0}, True),
    ("ContrastLimitedAdaptiveHistogramEqualization", (), {"tile_grid_size": (2, 2), "clip_limit": 0}, True),
    (
        "ContrastLimitedAdaptiveHistogramEqualization",
        (),
        {"tile_grid_size": (2, 3), "value_range": (0, 1), "data_format": "channels_first", "clip_limit": 0},
        True,
    ),
]


@pytest.mark.parametrize("kwargs", [{}, {"clip_limit": 8.0, "tile_grid_size": (2, 4)}])
def test_clahe_clip_limit(ref, kwargs):
    # 16 x 16 images: 8 x 8 tiles give a whole limit (4 * 64 / 256 = 1) that keras's int histograms keep.
    x = _images((2, 16, 16, 3))
    x[:, :8, :8] = np.round(x[:, :8, :8] / 64) * 64  # a few crowded bins, so that clipping acts
    tiles = kwargs.get("tile_grid_size", (2, 2))
    kwargs = dict(kwargs, tile_grid_size=tiles)
    ours = layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)
    theirs = ref.layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)
    np.testing.assert_allclose(ours(x).numpy(), _np(theirs(x)), atol=2e-3, rtol=1e-5)


@pytest.mark.parametrize(
    "name,args,kwargs,at_inference", DETERMINISTIC, ids=[f"{d[0]}{i}" for i, d in enumerate(DETERMINISTIC)]
)
def test_deterministic_settings_equal_keras(ref, name, args, kwargs, at_inference):
    x = _images(_shape(kwargs, n=3), _range_top(kwargs))
    x[0, :2] = x[0, 2]  # some repeated values for the histogram layers
    ours, theirs = getattr(layers, name)(*args, **kwargs), getattr(ref.layers, name)(*args, **kwargs)
    out = ours(x)
    np.testing.assert_allclose(out.numpy(), _np(theirs(x)), atol=2e-3, rtol=1e-5)
    assert not np.allclose(out.numpy(), x, atol=1e-3)
    np.testing.assert_allclose(ours(x[1]).numpy(), _np(theirs(x[1])), atol=2e-3, rtol=1e-5)
    inference = ours(x, training=False).numpy()
    np.testing.assert_allclose(inference, _np(theirs(x, training=False)), atol=2e-3, rtol=1e-5)
    assert np.allclose(inference, x) != at_inference


def test_auto_contrast_keeps_constant_channels(ref):
    x = _images((2, 4, 5, 3))
    x[1, ..., 2] = 17.0
    out = layers.AutoContrast()(x).numpy()
    np.testing.assert_array_equal(out[1, ..., 2], 17.0)
    np.testing.assert_allclose(out, _np(ref.layers.AutoContrast()(x)), atol=1e-3)


def test_color_jitter_steps_in_keras_order(ref):
    # Pinned factors: brightness then contrast (identity at factor (0, 0)) then saturation then hue
    # (magnitude pinned, random sign): the outcome is one of two images, keras's order decides which.
    x = _images((2, 5, 6, 3))
    kwargs = {"brightness_factor": (0.2, 0.2), "contrast_factor": (0.0, 0.0), "saturation_factor": (0.8, 0.8)}
    theirs = ref.layers.RandomColorJitter(hue_factor=(0.0, 0.0), **kwargs)
    ours = layers.RandomColorJitter(hue_factor=(0.0, 0.0), **kwargs, seed=3)
    np.testing.assert_allclose(ours(x).numpy(), _np(theirs(x)), atol=2e-3)


RANDOM = [
    ("RandomCrop", (4, 5)),
    ("RandomBrightness", (0.3,)),
    ("RandomGrayscale", (0.5,)),
    ("RandomHue", (0.5,)),
    ("RandomSaturation", (0.5,)),
    ("RandomColorDegeneration", (0.5,)),
    ("RandomColorJitter", ((0, 255), 0.2, 0.3, 0.4, 0.2)),
    ("RandomSharpness", ((0.0, 1.0),)),
    ("RandomShear", (0.3, 0.3)),
    ("RandomInvert", (0.9,)),
    ("RandomPosterization", ((2, 6),)),
    ("Solarization", (0.2, 0.8)),
    ("RandomGaussianBlur", (1.0, 5)),
    ("RandomErasing", ()),
    ("MixUp", ()),
    ("CutMix", ()),
    ("RandomPerspective", ((1.0, 1.0), 0.5)),
    ("RandomElasticTransform", ((1.0, 1.0),)),
    ("RandAugment", ((0, 255), 3)),
    ("AugMix", ()),
]


@pytest.mark.parametrize("name,args", RANDOM, ids=[r[0] for r in RANDOM])
def test_random_layers_seeded_ranges_and_inference_identity(name, args):
    x = torch.tensor(_images((8, 8, 8, 3)))
    a, b = getattr(layers, name)(*args, seed=5), getattr(layers, name)(*args, seed=5)
    np.testing.assert_array_equal(a(x, training=False).numpy(), x.numpy())
    b(x, training=False)  # some layers draw at inference too (as Keras's do): keep b in step
    out = a(x)
    np.testing.assert_array_equal(out.numpy(), b(x, training=True).numpy())
    assert out.dtype == torch.float32
    assert out.shape == ((8, 4, 5, 3) if name == "RandomCrop" else x.shape)
    assert not np.allclose(out.numpy(), x.numpy()[:, : out.shape[1], : out.shape[2]])
    if name != "RandomShear":  # shear interpolates; the colour layers keep the value range
        assert out.min() >= 0.0 and out.max() <= 255.0 + 1e-3
    assert not np.array_equal(a(x).numpy(), out.numpy())  # the generator moves on
    single = a(x[0])
    assert single.shape == out.shape[1:]
    uint8 = a(x.to(torch.uint8))
    assert uint8.dtype == torch.float32 and uint8.shape == out.shape


ALL = [
    ("RandomCrop", {"height": 3, "width": 4, "seed": 1}),
    ("RandomBrightness", {"factor": (-0.2, 0.3), "value_range": (0, 1), "seed": 2}),
    ("RandomGrayscale", {"factor": 0.3, "data_format": "channels_first", "seed": 3}),
    ("RandomHue", {"factor": 0.4, "value_range": (0, 1), "seed": 5}),
    ("RandomSaturation", {"factor": 0.4, "seed": 6}),
    ("RandomColorDegeneration", {"factor": (0.1, 0.3), "seed": 7}),
    ("RandomColorJitter", {"brightness_factor": 0.1, "hue_factor": (0.1, 0.2), "seed": 4}),
    ("RandomSharpness", {"factor": 0.2, "value_range": (0, 1), "seed": 8}),
    ("RandomShear", {"x_factor": 0.1, "y_factor": (0.1, 0.3), "fill_mode": "constant", "fill_value": 1.0, "seed": 9}),
    ("RandomInvert", {"factor": (0.2, 0.8), "value_range": (0, 1), "seed": 10}),
    ("RandomPosterization", {"factor": (3, 6), "seed": 11}),
    ("Solarization", {"addition_factor": 0.1, "threshold_factor": (0.2, 0.4), "seed": 12}),
    ("AutoContrast", {"value_range": (0, 1)}),
    ("Equalization", {"bins": 32}),
    ("RandomGaussianBlur", {"factor": (0.2, 0.5), "kernel_size": 5, "sigma": 0.5, "seed": 13}),
    ("RandomErasing", {"factor": 0.5, "scale": (0.1, 0.2), "fill_value": 3.0, "seed": 14}),
    ("MixUp", {"alpha": 0.4, "seed": 15}),
    ("CutMix", {"factor": 0.6, "seed": 16}),
    ("RandomPerspective", {"factor": 0.6, "scale": 0.4, "interpolation": "nearest", "fill_value": 1.0, "seed": 17}),
    ("RandomElasticTransform", {"factor": 0.7, "scale": (0.2, 0.5), "fill_mode": "wrap", "seed": 18}),
    ("RandAugment", {"value_range": (0, 1), "num_ops": 3, "factor": 0.4, "seed": 19}),
    ("AugMix", {"num_chains": 2, "chain_depth": 2, "factor": 0.5, "alpha": 0.5, "all_ops": False, "seed": 20}),
    ("ContrastLimitedAdaptiveHistogramEqualization", {"clip_limit": 3.0, "tile_grid_size": (2, 3)}),
]


@pytest.mark.parametrize("name,kwargs", ALL, ids=[a[0] for a in ALL])
def test_config_round_trip_and_keras_keys(ref, name, kwargs):
    layer = getattr(layers, name)(**kwargs)
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    theirs = getattr(ref.layers, name)(**kwargs).get_config()
    extra = {"seed"} if name == "RandomGrayscale" else set()  # keras forgets RandomGrayscale's seed
    assert set(config) == set(theirs) | extra, set(config) ^ set(theirs)
    for key, value in theirs.items():
        if key not in ("name", "dtype", "trainable"):
            assert _plain(config[key]) == _plain(value), key


def _plain(v):
    return [_plain(x) for x in v] if isinstance(v, (tuple, list)) else v


@pytest.mark.parametrize("name,kwargs", ALL, ids=[a[0] for a in ALL])
def test_layer_contract(name, kwargs):
    shape = (2, 3, 6, 7) if kwargs.get("data_format") == "channels_first" else (2, 6, 7, 3)
    out_shape = (2, 3, 4, 3) if name == "RandomCrop" else shape
    run_layer_test(
        getattr(layers, name),
        kwargs,
        input_shape=shape,
        expected_output_shape=out_shape,
        expected_num_trainable_weights=0,
        run_training_check=False,
    )


def test_inside_tf_data_map():
    images = _images((6, 8, 8, 3))
    labels = np.arange(6)
    augment = keras.Sequential(
        [layers.RandomCrop(6, 6, seed=1), layers.RandomBrightness(0.2, seed=2), layers.RandomHue(0.2, seed=3)]
    )
    ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(3)
    ds = ds.map(lambda x, y: (augment(x, training=True), y))
    batches = list(ds)
    assert [tuple(b[0].shape) for b in batches] == [(3, 6, 6, 3), (3, 6, 6, 3)]
    assert all(float(tf.reduce_min(b[0])) >= 0.0 and float(tf.reduce_max(b[0])) <= 255.0 for b in batches)
    single = tf.data.Dataset.from_tensor_slices(images).map(lambda x: layers.Solarization()(x))
    first = next(iter(single))
    np.testing.assert_allclose(first.numpy(), 255.0 - images[0], atol=1e-4)


def test_inside_a_model_trains_and_predicts():
    inputs = keras.Input((8, 8, 3))
    x = layers.Rescaling(1 / 255.0)(inputs)
    x = layers.RandomGrayscale(0.5, seed=1)(x)
    x = layers.RandomSaturation(0.3, value_range=(0, 1), seed=2)(x)
    x = layers.RandomSharpness(0.4, value_range=(0, 1), seed=3)(x)
    x = layers.RandomShear(0.2, seed=4)(x)
    x = layers.AutoContrast(value_range=(0, 1))(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(2)(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    images, labels = _images((8, 8, 8, 3)), np.arange(8) % 2
    history = model.fit(images, labels, epochs=2, batch_size=4, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    # predict runs in inference mode: only AutoContrast acts, so it equals the model without the random layers.
    plain = layers.Dense(2)
    plain.build((None, 3))
    plain.set_weights(model.layers[-1].get_weights())
    expected = plain(layers.GlobalAveragePooling2D()(layers.AutoContrast(value_range=(0, 1))(images / 255.0)))
    np.testing.assert_allclose(model.predict(images, verbose=0), expected.numpy(), atol=1e-5)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"RandomBrightness 'bright'.*factor.*\[-1.*1.5"):
        layers.RandomBrightness(1.5, name="bright")
    with pytest.raises(ValueError, match=r"RandomGrayscale 'gray'.*probability.*2"):
        layers.RandomGrayscale(2, name="gray")
    with pytest.raises(ValueError, match=r"RandomSaturation 'sat'.*value_range.*pair.*5"):
        layers.RandomSaturation(0.1, value_range=5, name="sat")
    with pytest.raises(ValueError, match=r"RandomPosterization 'post'.*\[1, 8\].*9"):
        layers.RandomPosterization(9, name="post")
    with pytest.raises(ValueError, match=r"Solarization 'sol'.*threshold_factor.*1.5"):
        layers.Solarization(threshold_factor=1.5, name="sol")
    with pytest.raises(ValueError, match=r"RandomShear 'shear'.*y_factor"):
        layers.RandomShear(0.1, y_factor=(-0.1, 2.0), name="shear")
    with pytest.raises(ValueError, match=r"RandomGrayscale 'g2'.*RGB.*\(1, 4, 4, 2\)"):
        layers.RandomGrayscale(1.0, name="g2")(torch.zeros(1, 4, 4, 2))
    with pytest.raises(ValueError, match=r"Equalization 'eq'.*bins"):
        layers.Equalization(bins=0, name="eq")
