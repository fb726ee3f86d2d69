"""Hinge loss classes: Hinge, SquaredHinge, CategoricalHinge."""

from capas.keras.losses import losses
from capas.keras.losses.loss_function_wrapper import _BuiltinLoss
from capas.keras.saving.object_registration import register_builtin


@register_builtin("losses")
class Hinge(_BuiltinLoss):
    """Hinge loss: `mean(maximum(1 - y_true * y_pred, 0), axis=-1)`.

    `y_true` should be -1 or 1; labels that are all 0 or 1 are mapped to -1/1.

    Args:
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> float(Hinge()([[1.0, 0.0]], [[0.5, -2.0]]))
    0.25
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        self._init_builtin(losses.hinge, name, reduction, dtype)


@register_builtin("losses")
class SquaredHinge(_BuiltinLoss):
    """Squared hinge loss: `mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`.

    Args:
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> float(SquaredHinge()([[1.0, 0.0]], [[0.5, -2.0]]))
    0.125
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        self._init_builtin(losses.squared_hinge, name, reduction, dtype)


@register_builtin("losses")
class CategoricalHinge(_BuiltinLoss):
    """Categorical hinge loss for one-hot labels.

    `loss = maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`.

    Args:
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> round(float(CategoricalHinge()([[0.0, 1.0]], [[0.3, 0.9]])), 5)
    0.4
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        self._init_builtin(losses.categorical_hinge, name, reduction, dtype)
