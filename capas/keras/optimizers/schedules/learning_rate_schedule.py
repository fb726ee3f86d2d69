"""`LearningRateSchedule`: the base of learning rates that change with the step.

A schedule is called with the optimizer's step counter (an integer tensor) and
returns a float32 0-d tensor on that counter's device. The optimizer keeps its
counter on the CPU (see `optimizers/optimizer.py`), so evaluating a schedule
never waits for an accelerator.
"""

import torch

from capas.keras.saving.object_registration import register_builtin


@register_builtin("schedules")
class LearningRateSchedule:
    """The learning rate as a function of the optimizer step.

    Subclass it and override `__call__(step)` and `get_config()`; pass an
    instance as `learning_rate=` to any optimizer.

    Example:

    >>> from capas import keras
    >>> class Halving(keras.optimizers.schedules.LearningRateSchedule):
    ...     def __init__(self, initial_learning_rate):
    ...         self.initial_learning_rate = initial_learning_rate
    ...     def __call__(self, step):
    ...         return self.initial_learning_rate * 0.5 ** step
    ...     def get_config(self):
    ...         return {"initial_learning_rate": self.initial_learning_rate}
    >>> opt = keras.optimizers.SGD(learning_rate=Halving(0.1))
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override `__call__(self, step)`."
        )

    def get_config(self):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override `get_config()` "
            "in order to be serializable."
        )

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _as_float_tensor(value, like=None):
    """A float32 0-d tensor for `value` (placed like the tensor `like`)."""
    device = like.device if isinstance(like, torch.Tensor) else None
    if isinstance(value, torch.Tensor):
        return value.detach().to(dtype=torch.float32, device=device)
    return torch.tensor(value, dtype=torch.float32, device=device)


def _check_positive_steps(owner, arg, value):
    if not value > 0:
        raise ValueError(
            f"{owner}: argument `{arg}` must be > 0. Received: {arg}={value}. "
            "Pass the number of optimizer steps over which the rate decays."
        )
