"""Keras 3 augmentation layers run unchanged by TensorFlow 2.21's tf.keras (record.py) and capas
(tests/keras/layers/preprocessing/test_augmentation_goldens.py).

Only deterministic results are recorded: layers whose result is fixed (AutoContrast, Equalization,
RandomCrop's centred branch), settings that pin the random draw (RandomInvert((1, 1)), ...), and
`transform_images` applied to a given transformation (the colour and geometry kernels).
"""

import numpy as np


def _images(shape=(2, 6, 7, 3), top=255.0, seed=3):
    x = (np.random.default_rng(seed).random(shape) * top).astype("float32")
    x[0, :2] = x[0, 2]  # repeated values, for the histogram layers
    return x


def _v(t):
    return np.asarray(t).astype("float64").round(4).tolist()


def _out(t):
    a = np.asarray(t)
    return {"shape": list(a.shape), "values": _v(a)}


def calls(tf):
    """`layer(x)` (training) and `layer(x, training=False)` of deterministic settings."""
    L = tf.keras.layers
    x, x1 = _images(), _images(top=1.0)
    xcf = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    layers = {
        "auto_contrast": (L.AutoContrast(), x),
        "auto_contrast_01": (L.AutoContrast(value_range=(0, 1)), x1),
        "equalization": (L.Equalization(), x),
        "equalization_bins": (L.Equalization(bins=16), x),
        "equalization_01": (L.Equalization(value_range=(0, 1)), x1),
        "grayscale": (L.RandomGrayscale(factor=1.0), x),
        "grayscale_cf": (L.RandomGrayscale(factor=1.0, data_format="channels_first"), xcf),
        "invert": (L.RandomInvert(factor=(1.0, 1.0)), x),
        "invert_01": (L.RandomInvert(factor=(1.0, 1.0), value_range=(0, 1)), x1),
        "posterization": (L.RandomPosterization(factor=(3, 3)), x),
        "posterization_01": (L.RandomPosterization(factor=(5, 5), value_range=(0, 1)), x1),
        "solarization": (L.Solarization(), x),
        "solarization_01": (L.Solarization(value_range=(0, 1)), x1),
        "brightness": (L.RandomBrightness((0.1, 0.1)), x),
        "brightness_01": (L.RandomBrightness((-0.3, -0.3), value_range=(0, 1)), x1),
        "saturation_zero": (L.RandomSaturation((0.0, 0.0)), x),
        "saturation": (L.RandomSaturation((0.6, 0.6), value_range=(0, 1)), x1),
        "degeneration": (L.RandomColorDegeneration((0.7, 0.7)), x),
        "sharpness": (L.RandomSharpness((0.9, 0.9)), x),
        "sharpness_smooth": (L.RandomSharpness((0.0, 0.0), value_range=(0, 1)), x1),
        "clahe": (L.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 3)), x),
        "clahe_clip": (L.ContrastLimitedAdaptiveHistogramEqualization(clip_limit=20.0, tile_grid_size=(3, 2)), x),
        "clahe_padded": (L.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(4, 4)), x),
        "clahe_01": (L.ContrastLimitedAdaptiveHistogramEqualization(value_range=(0, 1), tile_grid_size=(2, 2)), x1),
        "crop_centred": (L.RandomCrop(6, 3), x),
        "crop_resized": (L.RandomCrop(8, 5), x),
    }
    out = {}
    for name, (layer, images) in layers.items():
        out[name] = _out(layer(images))
        out[name + "_inference"] = _out(layer(images, training=False))
        out[name + "_unbatched"] = _out(layer(images[1]))
    return out


def transforms(tf):
    """`transform_images` of given transformations: the colour and geometry kernels themselves."""
    L = tf.keras.layers
    x, x1 = _images(), _images(top=1.0)
    c = tf.constant
    cases = {
        "hue": (L.RandomHue(0.5), x, {"factor": c([0.1, -0.2])}),
        "hue_01": (L.RandomHue(0.5, value_range=(0, 1)), x1, {"factor": c([0.45, -0.05])}),
        "saturation": (L.RandomSaturation(0.5), x, {"factor": c([0.3, 2.5])}),
        "brightness": (L.RandomBrightness(0.5), x, {"rgb_delta": c([[[[30.0]]], [[[-70.0]]]])}),
        "degeneration": (L.RandomColorDegeneration(0.5), x, {"factor": c([[[[0.3]]], [[[-0.4]]]])}),
        "sharpness": (L.RandomSharpness(0.5), x, {"factor": c([0.1, 0.8])}),
        "solarization": (
            L.Solarization(),
            x,
            {"additions": c([[[[10.0]]], [[[0.0]]]]), "thresholds": c([[[[100.0]]], [[[200.0]]]])},
        ),
        "posterization": (L.RandomPosterization(4), x, {"shift_factor": c(np.array([2, 6], dtype="uint8"))}),
        "invert": (L.RandomInvert(), x, {"apply_inversion": c([True, False])}),
        "grayscale": (L.RandomGrayscale(), x, c(np.array([False, True]).reshape(2, 1, 1, 1))),
        "blur": (
            L.RandomGaussianBlur(kernel_size=3),
            x,
            {"should_apply_blur": c([True, True]), "blur_factor": c([0.8, 0.5])},
        ),
        "blur_5": (
            L.RandomGaussianBlur(kernel_size=5),
            x,
            {"should_apply_blur": c([False, True]), "blur_factor": c([1.0, 1.0])},
        ),
        "perspective": (
            L.RandomPerspective(fill_value=3.0),
            x,
            {
                "apply_perspective": c([True, True]),
                "start_points": c([[[0.0, 0.0], [6.0, 0.0], [0.0, 5.0], [6.0, 5.0]]] * 2),
                "end_points": c(
                    [
                        [[0.5, 0.2], [5.5, -0.3], [0.3, 4.6], [6.4, 5.2]],
                        [[-0.4, 0.3], [6.2, 0.4], [0.6, 5.3], [5.6, 4.5]],
                    ]
                ),
            },
        ),
        "mixup": (L.MixUp(), x, {"mix_weight": c([0.3, 0.9]), "permutation_order": c(np.array([1, 0]))}),
        "crop": (L.RandomCrop(3, 4), x, (c(2), c(1))),
    }
    for mode in ("reflect", "wrap", "constant", "nearest"):
        cases["shear_" + mode] = (
            L.RandomShear(0.3, fill_mode=mode, fill_value=5.0),
            x,
            {"shear_factor": c([[0.2, -0.1], [-0.3, 0.25]])},
        )
    cases["shear_nearest_interp"] = (
        L.RandomShear(0.3, interpolation="nearest"),
        x,
        {"shear_factor": c([[0.21, -0.13], [-0.3, 0.27]])},
    )
    return {name: _out(layer.transform_images(images, t, training=True)) for name, (layer, images, t) in cases.items()}


def configs(tf):
    """get_config of each layer, without the name and dtype entries."""
    L = tf.keras.layers
    made = {
        "RandomCrop": L.RandomCrop(3, 4, seed=1),
        "RandomBrightness": L.RandomBrightness(0.2, value_range=(0, 1), seed=1),
        "RandomGrayscale": L.RandomGrayscale(0.3),
        "RandomHue": L.RandomHue((0.1, 0.4)),
        "RandomSaturation": L.RandomSaturation(0.4),
        "RandomColorDegeneration": L.RandomColorDegeneration(0.4),
        "RandomColorJitter": L.RandomColorJitter(brightness_factor=0.2, hue_factor=0.1, seed=2),
        "RandomSharpness": L.RandomSharpness(0.4),
        "RandomShear": L.RandomShear(0.2, (0.1, 0.3)),
        "RandomInvert": L.RandomInvert(0.5),
        "RandomPosterization": L.RandomPosterization(4),
        "Solarization": L.Solarization(0.2, (0.3, 0.6)),
        "AutoContrast": L.AutoContrast((0, 1)),
        "Equalization": L.Equalization(bins=64),
        "RandomGaussianBlur": L.RandomGaussianBlur(0.5, 5, 0.7),
        "RandomErasing": L.RandomErasing(0.5, (0.1, 0.2), 2.0),
        "MixUp": L.MixUp(0.3),
        "CutMix": L.CutMix(0.7),
        "RandomPerspective": L.RandomPerspective(0.5, 0.4, "nearest", 2.0),
        "RandomElasticTransform": L.RandomElasticTransform(0.5, (0.2, 0.4), fill_mode="constant"),
        "RandAugment": L.RandAugment(num_ops=3, factor=0.4),
        "AugMix": L.AugMix(num_chains=2, factor=0.2, all_ops=False),
        "ContrastLimitedAdaptiveHistogramEqualization": L.ContrastLimitedAdaptiveHistogramEqualization(
            (0, 1), 2.0, (4, 4)
        ),
    }

    def plain(v):
        return [plain(a) for a in v] if isinstance(v, (list, tuple)) else v

    out = {}
    for name, layer in made.items():
        config = layer.get_config()
        out[name] = {k: plain(v) for k, v in config.items() if k not in ("name", "dtype", "trainable")}
    return out


CASES = {"calls": calls, "transforms": transforms, "configs": configs}
