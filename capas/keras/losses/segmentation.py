"""Image-segmentation loss classes: Dice and Tversky."""

from capas.keras.losses import losses
from capas.keras.losses.loss_function_wrapper import _BuiltinLoss
from capas.keras.saving.object_registration import register_builtin


@register_builtin("losses")
class Dice(_BuiltinLoss):
    """Dice loss: `1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`.

    Args:
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        axis: Axes summed over; `None` (default) sums over everything, giving
            one scalar for the batch.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> round(float(Dice()([[1.0, 0.0]], [[1.0, 0.0]])), 5)
    0.0
    """

    _config_keys = ("axis",)

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        self._init_builtin(losses.dice, name, reduction, dtype, axis=axis)


@register_builtin("losses")
class Tversky(_BuiltinLoss):
    """Tversky loss: `1 - tp / (tp + alpha * fp + beta * fn)`.

    With `alpha = beta = 0.5` it is the Dice loss.

    Args:
        alpha: Weight of false positives.
        beta: Weight of false negatives.
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        axis: Axes summed over; `None` (default) sums over everything.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> round(float(Tversky()([[1.0, 0.0]], [[1.0, 0.0]])), 5)
    0.0
    """

    _config_keys = ("alpha", "beta", "axis")

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky", axis=None, dtype=None):
        self._init_builtin(losses.tversky, name, reduction, dtype, alpha=alpha, beta=beta, axis=axis)
