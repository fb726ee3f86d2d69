"""Shared pieces of RandomRotation, RandomZoom and RandomTranslation: factors and the affine warp."""

import torch

from capas.keras.layers.preprocessing import _image_ops
from capas.keras.layers.preprocessing._image_layer import _ImageLayer, to_nhwc


def factor_range(layer, factor, arg, allow_minus_one=True):
    """`(lower, upper)` from a float `f` (-> (-f, f)) or a pair, each in [-1, 1]."""

    def check(v):
        if v > 1.0 or v < -1.0 or (not allow_minus_one and v <= -1.0):
            raise ValueError(
                f"{type(layer).__name__} '{layer.name}': `{arg}` must be a float or a pair of floats in "
                f"[-1, 1]; received {arg}={factor!r}."
            )

    if isinstance(factor, (tuple, list)) and len(factor) == 2:
        check(factor[0])
        check(factor[1])
        return tuple(sorted(float(f) for f in factor))
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        check(factor)
        return -abs(float(factor)), abs(float(factor))
    raise ValueError(
        f"{type(layer).__name__} '{layer.name}': `{arg}` must be a float or a pair of floats; received {factor!r}."
    )


class _AffineLayer(_ImageLayer):
    """Random affine warps with Keras's fill modes and interpolations."""

    _FILL_MODES = ("reflect", "wrap", "constant", "nearest")

    def __init__(
        self, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0, data_format=None, **kwargs
    ):
        super().__init__(data_format=data_format, **kwargs)
        if fill_mode not in self._FILL_MODES:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': unknown fill_mode {fill_mode!r}; expected one of "
                f"{list(self._FILL_MODES)}."
            )
        if interpolation not in _image_ops.INTERPOLATIONS:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': unknown interpolation {interpolation!r}; expected "
                "'nearest' or 'bilinear'."
            )
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.seed = seed
        self.fill_value = fill_value

    def _matrices(self, transformation, height, width, device):
        raise NotImplementedError

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        x, undo = to_nhwc(images, self.data_format)
        height, width = x.shape[1], x.shape[2]
        matrices = self._matrices(transformation, height, width, x.device).reshape(-1, 8).to(torch.float32)
        out = _image_ops.affine_transform(x, matrices, self.interpolation, self.fill_mode, self.fill_value)
        return undo(out.to(images.dtype))

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "fill_mode": self.fill_mode,
                "interpolation": self.interpolation,
                "seed": self.seed,
                "fill_value": self.fill_value,
            }
        )
        return config
