"""`BaseAdaptivePooling`: average or max pooling to a fixed output size (keras.ops.adaptive_*_pool)."""

import torch
import torch.nn.functional as F

from capas.keras.layers.convolutional import _conv_utils as U
from capas.keras.layers.layer import Layer

_POOL = {
    "average": {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d},
    "max": {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d},
}


class BaseAdaptivePooling(Layer):
    """Pools each spatial dim to `output_size[i]` positions, whatever the input size."""

    rank = None
    mode = None  # 'max' or 'average'

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        if isinstance(output_size, int) and not isinstance(output_size, bool):
            output_size = (output_size,) * self.rank
        elif isinstance(output_size, (tuple, list)) and len(output_size) == self.rank:
            output_size = tuple(int(v) for v in output_size)
        else:
            raise TypeError(
                f"{name}: `output_size` must be an integer or a tuple of {self.rank} integers. "
                f"Received: output_size={output_size!r}"
            )
        self.output_size = output_size
        self.data_format = U.normalize_data_format(data_format, name)

    def call(self, inputs):
        want = self.rank + 2
        if inputs.dim() != want:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects a {want}-D input (batch, {self.rank} spatial "
                f"dims and channels), but received a {inputs.dim()}-D input of shape {tuple(inputs.shape)}."
            )
        channels_last = self.data_format == "channels_last"
        x = torch.movedim(inputs, -1, 1) if channels_last else inputs
        y = _POOL[self.mode][self.rank](x, self.output_size)
        return torch.movedim(y, 1, -1) if channels_last else y

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        config = super().get_config()
        config.update({"output_size": self.output_size, "data_format": self.data_format})
        return config
