"""`RandomCrop`: a random `height x width` window of each batch (training only)."""

import torch

from capas.keras.layers.preprocessing import _image_ops
from capas.keras.layers.preprocessing._augment import _AugmentLayer, uniform
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class RandomCrop(_AugmentLayer):
    """A preprocessing layer which randomly crops images during training.

    In training, one random window position is drawn per batch (all images
    share it). When the images are not larger than the target in both height
    and width, the window is centred instead and, where it runs past the
    image, the crop is resized (bilinear) to `(height, width)`. At inference
    the images pass unchanged, with their own size: Keras 3's behaviour (Keras
    2 centre-cropped at inference); put a `CenterCrop` or `Resizing` after
    the layer when inference needs the target size.

    Args:
        height: target height.
        width: target width.
        seed: seed of the window position.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> crop = layers.RandomCrop(4, 5, seed=1)
    >>> crop(tf.ones((2, 8, 10, 3))).shape, crop(tf.ones((2, 8, 10, 3)), training=False).shape
    (torch.Size([2, 4, 5, 3]), torch.Size([2, 8, 10, 3]))
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = int(height)
        self.width = int(width)
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        height, width = self._hw(data)
        if training and height > self.height and width > self.width:
            h = uniform(self, (), 0.0, float(height - self.height + 1), data.device, seed=seed)
            w = uniform(self, (), 0.0, float(width - self.width + 1), data.device, seed=seed)
            return int(h.to(torch.int32)), int(w.to(torch.int32))
        crop_height = max(min(height, int(float(width * self.height) / self.width)), 1)
        crop_width = max(min(width, int(float(height * self.width) / self.height)), 1)
        return int(float(height - crop_height) / 2), int(float(width - crop_width) / 2)

    def _transform(self, images, transformation):
        h0, w0 = (int(v) for v in transformation)
        rows, cols = slice(h0, h0 + self.height), slice(w0, w0 + self.width)
        if self.data_format == "channels_last":
            out = images[:, rows, cols, :]
        else:
            out = images[:, :, rows, cols]
        if tuple(self._hw(out)) != (self.height, self.width):
            x, undo = _image_ops.to_channels_first(out, self.data_format)
            out = undo(_image_ops.resize(x, (self.height, self.width)))
        return out

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h_axis = -3 if self.data_format == "channels_last" else -2
        shape[h_axis], shape[h_axis + 1] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update({"height": self.height, "width": self.width, "seed": self.seed})
        return config
