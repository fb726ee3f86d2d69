"""tf.io / tf.image codecs and bytes ops against TF 2.21 (recorded in tests/goldens/tfcodecs)."""

import json
import pathlib

import numpy as np
import pytest

import capas as tf
from tests.goldens._load import load_cases

pytest.importorskip("PIL", reason="the image codecs need the optional Pillow package")

GOLDENS = pathlib.Path(__file__).parent / "goldens" / "tfcodecs"
cases = load_cases(GOLDENS)
EXPECTED = json.loads((GOLDENS / "goldens.json").read_text())

# Pillow's libjpeg (accurate integer DCT) and TF's libjpeg-turbo with its default fast integer DCT
# ("INTEGER_FAST") differ by a few levels per pixel, most on 4:2:0 chroma: at most 8, 2.3 on average
# here. TF documents the DCT method as trading accuracy for speed and names no bound.
JPEG_ATOL = 8
JPEG_MEAN = 3.0

_GOT = {}


def _got(group):
    if group not in _GOT:
        if group in cases.CASES:
            _GOT[group] = cases.CASES[group](tf)
        else:
            _GOT[group] = cases.DEPENDENT[group](tf, EXPECTED)
    return _GOT[group]


EXACT = [
    (g, k)
    for g in ("png", "jpeg", "gif_bmp", "byte_ops", "decoded_png")
    for k in sorted(EXPECTED[g])
    if not k.startswith("bytes_")
]


@pytest.mark.parametrize(("group", "key"), EXACT, ids=[f"{g}-{k}" for g, k in EXACT])
def test_codec_as_tf(group, key):
    got, want = _got(group)[key], EXPECTED[group][key]
    if key.endswith("_image_float"):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    else:
        assert got == want


@pytest.mark.parametrize("key", sorted(EXPECTED["decoded_jpeg"]))
def test_jpeg_decode_within_decoder_tolerance(key):
    got, want = _got("decoded_jpeg")[key], EXPECTED["decoded_jpeg"][key]
    if isinstance(want[0], str):  # [dtype, pixels]
        assert got[0] == want[0]
        got, want = got[1], want[1]
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape
    difference = np.abs(got.astype(int) - want.astype(int))
    assert difference.max() <= JPEG_ATOL and difference.mean() <= JPEG_MEAN


def test_png_round_trip_bit_exact_uint8_and_uint16():
    rgb, gray, rgba, gray16 = cases.images()
    for image in (rgb, gray, rgba):
        assert tf.io.decode_png(tf.io.encode_png(tf.constant(image))).numpy().tolist() == image.tolist()
    decoded = tf.io.decode_png(tf.io.encode_png(tf.constant(gray16)), dtype=tf.uint16)
    assert decoded.dtype == tf.uint16
    assert decoded.to(tf.int32).numpy().tolist() == gray16.astype(int).tolist()


def test_image_namespace_has_the_codecs():
    assert tf.image.decode_png is tf.io.decode_png and tf.image.encode_jpeg is tf.io.encode_jpeg


def test_encode_png_rejects_float_with_the_fix():
    with pytest.raises(TypeError, match="convert_image_dtype"):
        tf.io.encode_png(tf.zeros([2, 2, 3]))


def test_decode_raw_unequal_lengths_says_fixed_length():
    with pytest.raises(tf.errors.InvalidArgumentError, match="fixed_length"):
        tf.io.decode_raw(tf.constant([b"ab", b"c"]), tf.uint8)


def test_decode_image_unknown_format():
    with pytest.raises(tf.errors.InvalidArgumentError, match="unknown image format"):
        tf.io.decode_image(b"not an image")
