"""`Identity`: returns its input unchanged."""

from capas.keras.layers.layer import Layer, inference_identity
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Identity(Layer):
    """A layer that returns its input unchanged (a placeholder in architectures)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def _inference_fn(self):
        """The input itself (`Layer._inference_fn`)."""
        return inference_identity if self._calls_plainly(Identity) else None
