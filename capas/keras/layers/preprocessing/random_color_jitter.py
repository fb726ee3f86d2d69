"""`RandomColorJitter`: random brightness, contrast, saturation and hue in one layer (training only)."""

from capas.keras.layers.preprocessing import _policies
from capas.keras.layers.preprocessing._augment import _AugmentLayer, seed_generator
from capas.keras.layers.preprocessing.random_brightness import RandomBrightness
from capas.keras.layers.preprocessing.random_contrast import RandomContrast
from capas.keras.layers.preprocessing.random_hue import RandomHue
from capas.keras.layers.preprocessing.random_saturation import RandomSaturation
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomColorJitter(_AugmentLayer):
    """A preprocessing layer which randomly adjusts brightness, contrast, saturation and hue during training.

    Applies, in this order and each only when its factor is given,
    `RandomBrightness(brightness_factor)`, `RandomContrast(contrast_factor)`,
    `RandomSaturation(saturation_factor)` and `RandomHue(hue_factor)`, all
    with this layer's `value_range` and `seed`. Identity at inference.

    Args:
        value_range: the `(min, max)` range of the images (default (0, 255)).
        brightness_factor: the `factor` of RandomBrightness, or None.
        contrast_factor: the `factor` of RandomContrast, or None.
        saturation_factor: the `factor` of RandomSaturation, or None.
        hue_factor: the `factor` of RandomHue, or None.
        seed: seed of the random draws.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> jitter = layers.RandomColorJitter(brightness_factor=0.2, hue_factor=0.1, seed=1)
    >>> jitter(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(
        self,
        value_range=(0, 255),
        brightness_factor=None,
        contrast_factor=None,
        saturation_factor=None,
        hue_factor=None,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        self.seed = seed
        steps = []
        common = {"value_range": value_range, "seed": seed}
        if brightness_factor is not None:
            steps.append(RandomBrightness(brightness_factor, name=f"{self.name}_brightness", **common))
        if contrast_factor is not None:
            steps.append(
                RandomContrast(contrast_factor, data_format=data_format, name=f"{self.name}_contrast", **common)
            )
        if saturation_factor is not None:
            steps.append(
                RandomSaturation(saturation_factor, data_format=data_format, name=f"{self.name}_saturation", **common)
            )
        if hue_factor is not None:
            steps.append(RandomHue(hue_factor, data_format=data_format, name=f"{self.name}_hue", **common))
        self._set_untracked(_steps=steps)

    def _transform(self, images, transformation):
        # As Keras: each step draws, from this layer's generator, on the images as they arrive.
        gen = seed_generator(self)
        for step in self._steps:
            images = step.transform_images(images, _policies.draw(step, images, gen))
        return images

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "value_range": self.value_range,
                "brightness_factor": self.brightness_factor,
                "contrast_factor": self.contrast_factor,
                "saturation_factor": self.saturation_factor,
                "hue_factor": self.hue_factor,
                "seed": self.seed,
            }
        )
        return config
