"""Weight penalties: L1, L2, L1L2 and OrthogonalRegularizer.

They run on every training step: each is a couple of fused reductions that
stay on the weight's device, with no host syncs.
"""

import math

import torch

from capas.keras.regularizers.regularizer import Regularizer
from capas.ops._convert import convert_to_tensor
from capas.keras.saving.object_registration import register_builtin

_EPSILON = 1e-7  # Keras's backend.epsilon() default.


def _tensor(x):
    return x if isinstance(x, torch.Tensor) else convert_to_tensor(x)


def _validate_factor(value, name, owner):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(
            f"{owner}: invalid value for argument `{name}`: expected a non-negative "
            f"finite float, received {name}={value!r}."
        )
    return float(value)


@register_builtin("regularizers", "l1_l2", "l1l2")
class L1L2(Regularizer):
    """A regularizer that applies both L1 and L2 regularization penalties.

    The penalty is `l1 * reduce_sum(abs(x)) + l2 * reduce_sum(square(x))`.
    The name `"l1_l2"` builds one with `l1=0.01` and `l2=0.01`.

    Args:
        l1: float, L1 regularization factor.
        l2: float, L2 regularization factor.

    Example:

    >>> import torch
    >>> from capas.keras import regularizers
    >>> regularizers.L1L2(l1=0.5, l2=0.25)(torch.tensor([1.0, -2.0]))
    tensor(2.7500)
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _validate_factor(0.0 if l1 is None else l1, "l1", "L1L2")
        self.l2 = _validate_factor(0.0 if l2 is None else l2, "l2", "L1L2")

    def __call__(self, x):
        x = _tensor(x)
        if self.l1 and self.l2:
            return self.l1 * torch.sum(torch.abs(x)) + self.l2 * torch.sum(torch.square(x))
        if self.l1:
            return self.l1 * torch.sum(torch.abs(x))
        if self.l2:
            return self.l2 * torch.sum(torch.square(x))
        return x.new_zeros(())

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


@register_builtin("regularizers", "l1")
class L1(Regularizer):
    """A regularizer that applies a L1 regularization penalty: `l1 * reduce_sum(abs(x))`.

    Args:
        l1: float, L1 regularization factor (0.01 for the name `"l1"`).

    Example:

    >>> import torch
    >>> from capas.keras import regularizers
    >>> regularizers.L1(0.5)(torch.tensor([1.0, -2.0]))
    tensor(1.5000)

    Differs from Keras: `get_config()` returns `l1` exactly as given; Keras
    rounds it through float32 (0.1 comes back as 0.10000000149011612).
    """

    def __init__(self, l1=0.01):
        self.l1 = _validate_factor(l1, "l1", "L1")

    def __call__(self, x):
        return self.l1 * torch.sum(torch.abs(_tensor(x)))

    def get_config(self):
        return {"l1": self.l1}


@register_builtin("regularizers", "l2")
class L2(Regularizer):
    """A regularizer that applies a L2 regularization penalty: `l2 * reduce_sum(square(x))`.

    Args:
        l2: float, L2 regularization factor (0.01 for the name `"l2"`).

    Example:

    >>> import torch
    >>> from capas.keras import regularizers
    >>> regularizers.L2(0.5)(torch.tensor([1.0, -2.0]))
    tensor(2.5000)
    """

    def __init__(self, l2=0.01):
        self.l2 = _validate_factor(l2, "l2", "L2")

    def __call__(self, x):
        return self.l2 * torch.sum(torch.square(_tensor(x)))

    def get_config(self):
        return {"l2": self.l2}


@register_builtin("regularizers", "orthogonal_regularizer")
class OrthogonalRegularizer(Regularizer):
    """Regularizer that encourages input vectors to be orthogonal to each other.

    It can be applied to either the rows of a matrix (`mode="rows"`) or its
    columns (`mode="columns"`). The penalty is `factor` times the mean of the
    absolute dot products between the L2-normalized rows (or columns),
    excluding each one's product with itself.

    Args:
        factor: Float. The regularization factor. Defaults to `0.01`.
        mode: String, one of `{"rows", "columns"}`. Defaults to `"rows"`.

    Example:

    >>> import torch
    >>> from capas.keras import regularizers
    >>> regularizers.OrthogonalRegularizer(factor=1.0)(torch.eye(3))
    tensor(0.)
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _validate_factor(factor, "factor", "OrthogonalRegularizer")
        if mode not in ("rows", "columns"):
            raise ValueError(
                "OrthogonalRegularizer: invalid value for argument `mode`. Expected one "
                f"of 'rows', 'columns'. Received: mode={mode!r}."
            )
        self.mode = mode

    def __call__(self, inputs):
        inputs = _tensor(inputs)
        if inputs.ndim != 2:
            raise ValueError(
                "Inputs to OrthogonalRegularizer must have rank 2 (a Dense kernel). "
                f"Received: inputs.shape={tuple(inputs.shape)}."
            )
        axis = 1 if self.mode == "rows" else 0
        inv_norm = torch.rsqrt(torch.sum(torch.square(inputs), dim=axis, keepdim=True))
        normalized = inputs * torch.clamp(inv_norm, max=1.0 / _EPSILON)
        if self.mode == "rows":
            product = normalized @ normalized.T
        else:
            product = normalized.T @ normalized
        size = product.shape[0]
        off_diagonal = product * (1.0 - torch.eye(size, dtype=inputs.dtype, device=inputs.device))
        num_pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * torch.sum(torch.abs(off_diagonal)) / num_pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}
