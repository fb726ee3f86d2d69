"""`BaseCropping`: slice rows off the start and end of each spatial dim (a view)."""

from capas.keras.layers.convolutional import _conv_utils as U
from capas.keras.layers.layer import Layer
from capas.keras.layers.reshaping._spatial_utils import normalize_pairs, spatial_axes


class BaseCropping(Layer):
    """Crops `(before, after)` entries along each spatial dim."""

    rank = None

    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.cropping = normalize_pairs(cropping, self.rank, "cropping", f"{type(self).__name__} '{self.name}'")
        self.data_format = U.normalize_data_format(data_format, type(self).__name__)
        self.supports_masking = False

    def call(self, inputs):
        want = self.rank + 2
        if inputs.dim() != want:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects a {want}-D input, but received a {inputs.dim()}-D "
                f"input of shape {tuple(inputs.shape)}."
            )
        index = [slice(None)] * inputs.dim()
        for axis, (before, after) in zip(spatial_axes(self.rank, self.data_format, inputs.dim()), self.cropping):
            length = inputs.shape[axis]
            if before + after >= length:
                raise ValueError(
                    f"{type(self).__name__} '{self.name}': cropping {self.cropping} removes all of dim {axis} "
                    f"(size {length}) of input shape {tuple(inputs.shape)}. Crop fewer entries."
                )
            index[axis] = slice(before, length - after)
        return inputs[tuple(index)]

    def get_config(self):
        config = super().get_config()
        config["cropping"] = self.cropping
        config["data_format"] = self.data_format
        return config
