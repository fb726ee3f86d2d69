"""`RandAugment`: applies `num_ops` operations picked at random from Keras's list (training only)."""

import torch

from capas.keras.layers.preprocessing import _policies
from capas.keras.layers.preprocessing._augment import _AugmentLayer, keras_factor, krandom, seed_generator
from capas.keras.saving.object_registration import register_builtin

_OPERATIONS = [
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
    "random_posterization",
    "solarization",
    "auto_contrast",
    "equalization",
]


@register_builtin("layers")
class RandAugment(_AugmentLayer):
    """RandAugment performs the Rand Augment operation on input images.

    Per batch, `num_ops` operations are picked (with repetition) from shear,
    translation, rotation, brightness, colour degeneration, contrast,
    sharpness, posterization, solarization, auto-contrast and equalization,
    each built from `factor` (`f` gives `(0, f)`) as Keras 3 builds them, and
    applied in turn to the whole batch. Identity at inference.

    Args:
        value_range: the `(min, max)` range of the images (default (0, 255)).
        num_ops: how many operations to apply (default 2).
        factor: a float in [0, 1] or a pair: the strength of the operations (default 0.5).
        interpolation: 'bilinear' (default) or 'nearest', for the geometric operations.
        seed: seed of the random draws.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RandAugment(seed=1)(tf.random.uniform((2, 8, 8, 3), maxval=255.0)).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        value_range=(0, 255),
        num_ops=2,
        factor=0.5,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(num_ops, bool) or not isinstance(num_ops, int) or num_ops < 0:
            raise ValueError(f"RandAugment '{self.name}': `num_ops` must be an integer >= 0; received {num_ops!r}.")
        self.value_range = value_range
        self.num_ops = num_ops
        self.factor = keras_factor(self, factor, bounds=(0, 1))
        self.interpolation = interpolation
        self.seed = seed
        _policies.build_operations(self, _OPERATIONS, self.factor, value_range, interpolation, seed, self.data_format)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        gen = seed_generator(self, seed)
        picks = krandom().randint((self.num_ops,), 0, len(_OPERATIONS), seed=gen)
        transforms = {name: _policies.draw(self._operations[name], data, gen) for name in _OPERATIONS}
        return {"transforms": transforms, "layer_idxes": picks}

    def _transform(self, images, transformation):
        if transformation is None:
            return images
        transforms = transformation["transforms"]
        for pick in torch.as_tensor(transformation["layer_idxes"]).reshape(-1).tolist():
            name = list(transforms)[int(pick)]
            images = _policies.apply(self._operations[name], images, transforms[name])
        return images

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "value_range": self.value_range,
                "num_ops": self.num_ops,
                "factor": self.factor,
                "interpolation": self.interpolation,
                "seed": self.seed,
            }
        )
        return config
