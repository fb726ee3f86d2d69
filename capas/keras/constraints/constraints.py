"""Weight constraints: MaxNorm, MinMaxNorm, NonNeg, UnitNorm.

They run after every optimizer update: a fused norm and one multiply each,
on the weight's device, with no host syncs.
"""

import torch

from capas.keras.constraints.constraint import Constraint
from capas.ops._convert import convert_to_tensor
from capas.keras.saving.object_registration import register_builtin

_EPSILON = 1e-7  # Keras's backend.epsilon() default.


def _tensor(w):
    return w if isinstance(w, torch.Tensor) else convert_to_tensor(w)


def _norms(w, axis):
    dim = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    return torch.sqrt(torch.sum(torch.square(w), dim=dim, keepdim=True))


@register_builtin("constraints", "max_norm")
class MaxNorm(Constraint):
    """MaxNorm weight constraint.

    Constrains the weights incident to each hidden unit to have a norm less
    than or equal to a desired value.

    Args:
        max_value: the maximum norm value for the incoming weights.
        axis: integer (or list of integers), axis along which to calculate
            weight norms. For a `Dense` kernel of shape `(input_dim,
            output_dim)`, `axis=0` constrains each weight vector of length
            `(input_dim,)`. For a `Conv2D` kernel of shape `(rows, cols,
            input_depth, output_depth)`, use `axis=[0, 1, 2]`.

    Example:

    >>> import torch
    >>> from capas.keras import constraints
    >>> constraints.MaxNorm(max_value=1.0)(torch.tensor([[3.0], [4.0]]))
    tensor([[0.6000],
            [0.8000]])
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = _tensor(w)
        norms = _norms(w, self.axis)
        desired = torch.clamp(norms, 0, self.max_value)
        return w * (desired / (_EPSILON + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


@register_builtin("constraints", "non_neg")
class NonNeg(Constraint):
    """Constrains the weights to be non-negative.

    Example:

    >>> import torch
    >>> from capas.keras import constraints
    >>> constraints.NonNeg()(torch.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """

    def __call__(self, w):
        return torch.clamp_min(_tensor(w), 0)


@register_builtin("constraints", "unit_norm")
class UnitNorm(Constraint):
    """Constrains the weights incident to each hidden unit to have unit norm.

    Args:
        axis: integer (or list of integers), axis along which to calculate
            weight norms (see `MaxNorm`).

    Example:

    >>> import torch
    >>> from capas.keras import constraints
    >>> constraints.UnitNorm()(torch.tensor([[3.0], [4.0]]))
    tensor([[0.6000],
            [0.8000]])
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = _tensor(w)
        return w / (_EPSILON + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


@register_builtin("constraints", "min_max_norm")
class MinMaxNorm(Constraint):
    """MinMaxNorm weight constraint.

    Constrains the weights incident to each hidden unit to have the norm
    between a lower bound and an upper bound.

    Args:
        min_value: the minimum norm for the incoming weights.
        max_value: the maximum norm for the incoming weights.
        rate: rate for enforcing the constraint: weights will be rescaled to
            yield `(1 - rate) * norm + rate * norm.clip(min_value, max_value)`.
            `rate=1.0` stands for strict enforcement of the constraint, while
            `rate<1.0` means that weights will be rescaled at each step to
            slowly move towards a value inside the desired interval.
        axis: integer (or list of integers), axis along which to calculate
            weight norms (see `MaxNorm`).

    Example:

    >>> import torch
    >>> from capas.keras import constraints
    >>> constraints.MinMaxNorm(min_value=1.0, max_value=2.0)(torch.tensor([[0.3], [0.4]]))
    tensor([[0.6000],
            [0.8000]])
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = _tensor(w)
        norms = _norms(w, self.axis)
        desired = self.rate * torch.clamp(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return w * (desired / (_EPSILON + norms))

    def get_config(self):
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }
