"""`BaseZeroPadding`: add zeros at the start and end of each spatial dim."""

import torch.nn.functional as F

from capas.keras.layers.convolutional import _conv_utils as U
from capas.keras.layers.layer import Layer
from capas.keras.layers.reshaping._spatial_utils import normalize_pairs, spatial_axes


class BaseZeroPadding(Layer):
    """Pads `(before, after)` zeros along each spatial dim with one `F.pad`."""

    rank = None

    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = normalize_pairs(padding, self.rank, "padding", f"{type(self).__name__} '{self.name}'")
        self.data_format = U.normalize_data_format(data_format, type(self).__name__)

    def call(self, inputs):
        want = self.rank + 2
        if inputs.dim() != want:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects a {want}-D input, but received a {inputs.dim()}-D "
                f"input of shape {tuple(inputs.shape)}."
            )
        pads = [(0, 0)] * inputs.dim()
        for axis, pair in zip(spatial_axes(self.rank, self.data_format, inputs.dim()), self.padding):
            pads[axis] = pair
        flat = []
        for before, after in reversed(pads[1:]):
            flat.extend((before, after))
        return F.pad(inputs, flat)

    def get_config(self):
        config = super().get_config()
        config["padding"] = self.padding
        config["data_format"] = self.data_format
        return config
