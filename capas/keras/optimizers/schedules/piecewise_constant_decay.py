"""`PiecewiseConstantDecay`: constant rates between step boundaries."""

import torch

from capas.keras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from capas.keras.saving.object_registration import register_builtin


@register_builtin("schedules")
class PiecewiseConstantDecay(LearningRateSchedule):
    """A piecewise constant learning rate.

    `values[0]` while `step <= boundaries[0]`, `values[i]` while
    `boundaries[i-1] < step <= boundaries[i]`, and `values[-1]` after the last
    boundary.

    Args:
        boundaries: increasing step boundaries.
        values: the rates, one more than `boundaries`.
        name: a name for the schedule.

    Returns:
        Called with a step, a float32 0-d tensor.

    Raises:
        ValueError: when `len(values) != len(boundaries) + 1`.

    Example:

    >>> from capas import keras
    >>> s = keras.optimizers.schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    >>> [float(s(k)) for k in (10, 11, 21)]
    [1.0, 0.5, 0.10000000149011612]
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "PiecewiseConstantDecay: the length of `boundaries` should be 1 less than the length "
                f"of `values`. Received: boundaries={boundaries} of length {len(boundaries)}, "
                f"and values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = torch.as_tensor(step).detach()
        device = step.device
        bounds = torch.as_tensor(self.boundaries, device=device).to(step.dtype)
        values = torch.as_tensor(self.values, dtype=torch.float32, device=device)
        # The number of boundaries strictly below the step picks the value.
        index = torch.searchsorted(bounds, step.reshape(1), right=False)
        return values[index].reshape(())

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}
