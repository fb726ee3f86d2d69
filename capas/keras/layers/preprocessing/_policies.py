"""The operations that RandAugment and AugMix pick from: Keras's sub-layers, built from one factor."""

import torch

from capas.keras.layers.preprocessing._augment import uniform

from capas.keras.layers.preprocessing.auto_contrast import AutoContrast
from capas.keras.layers.preprocessing.equalization import Equalization
from capas.keras.layers.preprocessing.random_brightness import RandomBrightness
from capas.keras.layers.preprocessing.random_color_degeneration import RandomColorDegeneration
from capas.keras.layers.preprocessing.random_contrast import RandomContrast
from capas.keras.layers.preprocessing.random_posterization import RandomPosterization
from capas.keras.layers.preprocessing.random_rotation import RandomRotation
from capas.keras.layers.preprocessing.random_sharpness import RandomSharpness
from capas.keras.layers.preprocessing.random_shear import RandomShear
from capas.keras.layers.preprocessing.random_translation import RandomTranslation
from capas.keras.layers.preprocessing.solarization import Solarization


def build_operations(owner, names, factor, value_range, interpolation, seed, data_format):
    """`{name: layer}` for `names`, each configured from the `(lower, upper)` factor as Keras does."""
    common = {"seed": seed, "data_format": data_format}
    colour = {"value_range": value_range, **common}
    makers = {
        "random_shear": lambda: RandomShear(x_factor=factor, y_factor=factor, interpolation=interpolation, **common),
        "random_translation": lambda: RandomTranslation(factor, factor, interpolation=interpolation, **common),
        "random_rotation": lambda: RandomRotation(factor, interpolation=interpolation, **common),
        "random_brightness": lambda: RandomBrightness(factor, **colour),
        "random_color_degeneration": lambda: RandomColorDegeneration(factor, **colour),
        "random_contrast": lambda: RandomContrast(factor, **colour),
        "random_sharpness": lambda: RandomSharpness(factor, **colour),
        "random_posterization": lambda: RandomPosterization(max(1, int(8 * factor[1])), **colour),
        "solarization": lambda: Solarization(factor, factor, value_range=value_range, seed=seed),
        "auto_contrast": lambda: AutoContrast(value_range=value_range, data_format=data_format),
        "equalization": lambda: Equalization(value_range=value_range, data_format=data_format),
    }
    operations = {}
    for name in names:
        layer = makers[name]()
        operations[name] = layer
    owner._set_untracked(_operations=operations)
    return operations


def draw(layer, data, seed):
    """The transformation `layer` draws for `data` from the seed generator `seed`, as Keras draws it.

    capas's RandomRotation, RandomTranslation and RandomContrast keep torch generators of their own;
    inside RandAugment, AugMix and RandomColorJitter their draws come from the owner's generator.
    """
    n = data.shape[0] if data.dim() == 4 else 1
    name = type(layer).__name__
    if name == "RandomRotation":
        return {"angle": uniform(layer, (n,), layer.factor[0] * 360.0, layer.factor[1] * 360.0, data.device, seed)}
    if name == "RandomTranslation":
        height, width = layer._hw(data)
        dy = uniform(layer, (n, 1), layer.height_lower, layer.height_upper, data.device, seed) * height
        dx = uniform(layer, (n, 1), layer.width_lower, layer.width_upper, data.device, seed) * width
        return {"translations": torch.cat([dx, dy], dim=1)}
    if name == "RandomContrast":
        shape = (n, 1, 1, 1)
        return {
            "contrast_factor": uniform(layer, shape, 1.0 - layer.factor[0], 1.0 + layer.factor[1], data.device, seed)
        }
    return layer.get_random_transformation(data, training=True, seed=seed)


def apply(layer, images, transformation):
    """One operation's `transform_images` in training mode (inference-identity layers included)."""
    return layer.transform_images(images, transformation, training=True)
