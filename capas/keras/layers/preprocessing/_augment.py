"""Shared pieces of the Keras 3 augmentation layers: factors, value ranges, colour conversions.

The layers in this family work on a 4-D batch: `call` lifts one
`(height, width, channels)` image to a batch of one, draws the
transformation for it (`get_random_transformation`) and applies it
(`transform_images`), as Keras does for an unbatched input. The colour
formulas are Keras's (torch backend): grayscale is `0.2989 r + 0.587 g +
0.114 b`, HSV the dm_pix conversion.
"""

import torch

from capas.keras.layers._symbolic import in_symbolic_call
from capas.keras.layers.preprocessing._image_layer import _ImageLayer


def krandom():
    """`capas.keras.random`, imported on first use (it imports keras.config, which imports the layers)."""
    # in-function: import cycle keras.random -> keras.config -> keras.layers -> this module
    from capas.keras import random

    return random


def seed_generator(layer, seed=None):
    """The `keras.random.SeedGenerator` a draw uses: `seed` when given, else the layer's own.

    The layer's own is `SeedGenerator(layer.seed)`, made on first use, so a seeded layer draws
    Keras's numbers (capas's keras.random reproduces Keras's torch backend) in Keras's order.
    """
    if seed is not None:
        return seed
    gen = vars(layer).get("_keras_seed_generator")
    if gen is None:
        gen = krandom().SeedGenerator(layer.seed)
        layer._set_untracked(_keras_seed_generator=gen)
    return gen


def uniform(layer, shape, minval=0.0, maxval=1.0, device=None, seed=None):
    """`keras.random.uniform` from the layer's seed generator (or `seed`), on `device`."""
    out = krandom().uniform(tuple(shape), minval, maxval, seed=seed_generator(layer, seed))
    return out.to(device) if device is not None else out


def keras_factor(layer, factor, bounds=(-1.0, 1.0), arg="factor"):
    """Keras's factor rule: a number `f` -> `(max(-|f|, low), |f|)`, a pair -> sorted; within `bounds`."""
    low, high = bounds
    message = (
        f"{type(layer).__name__} '{layer.name}': `{arg}` must be a number or a pair of numbers in "
        f"[{low}, {high}]; received {arg}={factor!r}."
    )
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or not all(_is_number(f) for f in factor):
            raise ValueError(message)
        if factor[0] > high or factor[1] < low:
            raise ValueError(message)
        return tuple(sorted(factor))
    if not _is_number(factor) or factor < low or factor > high:
        raise ValueError(message)
    factor = abs(factor)
    return (max(-factor, low), factor)


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def checked_value_range(layer, value_range):
    """`value_range` as Keras keeps it: a sorted list of two numbers."""
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError(
            f"{type(layer).__name__} '{layer.name}': `value_range` must be a pair `(min, max)` of the "
            f"images' value range, e.g. (0, 255) or (0, 1); received value_range={value_range!r}."
        )
    return sorted(value_range)


def to_range(images, source, target):
    """Map values linearly from the range `source` to the range `target` (Keras's _transform_value_range)."""
    if source[0] == target[0] and source[1] == target[1]:
        return images
    images = (images - float(source[0])) / (float(source[1]) - float(source[0]))
    return images * (float(target[1]) - float(target[0])) + float(target[0])


def channel_axis(data_format):
    return -1 if data_format == "channels_last" else -3


def rgb_to_grayscale(images, data_format):
    """One-channel luma of RGB images (a one-channel image is returned as is)."""
    axis = channel_axis(data_format)
    if images.shape[axis] == 1:
        return images.clone()
    r, g, b = images.unbind(dim=axis)
    return (0.2989 * r + 0.587 * g + 0.114 * b).to(images.dtype).unsqueeze(axis)


def rgb_to_hsv(images, data_format):
    axis = channel_axis(data_format)
    eps = torch.finfo(images.dtype).eps
    images = torch.where(images.abs() < eps, torch.zeros_like(images), images)
    r, g, b = images.unbind(dim=axis)
    value = torch.maximum(torch.maximum(r, g), b)
    spread = value - torch.minimum(torch.minimum(r, g), b)
    one = torch.ones_like(value)
    saturation = torch.where(value > 0, spread / torch.where(value > 0, value, one), torch.zeros_like(value))
    norm = 1.0 / (6.0 * torch.where(spread > 0, spread, one))
    hue = torch.where(value == g, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0)
    hue = torch.where(value == r, norm * (g - b), hue)
    hue = torch.where(spread > 0, hue, torch.zeros_like(hue)) + (hue < 0.0).to(hue.dtype)
    return torch.stack([hue, saturation, value], dim=axis)


def hsv_to_rgb(images, data_format):
    axis = channel_axis(data_format)
    hue, saturation, value = images.unbind(dim=axis)
    dh = torch.remainder(hue, 1.0) * 6.0
    dr = ((dh - 3.0).abs() - 1.0).clamp(0.0, 1.0)
    dg = (2.0 - (dh - 2.0).abs()).clamp(0.0, 1.0)
    db = (2.0 - (dh - 4.0).abs()).clamp(0.0, 1.0)
    grey = 1.0 - saturation
    planes = [value * (grey + saturation * d) for d in (dr, dg, db)]
    return torch.stack(planes, dim=axis)


def per_image(values, images):
    """Reshape per-image `values` (batch,) or (batch, 1, 1, 1) to broadcast against 4-D `images`."""
    values = torch.as_tensor(values, device=images.device)
    return values.reshape(-1, *([1] * (images.dim() - 1)))


class _AugmentLayer(_ImageLayer):
    """An image layer applied batch-wise; identity at inference unless `_APPLY_AT_INFERENCE`."""

    _APPLY_AT_INFERENCE = False

    def call(self, inputs, training=True):
        self._check_rank(inputs)
        images = self._cast(inputs)
        if in_symbolic_call():  # shape inference: no draws (they would move the generator on)
            return self._symbolic_output(images)
        batch = images if images.dim() == 4 else images.unsqueeze(0)
        # Drawn at inference too, as Keras does: the layers that draw regardless of `training`
        # move their generator on exactly as Keras's do.
        transformation = self.get_random_transformation(batch, training=training)
        out = self.transform_images(batch, transformation, training=training)
        return out if images.dim() == 4 else out.squeeze(0)

    def _symbolic_output(self, images):
        shape = tuple(self.compute_output_shape(tuple(images.shape)))
        return images if shape == tuple(images.shape) else images.new_zeros(shape)

    def transform_images(self, images, transformation, training=True):
        """Apply `transformation` (as drawn by `get_random_transformation`) to a batch or one image."""
        images = self._cast(torch.as_tensor(images))
        if not training and not self._APPLY_AT_INFERENCE:
            return images
        if images.dim() == 3:
            return self._transform(images.unsqueeze(0), transformation).squeeze(0)
        return self._transform(images, transformation)

    def _transform(self, images, transformation):
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)
