"""The operations that RandAugment and AugMix pick from: Keras's sub-layers, built from one factor."""

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
    """The transformation `layer` draws for `data` from the owner's seed generator `seed` (Keras's order)."""
    return layer.get_random_transformation(data, training=True, seed=seed)


def apply(layer, images, transformation):
    """One operation's `transform_images` in training mode (inference-identity layers included)."""
    return layer.transform_images(images, transformation, training=True)
