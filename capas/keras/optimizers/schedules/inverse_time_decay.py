"""`InverseTimeDecay`: `initial_learning_rate / (1 + decay_rate * step / decay_steps)`."""

import torch

from capas.keras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from capas.keras.optimizers.schedules.learning_rate_schedule import _as_float_tensor
from capas.keras.optimizers.schedules.learning_rate_schedule import _check_positive_steps
from capas.keras.saving.object_registration import register_builtin


@register_builtin("schedules")
class InverseTimeDecay(LearningRateSchedule):
    """A learning rate that decays as the inverse of time.

    `lr(step) = initial_learning_rate / (1 + decay_rate * step / decay_steps)`,
    with `step / decay_steps` floored when `staircase=True`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: how often to apply the decay; must be > 0.
        decay_rate: the decay rate.
        staircase: decay in discrete steps.
        name: a name for the schedule.

    Returns:
        Called with a step, a float32 0-d tensor.

    Example:

    >>> from capas import keras
    >>> s = keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=1.0)
    >>> round(float(s(1)), 6)
    0.05
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay"):
        _check_positive_steps("InverseTimeDecay", "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        step = _as_float_tensor(step)
        p = step / _as_float_tensor(self.decay_steps, step)
        if self.staircase:
            p = torch.floor(p)
        denom = 1.0 + _as_float_tensor(self.decay_rate, step) * p
        return _as_float_tensor(self.initial_learning_rate, step) / denom

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }
