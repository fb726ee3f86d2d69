"""load_img / img_to_array / array_to_img / save_img against the `keras` package (same Pillow)."""

import numpy as np
import pytest

from capas import keras as ck
from tests.conftest import keras_reference

pytest.importorskip("PIL")


@pytest.fixture
def png(tmp_path):
    path = str(tmp_path / "img.png")
    pixels = (np.arange(5 * 7 * 3).reshape(5, 7, 3) * 13 % 256).astype("uint8")
    ck.utils.save_img(path, pixels, scale=False)
    return path


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"color_mode": "grayscale"},
        {"color_mode": "rgba"},
        {"target_size": (3, 4)},
        {"target_size": (3, 4), "interpolation": "bilinear"},
        {"target_size": (2, 6), "keep_aspect_ratio": True},
    ],
)
def test_load_img_matches_keras(png, kwargs):
    keras = keras_reference()
    ours = ck.utils.img_to_array(ck.utils.load_img(png, **kwargs))
    theirs = keras.utils.img_to_array(keras.utils.load_img(png, **kwargs))
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("shape", [(4, 3, 1), (4, 3, 3), (4, 3, 4)])
@pytest.mark.parametrize("scale", [True, False])
def test_array_to_img_matches_keras(shape, scale):
    keras = keras_reference()
    x = np.random.RandomState(0).rand(*shape).astype("float32") * (1 if scale else 255)
    ours, theirs = ck.utils.array_to_img(x, scale=scale), keras.utils.array_to_img(x, scale=scale)
    assert ours.mode == theirs.mode
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


def test_channels_first_round_trip(tmp_path):
    x = (np.arange(3 * 2 * 4).reshape(3, 2, 4) * 10).astype("float32")
    path = str(tmp_path / "cf.png")
    ck.utils.save_img(path, x, data_format="channels_first", scale=False)
    back = ck.utils.img_to_array(ck.utils.load_img(path), data_format="channels_first")
    np.testing.assert_array_equal(back, x)


def test_bad_color_mode_names_the_choices(png):
    with pytest.raises(ValueError, match="color_mode='cmyk'"):
        ck.utils.load_img(png, color_mode="cmyk")


def test_array_to_img_rejects_rank_2():
    with pytest.raises(ValueError, match=r"rank 3.*\(4, 4\)"):
        ck.utils.array_to_img(np.zeros((4, 4)))


def test_save_img_as_jpeg_drops_alpha(tmp_path):
    path = str(tmp_path / "a.jpg")
    ck.utils.save_img(path, np.full((2, 2, 4), 200.0), scale=False)
    assert ck.utils.load_img(path).mode == "RGB"
