"""Reduction metrics: `Sum`, `Mean`, `MeanMetricWrapper` (a function made a metric), `MeanTensor`.

`Mean` is the metric behind every per-sample metric (accuracies, errors,
crossentropies): it keeps a weighted `total` and a `count`. Its update is a
couple of fused ops (a sum and two in-place adds), with no host sync.
"""

import torch

from capas.keras.metrics import _utils
from capas.keras.metrics.metric import Metric
from capas.keras.saving import serialization_lib
from capas.keras.saving.object_registration import register_builtin


def _reduce_to_samplewise(metric, values, sample_weight, reduce_fn):
    """Keras's reduction: weight `values`, then reduce every axis but the first.

    Returns `(values, sample_weight)`, both reduced to at most rank 1;
    `sample_weight` is None when none was given.
    """
    dtype = metric._torch_dtype
    mask = _utils.keras_mask(values)
    values = _utils.to_tensor(metric, values, dtype, "values")
    if sample_weight is not None:
        sample_weight = _utils.to_tensor(metric, sample_weight, what="sample_weight").to(dtype)
        if sample_weight.device != values.device:
            sample_weight = sample_weight.to(values.device)
        sample_weight = _utils.mask_to_weights(sample_weight, mask, dtype)
        values, sample_weight = _utils.squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim = sample_weight.dim()
        if values.dim() > weight_ndim:
            values = reduce_fn(values, dim=tuple(range(weight_ndim, values.dim())))
        try:
            sample_weight = sample_weight.broadcast_to(values.shape)
        except RuntimeError:
            raise ValueError(
                f"{type(metric).__name__} metric '{metric.name}': `sample_weight` of shape "
                f"{tuple(sample_weight.shape)} does not broadcast to the values of shape "
                f"{tuple(values.shape)}. Pass one weight per sample (shape (batch_size,)) or "
                "a shape that broadcasts to the values."
            ) from None
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, dim=tuple(range(1, weight_ndim)))
    if values.dim() > 1:
        values = reduce_fn(values, dim=tuple(range(1, values.dim())))
    return values, sample_weight


@register_builtin("metrics", "sum")
class Sum(Metric):
    """Compute the (weighted) sum of the given values.

    If `values` is `[1, 3, 5, 7]` the sum is 16; with `sample_weight`
    `[1, 1, 0, 0]` it is 4. The metric keeps one variable, `total`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = Sum()
    >>> m.update_state([1, 3, 5, 7])
    >>> float(m.result())
    16.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = _reduce_to_samplewise(self, values, sample_weight, torch.sum)
        self.total.add_(values.sum())

    def result(self):
        return self.total.detach().clone()


@register_builtin("metrics", "mean")
class Mean(Metric):
    """Compute the (weighted) mean of the given values.

    If `values` is `[1, 3, 5, 7]` the mean is 4; with `sample_weight`
    `[1, 1, 0, 0]` it is 2. The metric keeps two variables, `total` and
    `count`, and returns `total / count` (0 before any update).

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = Mean()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    2.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = _reduce_to_samplewise(self, values, sample_weight, torch.mean)
        self._accumulate(values, sample_weight)

    def _accumulate(self, values, sample_weight):
        # Everything is computed before the first in-place add: a bad batch
        # raises above and leaves the state as it was.
        total = values.sum()
        if sample_weight is not None:
            count = sample_weight.sum()
        else:
            count = values.shape[0] if values.dim() >= 1 else 1
        self.total.add_(total)
        self.count.add_(count)

    def result(self):
        return _utils.divide_no_nan(self.total, self.count)


@register_builtin("metrics", "mean_metric_wrapper")
class MeanMetricWrapper(Mean):
    """Wrap a stateless metric function `fn(y_true, y_pred, **kwargs)` as a `Mean`.

    `fn` returns per-sample values; `result()` is their (weighted) mean over
    every batch seen since the last `reset_state()`.

    Args:
        fn: the metric function, with signature `fn(y_true, y_pred, **kwargs)`.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        **kwargs: keyword arguments passed on to `fn`.

    Example:

    >>> def squared(y_true, y_pred):
    ...     return (y_true - y_pred) ** 2
    >>> m = MeanMetricWrapper(fn=squared)
    >>> float(m(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 1.0])))
    0.5
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        if not callable(fn):
            raise TypeError(f"MeanMetricWrapper '{self.name}': `fn` must be callable, received {fn!r}.")
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        _utils.reject_strings(self, y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
        mask = _utils.keras_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        dtype = self._torch_dtype
        if sample_weight is None and mask is None and _utils.keras_mask(values) is None:
            # The per-step path (accuracies, errors): one sum, two in-place adds.
            values = _utils.to_tensor(self, values, dtype, "values")
            if values.dim() > 1:
                values = values.mean(dim=tuple(range(1, values.dim())))
            self._accumulate(values, None)
            return
        if sample_weight is not None:
            sample_weight = _utils.to_tensor(self, sample_weight, what="sample_weight")
        sample_weight = _utils.mask_to_weights(sample_weight, mask, dtype)
        values, sample_weight = _reduce_to_samplewise(self, values, sample_weight, torch.mean)
        self._accumulate(values, sample_weight)

    def get_config(self):
        config = super().get_config()
        config["fn"] = serialization_lib.serialize_family_object(self._fn, "metrics", "metric")
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("fn"), dict):
            config["fn"] = serialization_lib.deserialize_family_object(config["fn"], "metrics", "metric")
        elif isinstance(config.get("fn"), str):  # a function's name
            config["fn"] = serialization_lib.deserialize_family_object(
                {"class_name": "function", "config": config["fn"]}, "metrics", "metric"
            )
        return cls(**config)


@register_builtin("metrics", "mean_tensor")
class MeanTensor(Metric):
    """The element-wise (weighted) mean of tensors, as tf.keras's `MeanTensor`.

    The first update fixes the shape; later updates must have that shape.
    `result()` returns `total / count` element-wise (0 where nothing was
    counted).

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        shape: (Optional) the shape of the values; inferred on first update.

    Differs from Keras: Keras 3 has no `MeanTensor`; this follows tf.keras 2.

    Example:

    >>> m = MeanTensor()
    >>> m.update_state([0.0, 1.0, 2.0])
    >>> m.update_state([4.0, 5.0, 6.0])
    >>> m.result().tolist()
    [2.0, 3.0, 4.0]
    """

    def __init__(self, name="mean_tensor", dtype=None, shape=None):
        super().__init__(name=name, dtype=dtype)
        self._shape = None
        self.total = None
        self.count = None
        if shape is not None:
            self._build(tuple(shape))

    def _build(self, shape):
        self._shape = tuple(shape)
        self.total = self.add_variable(shape=shape, initializer="zeros", dtype=self.dtype, name="total")
        self.count = self.add_variable(shape=shape, initializer="zeros", dtype=self.dtype, name="count")

    def update_state(self, values, sample_weight=None):
        dtype = self._torch_dtype
        values = _utils.to_tensor(self, values, dtype, "values")
        if self._shape is not None and tuple(values.shape) != self._shape:
            raise ValueError(
                f"MeanTensor metric '{self.name}' was built for values of shape {self._shape}, "
                f"received shape {tuple(values.shape)}. Use a new metric for another shape."
            )
        count = torch.ones_like(values)
        if sample_weight is not None:
            weight = _utils.to_tensor(self, sample_weight, what="sample_weight").to(dtype)
            weight = weight.to(values.device)
            _utils.check_broadcastable(self, values.shape, weight.shape, ("values", "sample_weight"))
            values = values * weight
            count = count * weight
        if self._shape is None:
            self._build(tuple(values.shape))
        self.total.add_(values)
        self.count.add_(count)

    def result(self):
        if self.total is None:
            raise ValueError(f"MeanTensor metric '{self.name}' has no result yet: call `update_state` first.")
        return _utils.divide_no_nan(self.total, self.count)

    def get_config(self):
        config = super().get_config()
        config["shape"] = list(self._shape) if self._shape is not None else None
        return config
