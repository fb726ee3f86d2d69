"""`BaseUpSampling`: repeat (or interpolate) each spatial dim by an integer factor."""

import torch.nn.functional as F

from capas.keras.layers.convolutional import _conv_utils as U
from capas.keras.layers.layer import Layer
from capas.keras.saving import object_registration

_MODES = {"nearest": "nearest", "bilinear": "bilinear", "bicubic": "bicubic"}


class BaseUpSampling(Layer):
    """Upsamples the spatial dims of a channels_last or channels_first tensor."""

    rank = None

    def __init__(self, size, data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        owner = f"{type(self).__name__} '{self.name}'"
        self.size = U.normalize_tuple(size, self.rank, "size", owner)
        self.data_format = U.normalize_data_format(data_format, owner)
        interpolation = str(interpolation).lower()
        if interpolation not in _MODES:
            raise object_registration.unknown_name_error("interpolation", interpolation, list(_MODES))
        self.interpolation = interpolation
        self._channels_last = self.data_format == "channels_last"

    def call(self, inputs):
        want = self.rank + 2
        if inputs.dim() != want:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects a {want}-D input, but received a {inputs.dim()}-D "
                f"input of shape {tuple(inputs.shape)}."
            )
        x = U.to_channels_first(inputs, self._channels_last)
        if self.interpolation == "nearest":
            y = F.interpolate(x, scale_factor=self.size, mode="nearest")
        else:
            out = tuple(n * s for n, s in zip(x.shape[2:], self.size))
            y = F.interpolate(x, size=out, mode=_MODES[self.interpolation], align_corners=False)
        return U.to_channels_last(y, self._channels_last)
