"""Regression loss classes: squared, absolute, percentage, logarithmic, cosine, Huber, log-cosh."""

from capas.keras.losses import losses
from capas.keras.losses.loss_function_wrapper import _BuiltinLoss
from capas.keras.saving.object_registration import register_builtin


@register_builtin("losses")
class MeanSquaredError(_BuiltinLoss):
    """Mean of squares of errors between labels and predictions.

    `loss = mean(square(y_true - y_pred), axis=-1)`, then reduced over the batch.

    Args:
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> float(MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]]))
    0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        self._init_builtin(losses.mean_squared_error, name, reduction, dtype)


@register_builtin("losses")
class MeanAbsoluteError(_BuiltinLoss):
    """Mean of absolute errors: `mean(abs(y_true - y_pred), axis=-1)`.

    Args:
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> float(MeanAbsoluteError()([[0.0, 1.0]], [[1.0, 1.0]]))
    0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        self._init_builtin(losses.mean_absolute_error, name, reduction, dtype)


@register_builtin("losses")
class MeanAbsolutePercentageError(_BuiltinLoss):
    """Mean absolute percentage error: `100 * mean(abs((y_true - y_pred) / y_true))`.

    Args:
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> float(MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 4.0]]))
    25.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None):
        self._init_builtin(losses.mean_absolute_percentage_error, name, reduction, dtype)


@register_builtin("losses")
class MeanSquaredLogarithmicError(_BuiltinLoss):
    """Mean squared logarithmic error: `mean(square(log(y_pred + 1) - log(y_true + 1)))`.

    Args:
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> float(MeanSquaredLogarithmicError()([[0.0]], [[0.0]]))
    0.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None):
        self._init_builtin(losses.mean_squared_logarithmic_error, name, reduction, dtype)


@register_builtin("losses")
class CosineSimilarity(_BuiltinLoss):
    """Negative cosine similarity between labels and predictions along `axis`.

    Args:
        axis: The axis along which the similarity is computed.
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Differs from Keras: `get_config()` includes `axis` (Keras 3 drops it).

    Example:

    >>> float(CosineSimilarity()([[1.0, 0.0]], [[2.0, 0.0]]))
    -1.0
    """

    _config_keys = ("axis",)

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None):
        self._init_builtin(losses.cosine_similarity, name, reduction, dtype, axis=axis)


@register_builtin("losses")
class Huber(_BuiltinLoss):
    """Huber loss: quadratic for errors up to `delta`, linear beyond.

    Args:
        delta: Where the loss turns from quadratic to linear.
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Differs from Keras: `get_config()` includes `delta` (Keras 3 drops it).

    Example:

    >>> float(Huber()([[0.0, 0.0]], [[0.5, 3.0]]))
    1.3125
    """

    _config_keys = ("delta",)

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        self._init_builtin(losses.huber, name, reduction, dtype, delta=delta)


@register_builtin("losses")
class LogCosh(_BuiltinLoss):
    """Logarithm of the hyperbolic cosine of the prediction error.

    Args:
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> float(LogCosh()([[0.0]], [[0.0]]))
    0.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        self._init_builtin(losses.log_cosh, name, reduction, dtype)
