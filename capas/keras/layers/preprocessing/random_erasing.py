"""`RandomErasing`: fills a random rectangle of random images with noise or a constant (training only)."""

import torch

from capas.keras.layers.preprocessing._augment import (
    _AugmentLayer,
    channel_axis,
    keras_factor,
    krandom,
    per_image,
    seed_generator,
    uniform,
)
from capas.keras.saving.object_registration import register_builtin


def box_masks(layer, images, ratio_w, ratio_h, seed=None):
    """Per-image boolean masks of random boxes covering `ratio_w` of the width and `ratio_h` of the height."""
    n = images.shape[0]
    height, width = layer._hw(images)
    w_len = ratio_w * width
    x0 = uniform(layer, (n,), 0.0, 1.0, images.device, seed=seed) * (width - w_len)
    h_len = ratio_h * height
    y0 = uniform(layer, (n,), 0.0, 1.0, images.device, seed=seed) * (height - h_len)
    x1, y1 = x0 + w_len, y0 + h_len
    rows = torch.arange(height, dtype=torch.float32, device=images.device).view(1, height, 1)
    cols = torch.arange(width, dtype=torch.float32, device=images.device).view(1, 1, width)
    inside = (cols >= x0.view(-1, 1, 1)) & (cols < x1.view(-1, 1, 1))
    inside = inside & (rows >= y0.view(-1, 1, 1)) & (rows < y1.view(-1, 1, 1))
    inside = inside.unsqueeze(channel_axis(layer.data_format)).expand(images.shape)
    return inside, (x0, x1, y0, y1)


@register_builtin("layers")
class RandomErasing(_AugmentLayer):
    """A preprocessing layer which randomly erases a rectangle of images during training.

    Each image is erased with probability `p`, drawn per image from
    `[lower, upper]` (`factor=f` gives `[0, f]`). The box covers
    `sqrt(u_w)` of the width and `sqrt(u_h)` of the height, `u_w`, `u_h`
    drawn from the `scale` range, at a uniformly random position. It is
    filled with `fill_value` (a number, or one value per channel) or, when
    None, Gaussian noise times `value_range[1]`; the fill is clipped to
    `value_range`. Identity at inference.

    Args:
        factor: a float in [0, 1] or a pair: the range of the erasing probability (default 1.0).
        scale: a pair in [0, 1]: the range of the box's area share (default (0.02, 0.33)).
        fill_value: None (noise), a number, or a list of three numbers.
        value_range: the `(min, max)` range of the images (default (0, 255)).
        seed: seed of the random draws.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> out = layers.RandomErasing((1.0, 1.0), fill_value=0.0, seed=1)(tf.ones((2, 8, 8, 3)))
    >>> out.shape, bool(tf.reduce_any(out == 0.0))
    (torch.Size([2, 8, 8, 3]), True)
    """

    def __init__(
        self,
        factor=1.0,
        scale=(0.02, 0.33),
        fill_value=None,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = keras_factor(self, factor, bounds=(0, 1))
        self.scale = keras_factor(self, scale, bounds=(0, 1), arg="scale")
        if fill_value is not None and not (
            (isinstance(fill_value, (int, float)) and not isinstance(fill_value, bool))
            or (isinstance(fill_value, (tuple, list)) and len(fill_value) == 3)
        ):
            raise ValueError(
                f"RandomErasing '{self.name}': `fill_value` must be None (noise), a number or a list of three "
                f"numbers; received fill_value={fill_value!r}."
            )
        self.fill_value = fill_value
        self.value_range = value_range
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data if data.dim() == 4 else data.unsqueeze(0)
        n = images.shape[0]
        weight = torch.sqrt(uniform(self, (n, 2), self.scale[0], self.scale[1], images.device, seed=seed))
        masks, _ = box_masks(self, images, weight[:, 0], weight[:, 1], seed)
        probability = uniform(self, (n,), self.factor[0], self.factor[1], images.device, seed=seed)
        threshold = uniform(self, (n,), 0.0, 1.0, images.device, seed=seed)
        if self.fill_value is None:
            gen = seed_generator(self, seed)
            fill = krandom().normal(tuple(images.shape), seed=gen).to(images.device) * self.value_range[1]
        elif isinstance(self.fill_value, (tuple, list)):
            fill = torch.tensor(self.fill_value, dtype=torch.float32, device=images.device).expand(images.shape)
        else:
            fill = torch.full(images.shape, float(self.fill_value), device=images.device)
        fill = fill.clamp(self.value_range[0], self.value_range[1])
        return {"apply_erasing": threshold < probability, "batch_masks": masks, "fill_value": fill}

    def _transform(self, images, transformation):
        masks = torch.as_tensor(transformation["batch_masks"], device=images.device).to(torch.bool)
        fill = torch.as_tensor(transformation["fill_value"], device=images.device).to(images.dtype)
        erased = torch.where(masks, fill, images)
        apply = per_image(transformation["apply_erasing"], images).to(torch.bool)
        return torch.where(apply, erased, images)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "factor": self.factor,
                "scale": self.scale,
                "fill_value": self.fill_value,
                "value_range": self.value_range,
                "seed": self.seed,
            }
        )
        return config
