"""`RandomShear`: shears each image along x and/or y by a random amount (training only)."""

import torch

from capas.keras.layers.preprocessing._affine_layer import _AffineLayer
from capas.keras.layers.preprocessing._augment import uniform
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomShear(_AffineLayer):
    """A preprocessing layer which randomly shears images during training.

    Output pixel `(x, y)` samples the input at `(x + sx * y, sy * x + y)`,
    with `sx`, `sy` drawn per image from the `x_factor` and `y_factor`
    ranges and one random sign shared by both. Identity at inference.

    Args:
        x_factor: a float `f` in [0, 1] (range `[-f, f]`) or a pair `(lower, upper)` in [-1, 1].
        y_factor: like x_factor, for the vertical shear.
        interpolation: 'bilinear' (default) or 'nearest'.
        fill_mode: 'reflect' (default), 'wrap', 'constant' or 'nearest'.
        fill_value: the value of the 'constant' fill.
        data_format: 'channels_last' (default) or 'channels_first'.
        seed: seed of the random draws.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RandomShear(x_factor=0.3, seed=1)(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        x_factor=0.0,
        y_factor=0.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        data_format=None,
        seed=None,
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
        self.x_factor = self._shear_range(x_factor, "x_factor")
        self.y_factor = self._shear_range(y_factor, "y_factor")

    def _shear_range(self, factor, arg):
        def bad():
            return ValueError(
                f"RandomShear '{self.name}': `{arg}` must be a number in [0, 1] or a pair of numbers in [-1, 1]; "
                f"received {arg}={factor!r}."
            )

        if isinstance(factor, (tuple, list)):
            # A pair may start below 0: get_config stores a number f as (-f, f), and from_config must take it.
            if len(factor) != 2 or any(not -1 <= f <= 1 for f in factor):
                raise bad()
            return tuple(sorted(factor))
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 <= factor <= 1:
            raise bad()
        return (-abs(factor), abs(factor))

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = data.shape[0] if data.dim() == 4 else 1
        sign = torch.where(uniform(self, (n, 1), 0.0, 1.0, data.device, seed=seed) > 0.5, -1.0, 1.0)
        shear_y = uniform(self, (n, 1), self.y_factor[0], self.y_factor[1], data.device, seed=seed)
        shear_x = uniform(self, (n, 1), self.x_factor[0], self.x_factor[1], data.device, seed=seed)
        return {"shear_factor": torch.cat([shear_x, shear_y], dim=1) * sign, "input_shape": tuple(data.shape)}

    def transform_images(self, images, transformation, training=True):
        return super().transform_images(self._cast(torch.as_tensor(images)), transformation, training=training)

    def _matrices(self, transformation, height, width, device):
        shear = torch.as_tensor(transformation["shear_factor"], dtype=torch.float32, device=device).reshape(-1, 2)
        ones, zeros = torch.ones_like(shear[:, 0]), torch.zeros_like(shear[:, 0])
        return torch.stack([ones, shear[:, 0], zeros, shear[:, 1], ones, zeros, zeros, zeros], dim=1)

    def get_config(self):
        config = super().get_config()
        config.update({"x_factor": self.x_factor, "y_factor": self.y_factor})
        return config
