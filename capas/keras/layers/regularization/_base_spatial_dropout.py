"""`BaseSpatialDropout`: dropout of whole feature maps (channels)."""

from capas.keras.layers.convolutional import _conv_utils as U
from capas.keras.layers.layer import Layer


class BaseSpatialDropout(Layer):
    """Drops entire channels: one keep/drop draw per (example, channel), shared over the spatial dims."""

    rank = None

    def __init__(self, rate, seed=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"{type(self).__name__} '{self.name}': `rate` must be in [0, 1], received {rate}.")
        self.rate = float(rate)
        self.seed = seed
        self.data_format = U.normalize_data_format(data_format, type(self).__name__)
        self.supports_masking = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        want = self.rank + 2
        if inputs.dim() != want:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects a {want}-D input (batch, {self.rank} spatial dims "
                f"and channels), but received a {inputs.dim()}-D input of shape {tuple(inputs.shape)}."
            )
        shape = [1] * inputs.dim()
        shape[0] = inputs.shape[0]
        channel = -1 if self.data_format == "channels_last" else 1
        shape[channel] = inputs.shape[channel]
        if self.rate >= 1:
            return inputs * 0
        keep = inputs.new_empty(shape).bernoulli_(1.0 - self.rate)
        return inputs * keep.div_(1.0 - self.rate)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config
