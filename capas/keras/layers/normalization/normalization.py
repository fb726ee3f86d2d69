"""`Normalization`: the preprocessing layer `(x - mean) / sqrt(variance)`, with `adapt`."""

import numpy as np
import torch

from capas.keras.layers.layer import Layer
from capas.ops._convert import as_torch_dtype
from capas.keras.saving.object_registration import register_builtin

_EPSILON = 1e-7  # Keras's backend.epsilon(): the floor of the standard deviation


def _first(batch):
    """The features of a dataset element: `x` of an `(x, y)` or `(x, y, w)` tuple."""
    if isinstance(batch, (tuple, list)):
        return batch[0]
    if isinstance(batch, dict):
        raise TypeError(
            "Normalization.adapt() received a dataset of dicts; map it to the feature tensor first "
            "(dataset.map(lambda d: d['feature']))."
        )
    return batch


def _as_float64(x):
    return torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x.detach().cpu()).double()


@register_builtin("layers")
class Normalization(Layer):
    """A preprocessing layer that normalizes continuous features.

    Shifts and scales inputs to a distribution centered around 0 with standard
    deviation 1: `(x - mean) / max(sqrt(variance), 1e-7)`. The mean and variance
    are either passed in, or computed from data with `adapt(data)`, one value
    per position of the kept `axis`.

    Args:
        axis: int, tuple of ints or None: the axes that keep their own mean and
            variance (default -1, one per feature). None: one scalar for all.
        mean, variance: optional values (scalars or arrays broadcastable to the
            kept axes); pass both or neither.
        invert: apply the inverse transform `mean + x * sqrt(variance)`.

    Input shape:
        Arbitrary. Output shape: the input shape.

    Example:

    >>> import numpy as np
    >>> from capas.keras import layers
    >>> norm = layers.Normalization()
    >>> norm.adapt(np.array([[1.0], [2.0], [3.0]], "float32"))
    >>> [round(v, 3) for v in norm(np.array([[2.0], [4.0]], "float32")).numpy().ravel().tolist()]
    [0.0, 2.449]
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        if (mean is None) != (variance is None):
            raise ValueError(
                f"Normalization '{self.name}': pass both `mean` and `variance`, or neither (and call adapt()). "
                f"Received mean={mean} and variance={variance}."
            )
        if mean is not None and np.shape(mean) != np.shape(variance):
            raise ValueError(
                f"Normalization '{self.name}': `mean` and `variance` must have the same shape; received "
                f"shapes {np.shape(mean)} and {np.shape(variance)}."
            )
        if mean is not None and len(np.shape(mean)) > len(self.axis):
            raise ValueError(
                f"Normalization '{self.name}': the rank of `mean` ({len(np.shape(mean))}) must be at most the "
                f"number of kept axes {self.axis}."
            )
        self._fixed = None

    def build(self, input_shape):
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                f"Normalization '{self.name}': every axis must be in [-{ndim}, {ndim}); received axis="
                f"{self.axis} for inputs of shape {tuple(input_shape)}."
            )
        keep = tuple(sorted(a % ndim for a in self.axis))
        if any(input_shape[d] is None for d in keep):
            raise ValueError(
                f"Normalization '{self.name}': the kept axes {keep} need known sizes; received input shape "
                f"{tuple(input_shape)}."
            )
        self._keep_axis = keep
        self._reduce_axis = tuple(d for d in range(ndim) if d not in keep)
        self._broadcast_shape = tuple(input_shape[d] if d in keep else 1 for d in range(ndim))
        self._stats_shape = tuple(input_shape[d] for d in keep)
        self._set_untracked(_build_input_shape=tuple(input_shape))
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(
                name="mean", shape=self._stats_shape, initializer="zeros", trainable=False
            )
            self.adapt_variance = self.add_weight(
                name="variance", shape=self._stats_shape, initializer="ones", trainable=False
            )
            self.count = self.add_weight(name="count", shape=(), dtype="int32", initializer="zeros", trainable=False)
        else:
            self._fixed = (self._expand(self.input_mean), self._expand(self.input_variance))

    @property
    def mean(self):
        """The mean in the broadcast shape, as Keras 3 exposes it: `(1, 9)` for `axis=-1` on `(N, 9)` data."""
        if self._fixed is not None:
            return self._fixed[0]
        return self.adapt_mean.detach().reshape(self._broadcast_shape)

    @property
    def variance(self):
        """The variance in the broadcast shape (see `mean`)."""
        if self._fixed is not None:
            return self._fixed[1]
        return self.adapt_variance.detach().reshape(self._broadcast_shape)

    def _expand(self, value):
        """A fixed mean/variance as a tensor of the broadcast shape."""
        value = torch.as_tensor(np.asarray(value, dtype="float32"))
        if value.dim():
            shape = [1] * len(self._broadcast_shape)
            for i in range(1, value.dim() + 1):
                shape[self._keep_axis[-i]] = value.shape[-i]
            value = value.reshape(shape)
        return value.expand(self._broadcast_shape).contiguous()

    def adapt(self, data):
        """Compute the mean and variance of `data` for each position of the kept axes.

        Args:
            data: a numpy array or tensor, a `capas.data.Dataset`, or any
                iterable of batches (`(x, y)` elements use `x`).
        """
        if isinstance(data, (np.ndarray, torch.Tensor)):
            batches = [data]
        elif hasattr(data, "__iter__"):
            batches = [_first(b) for b in data]
            if not batches:
                raise ValueError(f"Normalization '{self.name}'.adapt() received an empty dataset (no batches).")
            if np.ndim(batches[0]) <= 1 and type(data).__name__ == "Dataset":
                batches = [np.stack([np.asarray(b) for b in batches])]  # an unbatched dataset of samples
        else:
            raise TypeError(
                f"Normalization '{self.name}'.adapt() supports numpy arrays, tensors, capas.data.Dataset and "
                f"iterables of batches; received {type(data).__name__}."
            )
        shape = tuple(np.shape(batches[0]))
        if not self.built:
            self._maybe_build(((_Shape(shape),)), {})
            self._set_untracked(_build_input_shape=shape)
        if self.input_mean is not None:
            raise ValueError(f"Normalization '{self.name}' was given `mean` and `variance`; it cannot be adapted.")
        total_mean = total_var = None
        total = 0
        for batch in batches:
            x = _as_float64(batch)
            if any(x.shape[d] != self._build_input_shape[d] for d in self._keep_axis):
                raise ValueError(
                    f"Normalization '{self.name}' was built for inputs of shape {self._build_input_shape}, but "
                    f"adapt() received a batch of shape {tuple(x.shape)}."
                )
            dims = self._reduce_axis
            var, mean = torch.var_mean(x, dim=dims, correction=0) if dims else (torch.zeros_like(x), x)
            count = int(np.prod([x.shape[d] for d in dims])) if dims else 1
            if total_mean is None:
                total_mean, total_var, total = mean, var, count
                continue
            new_total = total + count
            w_new = count / new_total
            w_old = 1.0 - w_new
            new_mean = total_mean * w_old + mean * w_new
            total_var = (total_var + (total_mean - new_mean) ** 2) * w_old + (var + (mean - new_mean) ** 2) * w_new
            total_mean, total = new_mean, new_total
        self.adapt_mean.assign(total_mean.float())
        self.adapt_variance.assign(total_var.float())

    def call(self, inputs):
        if self._fixed is not None:
            mean, variance = self._fixed
            if mean.device != inputs.device:
                self._fixed = mean, variance = mean.to(inputs.device), variance.to(inputs.device)
        else:
            mean = self.adapt_mean.reshape(self._broadcast_shape)
            variance = self.adapt_variance.reshape(self._broadcast_shape)
        if not inputs.is_floating_point() or inputs.dtype == torch.float64:
            # Keras converts the inputs to the compute dtype (float64 columns from numpy/pandas included).
            inputs = inputs.to(as_torch_dtype(self.compute_dtype))
        std = torch.sqrt(variance).clamp(min=_EPSILON).to(inputs.dtype)
        mean = mean.to(inputs.dtype)
        if self.invert:
            return mean + inputs * std
        return (inputs - mean) / std

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "invert": self.invert,
                "mean": np.array(self.input_mean).tolist() if self.input_mean is not None else None,
                "variance": np.array(self.input_variance).tolist() if self.input_variance is not None else None,
            }
        )
        return config


class _Shape:
    def __init__(self, shape):
        self.shape = shape
