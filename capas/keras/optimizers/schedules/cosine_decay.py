"""`CosineDecay` (with optional linear warmup) and `CosineDecayRestarts` (SGDR)."""

import math

import torch

from capas.keras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from capas.keras.optimizers.schedules.learning_rate_schedule import _as_float_tensor
from capas.keras.optimizers.schedules.learning_rate_schedule import _check_positive_steps
from capas.keras.saving.object_registration import register_builtin


def _cosine(fraction, alpha):
    decayed = 0.5 * (1.0 + torch.cos(math.pi * fraction))
    return (1 - alpha) * decayed + alpha


@register_builtin("schedules")
class CosineDecay(LearningRateSchedule):
    """A cosine decay, optionally after a linear warmup.

    Without warmup: `lr(step) = initial * ((1 - alpha) * 0.5 * (1 + cos(pi *
    min(step, decay_steps) / decay_steps)) + alpha)`. With `warmup_target`,
    the rate first grows linearly from `initial_learning_rate` to
    `warmup_target` over `warmup_steps`, then decays from `warmup_target`.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the length of the decay; must be > 0.
        alpha: the final rate as a fraction of the decayed-from rate.
        name: a name for the schedule.
        warmup_target: the rate reached at the end of the warmup, or None.
        warmup_steps: the length of the warmup.

    Returns:
        Called with a step, a float32 0-d tensor.

    Example:

    >>> from capas import keras
    >>> s = keras.optimizers.schedules.CosineDecay(0.1, decay_steps=10)
    >>> round(float(s(5)), 6)
    0.05
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        alpha=0.0,
        name="CosineDecay",
        warmup_target=None,
        warmup_steps=0,
    ):
        _check_positive_steps("CosineDecay", "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target

    def __call__(self, step):
        step = _as_float_tensor(step)
        initial = _as_float_tensor(self.initial_learning_rate, step)
        decay_steps = _as_float_tensor(self.decay_steps, step)
        if self.warmup_target is None:
            step = torch.minimum(step, decay_steps)
            return initial * _cosine(step / decay_steps, self.alpha)
        target = _as_float_tensor(self.warmup_target, step)
        warmup_steps = _as_float_tensor(self.warmup_steps, step)
        step = torch.minimum(step, decay_steps + warmup_steps)
        # Both branches are computed and one is selected, so no host sync.
        warm = (target - initial) * (step / warmup_steps) + initial
        decay = target * _cosine((step - warmup_steps) / decay_steps, self.alpha)
        return torch.where(step < warmup_steps, warm, decay)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


@register_builtin("schedules")
class CosineDecayRestarts(LearningRateSchedule):
    """A cosine decay with warm restarts (SGDR, Loshchilov & Hutter 2016).

    The first period lasts `first_decay_steps`; each next period is `t_mul`
    times longer and starts from `m_mul` times the previous initial rate.

    Args:
        initial_learning_rate: the rate at step 0.
        first_decay_steps: the length of the first period; must be > 0.
        t_mul: the growth factor of the period length.
        m_mul: the factor of the initial rate of each period.
        alpha: the minimum rate as a fraction of `initial_learning_rate`.
        name: a name for the schedule.

    Returns:
        Called with a step, a float32 0-d tensor.

    Example:

    >>> from capas import keras
    >>> s = keras.optimizers.schedules.CosineDecayRestarts(0.1, first_decay_steps=10)
    >>> round(float(s(10)), 6)
    0.1
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name="SGDRDecay"):
        _check_positive_steps("CosineDecayRestarts", "first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        step = _as_float_tensor(step)
        initial = _as_float_tensor(self.initial_learning_rate, step)
        t_mul = _as_float_tensor(self._t_mul, step)
        fraction = step / _as_float_tensor(self.first_decay_steps, step)
        if self._t_mul == 1.0:
            restart = torch.floor(fraction)
            fraction = fraction - restart
        else:
            restart = torch.floor(torch.log(1.0 - fraction * (1.0 - t_mul)) / torch.log(t_mul))
            done = (1.0 - torch.pow(t_mul, restart)) / (1.0 - t_mul)
            fraction = (fraction - done) / torch.pow(t_mul, restart)
        m_fac = torch.pow(_as_float_tensor(self._m_mul, step), restart)
        decayed = 0.5 * m_fac * (1.0 + torch.cos(math.pi * fraction))
        alpha = _as_float_tensor(self.alpha, step)
        return initial * ((1 - alpha) * decayed + alpha)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }
