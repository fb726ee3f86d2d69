"""`Solarization`: inverts the values at or above a random threshold (training only)."""

import torch

from capas.keras.layers.preprocessing._augment import _AugmentLayer, checked_value_range, to_range, uniform
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Solarization(_AugmentLayer):
    """A preprocessing layer which applies solarization to images during training.

    Values are mapped from `value_range` to [0, 255]; a per-image `addition`
    is added (clipped to [0, 255]); values `>= threshold` become
    `255 - value`; the result is mapped back. `addition` is drawn from
    `[a_lo, a_hi * 255]` and `threshold` from `[t_lo, t_hi * 255]`, where
    `(lo, hi)` is `(0, f)` for a number `f` (Keras 3's rule: the lower end
    is not scaled by 255). With the defaults (0, 0) every value is inverted.
    Identity at inference.

    Args:
        addition_factor: a number in [0, 1] or a pair of them (default 0.0).
        threshold_factor: a number in [0, 1] or a pair of them (default 0.0).
        value_range: the `(min, max)` range of the images (default (0, 255)).
        seed: seed of the random draws.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> out = layers.Solarization(value_range=(0, 1))(tf.constant([[[0.0, 0.25, 1.0]]]))
    >>> [float(v) for v in tf.reshape(out, [-1])]
    [1.0, 0.75, 0.0]
    """

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.addition_factor = self._factor(addition_factor, "addition_factor")
        self.threshold_factor = self._factor(threshold_factor, "threshold_factor")
        self.value_range = checked_value_range(self, value_range)

    def _factor(self, factor, arg):
        message = (
            f"Solarization '{self.name}': `{arg}` must be a number or a pair of numbers in [0, 1]; "
            f"received {arg}={factor!r}."
        )
        values = list(factor) if isinstance(factor, (tuple, list)) else [factor]
        if len(values) not in (1, 2) or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in values):
            raise ValueError(message)
        if any(v < 0 or v > 1 for v in values):
            raise ValueError(message)
        return tuple(sorted(values)) if len(values) == 2 else (0, values[0])

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = (data.shape[0], 1, 1, 1) if data.dim() == 4 else (1, 1, 1)
        a, t = self.addition_factor, self.threshold_factor
        return {
            "additions": uniform(self, shape, a[0], a[1] * 255, data.device, seed=seed),
            "thresholds": uniform(self, shape, t[0], t[1] * 255, data.device, seed=seed),
        }

    def _transform(self, images, transformation):
        if transformation is None:
            return images
        thresholds = torch.as_tensor(transformation["thresholds"], dtype=images.dtype, device=images.device)
        additions = torch.as_tensor(transformation["additions"], dtype=images.dtype, device=images.device)
        values = (to_range(images, self.value_range, (0, 255)) + additions).clamp(0, 255)
        values = torch.where(values < thresholds, values, 255 - values)
        return to_range(values, (0, 255), self.value_range)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "value_range": self.value_range,
                "addition_factor": self.addition_factor,
                "threshold_factor": self.threshold_factor,
                "seed": self.seed,
            }
        )
        return config
