"""`BasePooling`: the max and average pooling windows of the N-D pooling layers.

'same' padding follows TensorFlow: the output has `ceil(in / strides)` steps,
the extra padded pixel goes at the end, max pooling never picks a padded
value, and average pooling divides by the number of *real* values in each
window (padding is excluded from the count).
"""

import torch
import torch.nn.functional as F

from capas._kernels import max_pool
from capas.keras.layers.convolutional import _conv_utils as U
from capas.keras.layers.layer import Layer

_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


class BasePooling(Layer):
    """N-D max or average pooling over the spatial dims."""

    rank = None
    mode = None  # 'max' or 'average'

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        owner = f"{type(self).__name__} '{self.name}'"
        self.pool_size = U.normalize_tuple(pool_size, self.rank, "pool_size", owner)
        strides = pool_size if strides is None else strides
        self.strides = U.normalize_tuple(strides, self.rank, "strides", owner)
        self.padding = U.normalize_padding(padding, owner)
        self.data_format = U.normalize_data_format(data_format, owner)
        self._channels_last = self.data_format == "channels_last"

    def _check_rank(self, shape):
        want = self.rank + 2
        if len(shape) != want:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects a {want}-D input (batch, {self.rank} spatial "
                f"dims, channels in data_format='{self.data_format}' order), but received a {len(shape)}-D "
                f"input of shape {tuple(shape)}. Add the missing axis (tf.expand_dims) or use the "
                f"{len(shape) - 2}-D pooling layer."
            )

    def _window_too_large(self, shape):
        if self.padding != "valid":
            return
        spatial = range(1, self.rank + 1) if self._channels_last else range(2, self.rank + 2)
        U.check_window_fits(
            type(self).__name__,
            self.name,
            tuple(shape),
            list(spatial),
            self.pool_size,
            (1,) * self.rank,
            what="pool_size",
        )

    def build(self, input_shape):
        # Checked here too, so a symbolic call fails with the real (None batch) shape.
        self._check_rank(input_shape)
        self._window_too_large(input_shape)

    def _inference_fn(self):
        """`call`: the pooling of a batch (`Layer._inference_fn`)."""
        return self._own_call_fn(BasePooling)

    def call(self, inputs):
        if inputs.dim() != self.rank + 2:
            self._check_rank(U.shown_shape(inputs))
        x = U.to_channels_first(inputs, self._channels_last)
        if self.padding == "valid":
            pool = max_pool if self.mode == "max" else _AVG[self.rank]
            try:
                y = pool(x, self.pool_size, self.strides)
            except RuntimeError:
                self._window_too_large(U.shown_shape(inputs))
                raise
        else:
            y = self._same(x)
        return U.to_channels_last(y, self._channels_last)

    def _same(self, x):
        pads = [U.same_padding(x.shape[2 + i], self.pool_size[i], self.strides[i]) for i in range(self.rank)]
        symmetric = all(before == after for before, after in pads)
        if self.mode == "max":
            if symmetric:
                return max_pool(x, self.pool_size, self.strides, tuple(b for b, _ in pads))
            x, _ = U.pad_for_torch(x, pads, value=float("-inf"))
            return max_pool(x, self.pool_size, self.strides)
        if symmetric:
            return _AVG[self.rank](x, self.pool_size, self.strides, tuple(b for b, _ in pads), count_include_pad=False)
        # Asymmetric: sum over the zero-padded input, divided by the real count per window.
        padded, _ = U.pad_for_torch(x, pads)
        ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device)
        counts, _ = U.pad_for_torch(ones, pads)
        pool = _AVG[self.rank]
        return pool(padded, self.pool_size, self.strides) / pool(counts, self.pool_size, self.strides)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "pool_size": self.pool_size,
                "padding": self.padding,
                "strides": self.strides,
                "data_format": self.data_format,
            }
        )
        return config
