"""`GlobalAveragePooling1D`: the average over every spatial dim of 1-D data."""

import torch

from capas.keras.layers.pooling._base_global_pooling import BaseGlobalPooling
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers", "GlobalAvgPool1D")
class GlobalAveragePooling1D(BaseGlobalPooling):
    """Global average pooling for 1D data.

    Masked steps (a `mask` of shape `(batch, steps)`, e.g. from an `Embedding`
    with `mask_zero=True`) are left out of the average.

    Args:
        data_format: 'channels_last' (default) or 'channels_first'.
        keepdims: keep the reduced spatial dims with length 1.

    Input shape:
        3D tensor `(batch, steps, channels)` (channels_last) or
        `(batch, channels, steps)` (channels_first).

    Output shape:
        `(batch, channels)`, or with `keepdims=True` `(batch, 1, ..., 1, channels)`
        (channels_last) / `(batch, channels, 1, ..., 1)` (channels_first).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.GlobalAveragePooling1D()(tf.ones((2, 6, 3))).shape
    torch.Size([2, 3])
    """

    rank = 1
    mode = "average"

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        self._check_rank(inputs)
        steps_axis = self._axes[0]
        weights = mask.unsqueeze(2 if steps_axis == 1 else 1).to(inputs.dtype)
        total = torch.where(weights > 0, inputs, 0).sum(dim=steps_axis, keepdim=self.keepdims)
        return total / weights.sum(dim=steps_axis, keepdim=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None
