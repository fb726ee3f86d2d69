"""Correlation metrics: `PearsonCorrelation` and `ConcordanceCorrelation`, averaged over samples.

Each function correlates `y_true` and `y_pred` along `axis` (by default the
features of each sample); the classes average that per-sample value.
"""

import torch

from capas.keras.metrics._utils import EPSILON, squeeze_or_expand_to_same_rank
from capas.keras.metrics.reduction_metrics import MeanMetricWrapper
from capas.ops._convert import convert_to_tensor
from capas.keras.saving.object_registration import register_builtin


def _pair(y_true, y_pred):
    y_pred = convert_to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(torch.float32)
    y_true = convert_to_tensor(y_true, dtype=y_pred.dtype).to(y_pred.device)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


@register_builtin("metrics")
def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson's correlation coefficient of `y_true` and `y_pred` along `axis`.

    Example:

    >>> round(float(pearson_correlation([1.0, 2.0, 3.0], [2.0, 4.0, 7.0])), 4)
    0.9934
    """
    y_true, y_pred = _pair(y_true, y_pred)
    true_centered = y_true - y_true.mean(dim=axis, keepdim=True)
    pred_centered = y_pred - y_pred.mean(dim=axis, keepdim=True)
    true_centered = true_centered / true_centered.std(dim=axis, keepdim=True, correction=0)
    pred_centered = pred_centered / pred_centered.std(dim=axis, keepdim=True, correction=0)
    return torch.mean(true_centered * pred_centered, dim=axis)


@register_builtin("metrics")
def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation coefficient of `y_true` and `y_pred` along `axis`.

    Differs from the textbook formula exactly as Keras 3 does: the covariance
    term centres `y_true` on the mean of `y_pred`, so that values match Keras.

    Example:

    >>> round(float(concordance_correlation([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])), 4)
    1.0
    """
    y_true, y_pred = _pair(y_true, y_pred)
    true_mean = y_true.mean(dim=axis, keepdim=True)
    pred_mean = y_pred.mean(dim=axis, keepdim=True)
    true_var = (y_true - true_mean).var(dim=axis, keepdim=True, correction=0)
    pred_var = (y_pred - pred_mean).var(dim=axis, keepdim=True, correction=0)
    covariance = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + torch.square(true_mean - pred_mean)
    return torch.mean(2 * covariance / (norm + EPSILON), dim=axis)


@register_builtin("metrics", "pearson_correlation")
class PearsonCorrelation(MeanMetricWrapper):
    """Pearson's correlation along `axis`, averaged over samples.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        axis: (Optional) the axis along which to correlate. Defaults to -1.

    Example:

    >>> m = PearsonCorrelation()
    >>> round(float(m([[1.0, 2.0, 3.0]], [[2.0, 4.0, 7.0]])), 4)
    0.9934
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(fn=pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


@register_builtin("metrics", "concordance_correlation")
class ConcordanceCorrelation(MeanMetricWrapper):
    """Lin's concordance correlation along `axis`, averaged over samples.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        axis: (Optional) the axis along which to correlate. Defaults to -1.

    Example:

    >>> m = ConcordanceCorrelation()
    >>> round(float(m([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]])), 4)
    1.0
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(fn=concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
