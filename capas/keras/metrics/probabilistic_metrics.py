"""Probabilistic metrics: crossentropies, `KLDivergence` and `Poisson`, averaged over samples."""

import torch

from capas.keras.metrics import _loss_functions, _utils
from capas.keras.metrics.reduction_metrics import MeanMetricWrapper, _reduce_to_samplewise
from capas.keras.saving.object_registration import register_builtin


@register_builtin("metrics", "kl_divergence")
class KLDivergence(MeanMetricWrapper):
    """Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred))`, averaged over samples.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = KLDivergence()
    >>> round(float(m([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.4581
    """

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(fn=_loss_functions.kl_divergence, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin("metrics", "poisson")
class Poisson(MeanMetricWrapper):
    """Poisson deviance `mean(y_pred - y_true * log(y_pred))`, averaged over samples.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = Poisson()
    >>> round(float(m([[0, 1], [0, 0]], [[1, 1], [0, 0]])), 4)
    0.5
    """

    def __init__(self, name="poisson", dtype=None):
        super().__init__(fn=_loss_functions.poisson, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin("metrics", "BCE", "bce", "binary_crossentropy")
class BinaryCrossentropy(MeanMetricWrapper):
    """Binary crossentropy between labels and predictions, averaged over samples.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        from_logits: (Optional) whether `y_pred` holds logits. Defaults to False.
        label_smoothing: (Optional) float in [0, 1]; labels are squeezed
            towards 0.5 by this amount.

    Example:

    >>> m = BinaryCrossentropy()
    >>> round(float(m([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.8149
    """

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0):
        super().__init__(
            _loss_functions.binary_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self._direction = "down"

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
        }


@register_builtin("metrics", "categorical_crossentropy")
class CategoricalCrossentropy(MeanMetricWrapper):
    """Crossentropy between one-hot labels and predicted distributions, averaged over samples.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        from_logits: (Optional) whether `y_pred` holds logits. Defaults to False.
        label_smoothing: (Optional) float in [0, 1], mixing the one-hot labels
            with the uniform distribution.
        axis: (Optional) the class axis. Defaults to -1.

    Example:

    >>> m = CategoricalCrossentropy()
    >>> round(float(m([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 4)
    1.1769
    """

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0, axis=-1):
        super().__init__(
            _loss_functions.categorical_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self._direction = "down"

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


@register_builtin("metrics", "sparse_categorical_crossentropy")
class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Crossentropy between integer labels and predicted distributions, averaged over samples.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        from_logits: (Optional) whether `y_pred` holds logits. Defaults to False.
        ignore_class: (Optional) a label value whose samples are left out
            (their value is 0; with a `sample_weight` they also get no weight,
            as in Keras).
        axis: (Optional) the class axis. Defaults to -1.

    Example:

    >>> m = SparseCategoricalCrossentropy()
    >>> round(float(m([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 4)
    1.1769
    """

    def __init__(
        self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, ignore_class=None, axis=-1
    ):
        super().__init__(
            _loss_functions.sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulate the per-sample crossentropies of the batch."""
        _utils.reject_strings(self, y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
        values, valid = _loss_functions.sparse_categorical_crossentropy_with_mask(
            y_true, y_pred, from_logits=self.from_logits, ignore_class=self.ignore_class, axis=self.axis
        )
        dtype = self._torch_dtype
        mask = _utils.keras_mask(y_pred)
        if sample_weight is not None:
            sample_weight = _utils.to_tensor(self, sample_weight, dtype, "sample_weight").to(values.device)
        sample_weight = _utils.mask_to_weights(sample_weight, mask, dtype)
        if sample_weight is not None and valid is not None:
            # Keras masks the ignored samples out of the weights only when
            # weights are given; without them they count as zeros.
            sample_weight = _utils.mask_to_weights(sample_weight, valid, dtype)
        values, sample_weight = _reduce_to_samplewise(self, values, sample_weight, torch.mean)
        self._accumulate(values, sample_weight)

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
            "axis": self.axis,
        }
