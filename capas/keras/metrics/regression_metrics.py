"""Regression metrics: mean errors, `RootMeanSquaredError`, `CosineSimilarity`, `LogCoshError`, `R2Score`."""

import torch

from capas.keras.metrics import _loss_functions, _utils
from capas.keras.metrics.metric import Metric
from capas.keras.metrics.reduction_metrics import Mean, MeanMetricWrapper
from capas.ops._convert import convert_to_tensor
from capas.keras.saving.object_registration import register_builtin


@register_builtin("metrics")
def cosine_similarity(y_true, y_pred, axis=-1):
    """Cosine similarity of `y_true` and `y_pred` along `axis` (each L2-normalised)."""
    y_pred = convert_to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(torch.float32)
    y_true = convert_to_tensor(y_true, dtype=y_pred.dtype).to(y_pred.device)
    y_true, y_pred = _utils.squeeze_or_expand_to_same_rank(y_true, y_pred)
    return torch.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), dim=axis)


def _l2_normalize(x, axis):
    if x.dim() == 0:
        x = x.unsqueeze(0)
    inv_norm = torch.rsqrt(torch.sum(torch.square(x), dim=axis, keepdim=True))
    return x * torch.clamp(inv_norm, max=1.0 / _utils.EPSILON)


@register_builtin("metrics", "MSE", "mean_squared_error", "mse")
class MeanSquaredError(MeanMetricWrapper):
    """The mean of `square(y_true - y_pred)` over the last axis, averaged over samples.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = MeanSquaredError()
    >>> float(m([[0, 1], [0, 0]], [[1, 1], [0, 0]]))
    0.25
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(fn=_loss_functions.mean_squared_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin("metrics", "MAE", "mae", "mean_absolute_error")
class MeanAbsoluteError(MeanMetricWrapper):
    """The mean of `abs(y_true - y_pred)` over the last axis, averaged over samples.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = MeanAbsoluteError()
    >>> float(m([[0, 1], [0, 0]], [[1, 1], [0, 0]]))
    0.25
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(fn=_loss_functions.mean_absolute_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin("metrics", "MAPE", "mape", "mean_absolute_percentage_error")
class MeanAbsolutePercentageError(MeanMetricWrapper):
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)))`, averaged over samples.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = MeanAbsolutePercentageError()
    >>> float(m([[2.0, 4.0]], [[1.0, 4.0]]))
    25.0
    """

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(fn=_loss_functions.mean_absolute_percentage_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin("metrics", "MSLE", "mean_squared_logarithmic_error", "msle")
class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """The mean of `square(log(y_true + 1) - log(y_pred + 1))`, averaged over samples.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = MeanSquaredLogarithmicError()
    >>> round(float(m([[0, 1], [0, 0]], [[1, 1], [0, 0]])), 4)
    0.1201
    """

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(fn=_loss_functions.mean_squared_logarithmic_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin("metrics", "root_mean_squared_error")
class RootMeanSquaredError(Mean):
    """The square root of the (weighted) mean of `square(y_pred - y_true)`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = RootMeanSquaredError()
    >>> float(m([[0, 1], [0, 0]], [[1, 1], [0, 0]]))
    0.5
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulate the squared errors of the batch."""
        dtype = self._torch_dtype
        _utils.reject_strings(self, y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
        y_true = _utils.to_tensor(self, y_true, dtype, "y_true")
        y_pred = _utils.to_tensor(self, y_pred, dtype, "y_pred").to(y_true.device)
        y_true, y_pred = _utils.squeeze_or_expand_to_same_rank(y_true, y_pred)
        _utils.check_broadcastable(self, y_true.shape, y_pred.shape)
        return super().update_state(torch.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return torch.sqrt(super().result())


@register_builtin("metrics", "cosine_similarity")
class CosineSimilarity(MeanMetricWrapper):
    """The cosine similarity of labels and predictions along `axis`, averaged over samples.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        axis: (Optional) the axis along which the similarity is computed. Defaults to -1.

    Example:

    >>> m = CosineSimilarity(axis=1)
    >>> round(float(m([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])), 4)
    0.5
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(fn=cosine_similarity, name=name, dtype=dtype, axis=axis)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin("metrics", "log_cosh_error")
class LogCoshError(MeanMetricWrapper):
    """The mean of `log(cosh(y_pred - y_true))` over the last axis, averaged over samples.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = LogCoshError()
    >>> round(float(m([[0, 1], [0, 0]], [[1, 1], [0, 0]])), 4)
    0.1084
    """

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(fn=_loss_functions.log_cosh, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin("metrics", "r2_score")
class R2Score(Metric):
    """The coefficient of determination R^2, per output or aggregated.

    Inputs are 2D, `(batch_size, num_outputs)`. With `num_regressors > 0`
    the adjusted R^2 is returned, falling back to the plain score when there
    are not more samples than regressors plus one.

    Args:
        class_aggregation: (Optional) `"uniform_average"` (default),
            `"variance_weighted_average"` or `None` (one score per output).
        num_regressors: (Optional) number of independent regressors, for the
            adjusted R^2. Defaults to 0.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Differs from Keras: the adjusted-R^2 fallback is chosen on the device and
    emits no warning (Keras reads the sample count on the host to warn).

    Example:

    >>> m = R2Score()
    >>> round(float(m([[1], [4], [3]], [[2], [4], [4]])), 4)
    0.5714
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError(
                "R2Score: invalid value for argument `class_aggregation`. Expected one of "
                f"{valid}. Received: class_aggregation={class_aggregation}"
            )
        if num_regressors < 0:
            raise ValueError(
                "R2Score: invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self._built = False

    def _build(self, num_outputs):
        self.squared_sum = self.add_variable(shape=(num_outputs,), initializer="zeros", name="squared_sum")
        self.sum = self.add_variable(shape=(num_outputs,), initializer="zeros", name="sum")
        self.total_mse = self.add_variable(shape=(num_outputs,), initializer="zeros", name="residual")
        self.count = self.add_variable(shape=(num_outputs,), initializer="zeros", name="count")
        self._num_outputs = num_outputs
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulate the sums R^2 needs (per output)."""
        dtype = self._torch_dtype
        _utils.reject_strings(self, y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
        y_true = _utils.to_tensor(self, y_true, dtype, "y_true")
        y_pred = _utils.to_tensor(self, y_pred, dtype, "y_pred").to(y_true.device)
        y_true, y_pred = _utils.squeeze_or_expand_to_same_rank(y_true, y_pred)
        if y_true.dim() != 2 or y_pred.dim() != 2 or y_true.shape != y_pred.shape:
            raise ValueError(
                f"R2Score metric '{self.name}' expects 2D inputs of the same shape (batch_size, "
                f"output_dim). Received input shapes: y_pred.shape={tuple(y_pred.shape)} and "
                f"y_true.shape={tuple(y_true.shape)}."
            )
        if self._built and y_true.shape[1] != self._num_outputs:
            raise ValueError(
                f"R2Score metric '{self.name}' was built for {self._num_outputs} outputs, "
                f"received y_true.shape={tuple(y_true.shape)}."
            )
        weight = (
            torch.ones((), dtype=dtype, device=y_true.device)
            if sample_weight is None
            else (_utils.to_tensor(self, sample_weight, dtype, "sample_weight").to(y_true.device))
        )
        if weight.dim() == 1:
            weight = weight.unsqueeze(1)
        try:
            weight = weight.broadcast_to(y_true.shape)
        except RuntimeError:
            raise ValueError(
                f"R2Score metric '{self.name}': sample_weight of shape {tuple(weight.shape)} does "
                f"not broadcast to y_true of shape {tuple(y_true.shape)}."
            ) from None
        weighted = y_true * weight
        increments = (
            weighted.sum(dim=0),
            (y_true * weighted).sum(dim=0),
            (torch.square(y_true - y_pred) * weight).sum(dim=0),
            weight.sum(dim=0),
        )
        if not self._built:
            self._build(y_true.shape[1])
        self.sum.add_(increments[0])
        self.squared_sum.add_(increments[1])
        self.total_mse.add_(increments[2])
        self.count.add_(increments[3])
        self.num_samples.add_(y_true.numel())

    def result(self):
        if not self._built:
            raise ValueError(f"R2Score metric '{self.name}' has no result yet: call `update_state` first.")
        mean = self.sum / self.count
        total = self.squared_sum - self.sum * mean
        raw = 1 - self.total_mse / total
        raw = torch.where(torch.isinf(raw), torch.zeros_like(raw), raw)
        if self.class_aggregation == "uniform_average":
            score = raw.mean()
        elif self.class_aggregation == "variance_weighted_average":
            score = (total * raw).sum() / total.sum()
        else:
            score = raw
        if self.num_regressors != 0:
            n = self.num_samples
            p = float(self.num_regressors)
            adjusted = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
            score = torch.where(p < n - 1.0, adjusted, score)
        return score

    def get_config(self):
        config = {
            "name": self.name,
            "dtype": self.dtype,
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
        return {**super().get_config(), **config}
