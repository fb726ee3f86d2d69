"""`RandomZoom`: zooms each image in or out by a random amount (training only)."""

import torch

from capas.keras.layers.preprocessing._affine_layer import _AffineLayer, factor_range
from capas.keras.layers.preprocessing._image_layer import batch_size
from capas.keras.layers.preprocessing._augment import uniform
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomZoom(_AffineLayer):
    """A preprocessing layer which randomly zooms images during training.

    Heights scale by `1 + uniform(lower, upper)` (positive values zoom out,
    negative values zoom in); widths by their own draw when `width_factor` is
    given, else by the same one (aspect ratio kept). Identity at inference.

    Args:
        height_factor: a float `f` (range `[-f, f]`) or a pair `(lower, upper)`, in (-1, 1].
        width_factor: like height_factor, or None to keep the aspect ratio.
        fill_mode: 'reflect' (default), 'wrap', 'constant' or 'nearest'.
        interpolation: 'bilinear' (default) or 'nearest'.
        seed: seed of the random zooms.
        fill_value: the value of the 'constant' fill.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RandomZoom(0.2, seed=1)(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        height_factor,
        width_factor=None,
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
        self.height_lower, self.height_upper = factor_range(self, height_factor, "height_factor", allow_minus_one=False)
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = factor_range(self, width_factor, "width_factor", allow_minus_one=False)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = (batch_size(data), 1)
        height_zoom = uniform(self, shape, 1.0 + self.height_lower, 1.0 + self.height_upper, data.device, seed=seed)
        width_zoom = height_zoom
        if self.width_factor is not None:
            width_zoom = uniform(self, shape, 1.0 + self.width_lower, 1.0 + self.width_upper, data.device, seed=seed)
        return {"height_zoom": height_zoom, "width_zoom": width_zoom}

    def _matrices(self, transformation, height, width, device):
        zx = torch.as_tensor(transformation["width_zoom"], dtype=torch.float32, device=device).reshape(-1)
        zy = torch.as_tensor(transformation["height_zoom"], dtype=torch.float32, device=device).reshape(-1)
        x_offset = (width - 1.0) / 2.0 * (1.0 - zx)
        y_offset = (height - 1.0) / 2.0 * (1.0 - zy)
        zeros = torch.zeros_like(zx)
        return torch.stack([zx, zeros, x_offset, zeros, zy, y_offset, zeros, zeros], dim=1)

    def get_config(self):
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor})
        return config
