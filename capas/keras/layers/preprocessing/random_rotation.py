"""`RandomRotation`: rotates each image by a random angle (training only)."""

import math

import torch

from capas.keras.layers.preprocessing._affine_layer import _AffineLayer, factor_range
from capas.keras.layers.preprocessing._image_layer import batch_size
from capas.keras.layers.preprocessing._augment import uniform
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomRotation(_AffineLayer):
    """A preprocessing layer which randomly rotates images during training.

    Each image turns by an angle drawn uniformly from
    `[lower * 2pi, upper * 2pi]` about its center; the empty corners follow
    `fill_mode`. At inference (`training=False`) the layer is the identity.

    Args:
        factor: a float `f` (range `[-f, f]`) or a pair `(lower, upper)`, as
            fractions of 2pi; positive values rotate counter-clockwise.
        fill_mode: 'reflect' (default), 'wrap', 'constant' or 'nearest'.
        interpolation: 'bilinear' (default) or 'nearest'.
        seed: seed of the random angles.
        fill_value: the value of the 'constant' fill.
        data_format: 'channels_last' (default) or 'channels_first'.

    Call arguments:
        inputs: 3-D or 4-D images.
        training: rotate when True (the default when called directly, as in Keras).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RandomRotation(0.1, seed=1)(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(
            fill_mode=fill_mode,
            interpolation=interpolation,
            seed=seed,
            fill_value=fill_value,
            data_format=data_format,
            **kwargs,
        )
        self.factor = factor_range(self, factor, "factor")

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        angle = uniform(
            self, (batch_size(data),), self.factor[0] * 360.0, self.factor[1] * 360.0, data.device, seed=seed
        )
        return {"angle": angle}

    def _matrices(self, transformation, height, width, device):
        angle = torch.as_tensor(transformation["angle"], dtype=torch.float32, device=device).reshape(-1)
        theta = angle * (math.pi / 180.0)
        cos, sin = torch.cos(theta), torch.sin(theta)
        cx, cy = 0.5 * (width - 1), 0.5 * (height - 1)
        a0, a1 = cos, -sin
        b0, b1 = sin, cos
        a2 = cx - cx * a0 - cy * a1
        b2 = cy - cx * b0 - cy * b1
        zeros = torch.zeros_like(cos)
        return torch.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], dim=1)

    def get_config(self):
        config = super().get_config()
        config["factor"] = self.factor
        return config
