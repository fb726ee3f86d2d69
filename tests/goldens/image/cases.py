"""tf.image cases run unchanged by TensorFlow (record.py) and capas (tests/test_image_ops.py).

Deterministic ops report values; random ops only shapes, dtypes and ranges (their numbers are the framework's).
"""

import numpy as np


def _images():
    rng = np.random.default_rng(3)
    img = rng.uniform(size=(5, 6, 3)).astype("float32")
    return img, (img * 255).astype("uint8")


def _v(t):
    return np.asarray(t).astype("float64").round(5).tolist()


def _dt(t):
    return str(t.dtype.name if hasattr(t.dtype, "name") else t.dtype).replace("torch.", "")


def deterministic(tf):
    img, img8 = _images()
    x, x8 = tf.constant(img), tf.constant(img8)
    batch = tf.stack([x, x * 0.5])
    out = {
        "flip_left_right": tf.image.flip_left_right(x),
        "flip_up_down": tf.image.flip_up_down(batch),
        "rot90": tf.image.rot90(x),
        "rot90_k3": tf.image.rot90(x, k=3),
        "transpose": tf.image.transpose(x),
        "resize_bilinear": tf.image.resize(x, [3, 4]),
        "resize_up": tf.image.resize(batch, [7, 9]),
        "resize_nearest": tf.image.resize(x8, [3, 8], method="nearest"),
        "resize_uint8": tf.image.resize(x8, [4, 4]),
        "brightness": tf.image.adjust_brightness(x, 0.3),
        "brightness_uint8": tf.image.adjust_brightness(x8, 0.3),
        "contrast": tf.image.adjust_contrast(batch, 1.7),
        "saturation": tf.image.adjust_saturation(x, 0.4),
        "saturation_up": tf.image.adjust_saturation(x, 2.5),
        "gamma": tf.image.adjust_gamma(x, 2.0),
        "hsv": tf.image.rgb_to_hsv(x),
        "hsv_roundtrip": tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(x)),
        "grayscale": tf.image.rgb_to_grayscale(x),
        "grayscale_uint8": tf.image.rgb_to_grayscale(x8),
        "to_float": tf.image.convert_image_dtype(x8, tf.float32),
        "to_uint8": tf.image.convert_image_dtype(x, tf.uint8),
        "to_uint8_saturate": tf.image.convert_image_dtype(x * 1.5, tf.uint8, saturate=True),
        "central_crop": tf.image.central_crop(x, 0.5),
        "central_crop_07": tf.image.central_crop(batch, 0.7),
        "crop_or_pad_small": tf.image.resize_with_crop_or_pad(x, 3, 3),
        "crop_or_pad_big": tf.image.resize_with_crop_or_pad(x, 8, 9),
        "crop_or_pad_mixed": tf.image.resize_with_crop_or_pad(x, 2, 9),
        "crop_to_box": tf.image.crop_to_bounding_box(x, 1, 2, 3, 3),
        "pad_to_box": tf.image.pad_to_bounding_box(x, 1, 2, 7, 9),
        "standardization": tf.image.per_image_standardization(x),
    }
    return {k: {"shape": list(v.shape), "dtype": _dt(v), "values": _v(v)} for k, v in out.items()}


def random(tf):
    img, _ = _images()
    x = tf.constant(img)
    batch = tf.stack([x, x])
    tf.random.set_seed(5)
    out = {
        "random_flip_left_right": tf.image.random_flip_left_right(x, seed=1),
        "random_flip_up_down": tf.image.random_flip_up_down(batch, seed=1),
        "random_brightness": tf.image.random_brightness(x, 0.2, seed=1),
        "random_contrast": tf.image.random_contrast(x, 0.5, 1.5, seed=1),
        "random_saturation": tf.image.random_saturation(x, 0.5, 1.5, seed=1),
        "random_crop": tf.image.random_crop(x, [3, 4, 3], seed=1),
        "stateless_random_flip_left_right": tf.image.stateless_random_flip_left_right(x, seed=(1, 2)),
        "stateless_random_brightness": tf.image.stateless_random_brightness(x, 0.2, seed=(1, 2)),
        "stateless_random_contrast": tf.image.stateless_random_contrast(x, 0.5, 1.5, seed=(1, 2)),
        "stateless_random_saturation": tf.image.stateless_random_saturation(x, 0.5, 1.5, seed=(1, 2)),
        "stateless_random_crop": tf.image.stateless_random_crop(x, [3, 4, 3], seed=(1, 2)),
    }
    res = {k: {"shape": list(v.shape), "dtype": _dt(v)} for k, v in out.items()}
    flip = np.asarray(out["random_flip_left_right"])
    res["flip_is_identity_or_mirror"] = bool(np.array_equal(flip, img) or np.array_equal(flip, img[:, ::-1]))
    delta = np.asarray(out["random_brightness"]) - img
    res["brightness_delta_constant_in_range"] = bool(
        np.allclose(delta, delta.flat[0], atol=1e-6) and abs(delta.flat[0]) <= 0.2
    )
    a = np.asarray(tf.image.stateless_random_brightness(x, 0.2, seed=(1, 2)))
    res["stateless_repeatable"] = bool(np.array_equal(a, np.asarray(out["stateless_random_brightness"])))
    crop = np.asarray(out["stateless_random_crop"])
    res["crop_is_window"] = any(np.array_equal(crop, img[i : i + 3, j : j + 4]) for i in range(3) for j in range(3))
    return res


CASES = {"deterministic": deterministic, "random": random}
