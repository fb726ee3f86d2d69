"""Hinge metrics: `Hinge`, `SquaredHinge`, `CategoricalHinge`, averaged over samples."""

from capas.keras.metrics import _loss_functions
from capas.keras.metrics.reduction_metrics import MeanMetricWrapper
from capas.keras.saving.object_registration import register_builtin


@register_builtin("metrics", "hinge")
class Hinge(MeanMetricWrapper):
    """`mean(maximum(1 - y_true * y_pred, 0))`; 0/1 labels are turned into -1/1.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = Hinge()
    >>> round(float(m([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    1.3
    """

    def __init__(self, name="hinge", dtype=None):
        super().__init__(fn=_loss_functions.hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin("metrics", "squared_hinge")
class SquaredHinge(MeanMetricWrapper):
    """`mean(square(maximum(1 - y_true * y_pred, 0)))`; 0/1 labels are turned into -1/1.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = SquaredHinge()
    >>> round(float(m([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    1.86
    """

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(fn=_loss_functions.squared_hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin("metrics", "categorical_hinge")
class CategoricalHinge(MeanMetricWrapper):
    """`maximum(neg - pos + 1, 0)` with `pos = sum(y_true * y_pred)`, `neg = max((1 - y_true) * y_pred)`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = CategoricalHinge()
    >>> round(float(m([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    1.4
    """

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(fn=_loss_functions.categorical_hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
