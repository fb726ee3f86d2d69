"""The base of the image preprocessing layers: layout, dtype, and the transformation protocol.

As in Keras, a layer draws its random parameters in
`get_random_transformation(data, training)` and applies them in
`transform_images(images, transformation, training)`; `call` does both.
Images are `(batch, height, width, channels)` or one `(height, width,
channels)` image ('channels_first' puts channels before height).
"""

import torch

from capas.keras.layers._symbolic import in_symbolic_call
from capas.keras.layers.layer import Layer
from capas.ops._convert import as_torch_dtype

_DATA_FORMATS = ("channels_last", "channels_first")


class _ImageLayer(Layer):
    """Shared constructor and `call` of the image preprocessing layers."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        data_format = data_format or "channels_last"
        if data_format not in _DATA_FORMATS:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': `data_format` must be 'channels_last' or "
                f"'channels_first'; received {data_format!r}."
            )
        self.data_format = data_format

    def _check_rank(self, images):
        if images.dim() not in (3, 4):
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects images of rank 3 (height, width, channels) or 4 "
                f"(batch, height, width, channels); received shape {tuple(images.shape)}."
            )

    def _hw(self, images):
        if self.data_format == "channels_last":
            return images.shape[-3], images.shape[-2]
        return images.shape[-2], images.shape[-1]

    def _cast(self, images):
        dtype = as_torch_dtype(self.compute_dtype) or torch.float32
        return images.to(dtype) if images.dtype != dtype else images

    def get_random_transformation(self, data, training=True, seed=None):
        return None

    def transform_images(self, images, transformation, training=True):
        raise NotImplementedError

    def call(self, inputs, training=True):
        self._check_rank(inputs)
        if getattr(self, "seed", False) is not False and in_symbolic_call():
            # A random layer under shape inference: no draws (they would move its generator on).
            return self._cast(inputs)
        transformation = self.get_random_transformation(inputs, training=training)
        return self.transform_images(self._cast(inputs), transformation, training=training)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


def to_nhwc(images, data_format):
    """4-D channels-last view of `images`, and the function undoing it."""
    squeeze = images.dim() == 3
    x = images.unsqueeze(0) if squeeze else images
    if data_format == "channels_first":
        x = x.permute(0, 2, 3, 1)

    def undo(y):
        if data_format == "channels_first":
            y = y.permute(0, 3, 1, 2)
        return y.squeeze(0) if squeeze else y

    return x, undo


def batch_size(images):
    return images.shape[0] if images.dim() == 4 else 1
