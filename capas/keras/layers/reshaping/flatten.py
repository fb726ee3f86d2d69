"""`Flatten`: collapses every dim but the batch dim."""

from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


def _flatten_rows(x):
    return x.reshape(x.shape[0], -1)


@register_builtin("layers")
class Flatten(Layer):
    """Flattens the input (keeping the batch dim).

    Args:
        data_format: 'channels_last' (default) or 'channels_first'; with
            channels_first, inputs are permuted to channels_last first, as Keras does.
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.dim() > 2:
            inputs = inputs.movedim(1, -1)
        return inputs.reshape(inputs.shape[0], -1)

    def _inference_fn(self):
        """`call` for one batch (`Layer._inference_fn`)."""
        if not self._calls_plainly(Flatten):
            return None
        return _flatten_rows if self.data_format == "channels_last" else self.call

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
