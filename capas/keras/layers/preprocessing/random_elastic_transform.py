"""`RandomElasticTransform`: displaces pixels along a smoothed random field (training only)."""

import torch

from capas.keras.layers.preprocessing import _image_ops, _random
from capas.keras.layers.preprocessing._augment import _AugmentLayer, keras_factor, per_image, uniform
from capas.keras.layers.preprocessing._image_layer import to_nhwc
from capas.keras.layers.preprocessing.random_gaussian_blur import gaussian_blur
from capas.keras.saving.object_registration import register_builtin

_FILL_MODES = ("reflect", "wrap", "constant", "nearest", "mirror")


@register_builtin("layers")
class RandomElasticTransform(_AugmentLayer):
    """A preprocessing layer that applies random elastic transformations during training.

    Each image is distorted with probability `p`, drawn per image from
    `[lower, upper]` (`factor=f` gives `[0, f]`). For a distortion `d`
    drawn per batch from the `scale` range, `sigma = 0.05 d min(H, W)` and
    `alpha = 0.1 d max(H, W)`: Gaussian noise times `sigma`, blurred by a
    Gaussian of width `sigma` (kernel `int(6 sigma) | 1`), times `alpha`,
    displaces where each output pixel reads the input (Keras's formulas).
    Results are clipped to `value_range`. Identity at inference.

    Args:
        factor: a float in [0, 1] or a pair: the range of the probability (default 1.0).
        scale: a float in [0, 1] or a pair: the range of the distortion (default 1.0).
        interpolation: 'bilinear' (default) or 'nearest'.
        fill_mode: 'reflect' (default), 'wrap', 'constant', 'nearest' or 'mirror'.
        fill_value: the value of the 'constant' fill.
        value_range: the `(min, max)` range of the images (default (0, 255)).
        seed: seed of the random draws.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RandomElasticTransform(seed=1)(tf.ones((2, 16, 16, 3))).shape
    torch.Size([2, 16, 16, 3])
    """

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = keras_factor(self, factor, bounds=(0, 1))
        self.scale = keras_factor(self, scale, bounds=(0, 1), arg="scale")
        if interpolation not in _image_ops.INTERPOLATIONS:
            raise ValueError(
                f"RandomElasticTransform '{self.name}': unknown interpolation {interpolation!r}; expected "
                "'nearest' or 'bilinear'."
            )
        if fill_mode not in _FILL_MODES:
            raise ValueError(
                f"RandomElasticTransform '{self.name}': unknown fill_mode {fill_mode!r}; expected one of "
                f"{list(_FILL_MODES)}."
            )
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.value_range = value_range
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        if not training or self.scale[1] == 0 or self.factor[1] == 0:
            return None
        n = data.shape[0] if data.dim() == 4 else 1
        probability = uniform(self, (n,), self.factor[0], self.factor[1], data.device, seed=seed)
        threshold = uniform(self, (n,), 0.0, 1.0, data.device, seed=seed)
        distortion = uniform(self, (), self.scale[0], self.scale[1], data.device, seed=seed)
        height, width = self._hw(data)
        gen = _random.generator(self, data.device)
        noise = torch.randn((2, n, height, width), generator=gen, device=data.device)
        return {"apply_transform": threshold < probability, "distortion_factor": distortion, "noise": noise}

    def _transform(self, images, transformation):
        if transformation is None:
            return images
        x, undo = to_nhwc(images, self.data_format)
        batch, height, width, _ = x.shape
        factor = float(transformation["distortion_factor"])
        alpha, sigma = max(height, width) * 0.1 * factor, min(height, width) * 0.05 * factor
        noise = transformation.get("noise")
        if noise is None:  # a transformation drawn by Keras carries no field: draw one here
            gen = _random.generator(self, x.device)
            noise = torch.randn((2, batch, height, width), generator=gen, device=x.device)
        noise = torch.as_tensor(noise, dtype=torch.float32, device=x.device)
        if sigma > 0:
            size = int(6 * sigma) | 1
            field = gaussian_blur(
                noise.reshape(2 * batch, height, width, 1) * sigma, (size, size), (sigma, sigma), "channels_last"
            )
            dx, dy = field.reshape(2, batch, height, width).unbind(0)
        else:
            dx = dy = torch.zeros((batch, height, width), device=x.device)
        cols = torch.arange(width, dtype=torch.float32, device=x.device).view(1, 1, width)
        rows = torch.arange(height, dtype=torch.float32, device=x.device).view(1, height, 1)
        warped = _image_ops.sample(
            x.to(torch.float32),
            cols + alpha * dx,
            rows + alpha * dy,
            self.interpolation,
            self.fill_mode,
            self.fill_value,
        )
        warped = undo(warped.to(images.dtype))
        apply = per_image(transformation["apply_transform"], images).to(torch.bool)
        return torch.where(apply, warped, images).clamp(self.value_range[0], self.value_range[1])

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "factor": self.factor,
                "scale": self.scale,
                "interpolation": self.interpolation,
                "fill_mode": self.fill_mode,
                "fill_value": self.fill_value,
                "value_range": self.value_range,
                "seed": self.seed,
            }
        )
        return config
