"""`RandomFlip`: flips each image horizontally and/or vertically with probability 1/2 (training only)."""

import torch

from capas.keras.layers.preprocessing._image_layer import _ImageLayer, batch_size
from capas.keras.layers.preprocessing._augment import uniform
from capas.keras.saving.object_registration import register_builtin

_MODES = ("horizontal", "vertical", "horizontal_and_vertical")


@register_builtin("layers")
class RandomFlip(_ImageLayer):
    """A preprocessing layer which randomly flips images during training.

    With 'horizontal_and_vertical', one coin per image decides both flips
    (as in Keras). Identity at inference.

    Args:
        mode: 'horizontal', 'vertical' or 'horizontal_and_vertical' (default).
        seed: seed of the random flips.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RandomFlip("horizontal", seed=1)(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 4, 4, 3])
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if mode not in _MODES:
            raise ValueError(f"RandomFlip '{self.name}': unknown mode {mode!r}; expected one of {list(_MODES)}.")
        self.mode = mode
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = (batch_size(data), 1, 1, 1) if data.dim() == 4 else (1, 1, 1)
        return {"flips": uniform(self, shape, 0.0, 1.0, data.device, seed=seed) <= 0.5}

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        flips = torch.as_tensor(transformation["flips"], device=images.device).to(torch.bool)
        if images.dim() == 3:
            flips = flips.reshape(1, 1, 1)
        h_axis, w_axis = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        out = images
        if self.mode in ("horizontal", "horizontal_and_vertical"):
            out = torch.where(flips, out.flip(w_axis), out)
        if self.mode in ("vertical", "horizontal_and_vertical"):
            out = torch.where(flips, out.flip(h_axis), out)
        return out

    def get_config(self):
        config = super().get_config()
        config.update({"mode": self.mode, "seed": self.seed})
        return config
