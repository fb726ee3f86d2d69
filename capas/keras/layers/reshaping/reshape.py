"""`Reshape`: reshapes each sample to a target shape."""

import math

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Reshape(Layer):
    """Reshapes inputs to `(batch_size,) + target_shape` (one dim may be -1).

    Args:
        target_shape: the shape of one sample, e.g. `(28, 28, 1)`.
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)
        if sum(d == -1 for d in self.target_shape) > 1:
            raise ValueError(f"Reshape '{self.name}': at most one -1 in target_shape {self.target_shape}.")

    def _inference_fn(self):
        """`call`: the reshape of a batch (`Layer._inference_fn`)."""
        return self._own_call_fn(Reshape)

    def call(self, inputs):
        sample = math.prod(inputs.shape[1:])
        target = [d for d in self.target_shape if d != -1]
        known = math.prod(target)
        if (-1 in self.target_shape and (known == 0 or sample % known)) or (
            -1 not in self.target_shape and known != sample
        ):
            raise ValueError(
                f"Reshape '{self.name}': cannot reshape an input of shape {tuple(inputs.shape)} "
                f"({sample} values per sample) to target_shape {self.target_shape} ({known} values). "
                "The total size per sample must stay the same."
            )
        return inputs.reshape((inputs.shape[0],) + self.target_shape)

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = list(self.target_shape)
        return config
