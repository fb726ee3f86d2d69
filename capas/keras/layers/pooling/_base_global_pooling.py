"""`BaseGlobalPooling`: max or mean over every spatial dim."""

import torch

from capas.keras.layers.convolutional import _conv_utils as U
from capas.keras.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Reduces the spatial dims (all but batch and channels) with max or mean."""

    rank = None
    mode = None  # 'max' or 'average'

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = U.normalize_data_format(data_format, type(self).__name__)
        self.keepdims = bool(keepdims)
        self._axes = (
            tuple(range(1, self.rank + 1)) if self.data_format == "channels_last" else tuple(range(2, self.rank + 2))
        )

    def _check_rank(self, inputs):
        want = self.rank + 2
        if inputs.dim() != want:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects a {want}-D input (batch, {self.rank} spatial "
                f"dims and channels), but received a {inputs.dim()}-D input of shape {tuple(inputs.shape)}."
            )

    def _inference_fn(self):
        """`call`: the global pooling of a batch (`Layer._inference_fn`)."""
        return self._own_call_fn(BaseGlobalPooling)

    def call(self, inputs):
        self._check_rank(inputs)
        if self.mode == "max":
            return torch.amax(inputs, dim=self._axes, keepdim=self.keepdims)
        return torch.mean(inputs, dim=self._axes, keepdim=self.keepdims)

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config
