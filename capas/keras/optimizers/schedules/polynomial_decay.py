"""`PolynomialDecay`: from `initial_learning_rate` to `end_learning_rate` along `(1 - p) ** power`."""

import torch

from capas.keras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from capas.keras.optimizers.schedules.learning_rate_schedule import _as_float_tensor
from capas.keras.optimizers.schedules.learning_rate_schedule import _check_positive_steps
from capas.keras.saving.object_registration import register_builtin


@register_builtin("schedules")
class PolynomialDecay(LearningRateSchedule):
    """A polynomial decay from `initial_learning_rate` to `end_learning_rate`.

    `lr(step) = (initial - end) * (1 - step / decay_steps) ** power + end`,
    with `step` capped at `decay_steps`; with `cycle=True` the horizon grows to
    the next multiple of `decay_steps` instead.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps to reach `end_learning_rate`; must be > 0.
        end_learning_rate: the final rate.
        power: the polynomial's power.
        cycle: restart beyond `decay_steps`.
        name: a name for the schedule.

    Returns:
        Called with a step, a float32 0-d tensor.

    Example:

    >>> from capas import keras
    >>> s = keras.optimizers.schedules.PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.0)
    >>> round(float(s(5)), 6)
    0.05
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        end_learning_rate=0.0001,
        power=1.0,
        cycle=False,
        name="PolynomialDecay",
    ):
        _check_positive_steps("PolynomialDecay", "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        step = _as_float_tensor(step)
        initial = _as_float_tensor(self.initial_learning_rate, step)
        end = _as_float_tensor(self.end_learning_rate, step)
        decay_steps = _as_float_tensor(self.decay_steps, step)
        if self.cycle:
            multiplier = torch.where(step == 0, torch.ones_like(step), torch.ceil(step / decay_steps))
            decay_steps = decay_steps * multiplier
        else:
            step = torch.minimum(step, decay_steps)
        p = step / decay_steps
        return (initial - end) * torch.pow(1 - p, _as_float_tensor(self.power, step)) + end

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }
