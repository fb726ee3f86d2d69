"""`CenterCrop`: the central `height x width` region of each image (resized when smaller)."""

from capas.keras.layers.preprocessing import _image_ops
from capas.keras.layers.preprocessing._image_layer import _ImageLayer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class CenterCrop(_ImageLayer):
    """A preprocessing layer which crops images.

    Returns the central `(height, width)` crop; an image smaller than the
    target in either dimension is instead cropped to the target aspect ratio
    and resized (bilinear), as Keras's `smart_resize` does. Output dtype:
    the compute dtype (float32).

    Args:
        height: target height.
        width: target width.
        data_format: 'channels_last' (default) or 'channels_first'.

    Input shape:
        `(..., height, width, channels)` (3-D or 4-D).

    Output shape:
        `(..., target_height, target_width, channels)`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.CenterCrop(2, 3)(tf.ones((1, 4, 5, 3))).shape
    torch.Size([1, 2, 3, 3])
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = int(height)
        self.width = int(width)

    def transform_images(self, images, transformation=None, training=True):
        h, w = self._hw(images)
        if h >= self.height and w >= self.width:
            h0, w0 = (h - self.height) // 2, (w - self.width) // 2
            if self.data_format == "channels_last":
                return images[..., h0 : h0 + self.height, w0 : w0 + self.width, :]
            return images[..., h0 : h0 + self.height, w0 : w0 + self.width]
        x, undo = _image_ops.to_channels_first(images, self.data_format)
        x = _image_ops.crop_to_aspect(x, (self.height, self.width))
        return undo(_image_ops.resize(x, (self.height, self.width)))

    def get_config(self):
        config = super().get_config()
        config.update({"height": self.height, "width": self.width})
        return config
