"""`Resizing`: resize images to `height x width` (F.interpolate, Keras's conventions)."""

from capas.keras.layers.preprocessing import _image_ops
from capas.keras.layers.preprocessing._image_layer import _ImageLayer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Resizing(_ImageLayer):
    """A preprocessing layer which resizes images.

    Args:
        height: output height.
        width: output width.
        interpolation: 'bilinear' (default), 'nearest', 'bicubic' or 'area'.
        crop_to_aspect_ratio: first crop the largest central region with the
            target aspect ratio (no distortion).
        pad_to_aspect_ratio: first pad symmetrically with `fill_value` to the
            target aspect ratio.
        fill_mode: only 'constant'.
        fill_value: the padding value.
        antialias: antialiasing filter when downsampling (bilinear/bicubic).
        data_format: 'channels_last' (default) or 'channels_first'.

    Input shape:
        `(..., height, width, channels)` (3-D or 4-D).

    Output shape:
        `(..., target_height, target_width, channels)`, float32.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Resizing(8, 6)(tf.ones((2, 4, 4, 3))).shape
    torch.Size([2, 8, 6, 3])
    """

    def __init__(
        self,
        height,
        width,
        interpolation="bilinear",
        crop_to_aspect_ratio=False,
        pad_to_aspect_ratio=False,
        fill_mode="constant",
        fill_value=0.0,
        antialias=False,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        if interpolation not in _image_ops.RESIZE_MODES:
            raise ValueError(
                f"Resizing '{self.name}': unknown interpolation {interpolation!r}; expected one of "
                f"{sorted(_image_ops.RESIZE_MODES)}."
            )
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                f"Resizing '{self.name}': only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True."
            )
        if fill_mode != "constant":
            raise ValueError(f"Resizing '{self.name}': only fill_mode='constant' is supported; received {fill_mode!r}.")
        self.height = int(height)
        self.width = int(width)
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def transform_images(self, images, transformation=None, training=True):
        size = (self.height, self.width)
        x, undo = _image_ops.to_channels_first(images, self.data_format)
        if self.crop_to_aspect_ratio:
            x = _image_ops.crop_to_aspect(x, size)
        elif self.pad_to_aspect_ratio:
            x = _image_ops.pad_to_aspect(x, size, self.fill_value)
        return undo(_image_ops.resize(x, size, self.interpolation, self.antialias))

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "height": self.height,
                "width": self.width,
                "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
                "fill_mode": self.fill_mode,
                "fill_value": self.fill_value,
                "antialias": self.antialias,
            }
        )
        return config
