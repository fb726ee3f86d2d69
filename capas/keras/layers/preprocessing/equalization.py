"""`Equalization`: histogram equalization of each colour channel (training only)."""

import torch

from capas.keras.layers.preprocessing._augment import _AugmentLayer, channel_axis, checked_value_range
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Equalization(_AugmentLayer):
    """A preprocessing layer that equalizes the histogram of each colour channel.

    Values are mapped from `value_range` to [0, 255] and binned into `bins`
    bins; each value is replaced by its bin's rounded cumulative share,
    `round(255 * (cdf - cdf_min) / (cdf_max - cdf_min))`, and mapped back.
    As in Keras 3, one histogram per channel is taken over the whole batch,
    a channel with a single occupied bin is left as is, and the layer is the
    identity at inference (call it with `training=True` to equalize then).

    Args:
        value_range: the `(min, max)` range of the images (default (0, 255)).
        bins: the number of histogram bins (default 256).
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> out = layers.Equalization()(tf.constant([[[10.0], [20.0], [20.0], [40.0]]]))
    >>> [float(v) for v in tf.reshape(out, [-1])]
    [0.0, 170.0, 170.0, 255.0]
    """

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
            raise ValueError(f"Equalization '{self.name}': `bins` must be a positive integer; received bins={bins!r}.")
        self.bins = bins
        self.value_range = checked_value_range(self, value_range)

    def _scale(self, values, source, target):
        scale = (target[1] - target[0]) / (source[1] - source[0])
        return values * scale + (target[0] - source[0] * scale)

    def _equalize(self, channel):
        channel = self._scale(channel, self.value_range, (0, 255))
        index = ((channel.to(torch.float32) - 0.0) * (self.bins - 1) / 255.0).to(torch.int32)
        hist = torch.bincount(index.clamp(0, self.bins - 1).reshape(-1).long(), minlength=self.bins)
        if int(torch.count_nonzero(hist)) > 1:
            cdf = torch.cumsum(hist, 0)
            cdf_min = cdf[torch.nonzero(cdf)[0][0]]
            denominator = cdf[-1] - cdf_min
            denominator = torch.where(denominator == 0, torch.ones_like(denominator), denominator)
            table = torch.round(((cdf - cdf_min) * 255) / denominator).clamp(0, 255)
            lookup = ((channel / 255.0) * (self.bins - 1)).clamp(0, self.bins - 1).to(torch.int32)
            channel = table[lookup.long()].to(channel.dtype)
        return self._scale(channel, (0, 255), self.value_range)

    def _transform(self, images, transformation):
        axis = channel_axis(self.data_format)
        channels = [self._equalize(c) for c in images.unbind(dim=axis)]
        return torch.stack(channels, dim=axis).to(images.dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"bins": self.bins, "value_range": self.value_range})
        return config
