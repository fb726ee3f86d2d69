"""`RandomTranslation`: shifts each image by a random offset (training only)."""

import torch

from capas.keras.layers.preprocessing._affine_layer import _AffineLayer, factor_range
from capas.keras.layers.preprocessing._image_layer import batch_size
from capas.keras.layers.preprocessing._augment import uniform
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomTranslation(_AffineLayer):
    """A preprocessing layer which randomly translates images during training.

    Each image shifts by `uniform(lower, upper) * height` rows and
    `uniform(lower, upper) * width` columns; the uncovered area follows
    `fill_mode`. Identity at inference.

    Args:
        height_factor: a float `f` (range `[-f, f]`) or a pair `(lower, upper)`, in [-1, 1].
        width_factor: likewise, for the width.
        fill_mode: 'reflect' (default), 'wrap', 'constant' or 'nearest'.
        interpolation: 'bilinear' (default) or 'nearest'.
        seed: seed of the random shifts.
        fill_value: the value of the 'constant' fill.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RandomTranslation(0.1, 0.1, seed=1)(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        height_factor,
        width_factor,
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
        self.height_factor = height_factor
        self.width_factor = width_factor
        self.height_lower, self.height_upper = factor_range(self, height_factor, "height_factor")
        self.width_lower, self.width_upper = factor_range(self, width_factor, "width_factor")

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        x_shape = data.shape if data.dim() == 4 else (1,) + tuple(data.shape)
        height, width = (x_shape[1], x_shape[2]) if self.data_format == "channels_last" else (x_shape[2], x_shape[3])
        n = batch_size(data)
        dy = uniform(self, (n, 1), self.height_lower, self.height_upper, data.device, seed=seed) * height
        dx = uniform(self, (n, 1), self.width_lower, self.width_upper, data.device, seed=seed) * width
        return {"translations": torch.cat([dx, dy], dim=1)}

    def _matrices(self, transformation, height, width, device):
        t = torch.as_tensor(transformation["translations"], dtype=torch.float32, device=device).reshape(-1, 2)
        ones, zeros = torch.ones_like(t[:, 0]), torch.zeros_like(t[:, 0])
        return torch.stack([ones, zeros, -t[:, 0], zeros, ones, -t[:, 1], zeros, zeros], dim=1)

    def get_config(self):
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor})
        return config
