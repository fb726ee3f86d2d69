"""`RandomGaussianBlur`: blurs random images with a Gaussian kernel of random width (training only)."""

import torch
import torch.nn.functional as F

from capas.keras.layers.preprocessing._augment import _AugmentLayer, keras_factor, per_image, uniform
from capas.keras.saving.object_registration import register_builtin


def gaussian_blur(images, kernel_size, sigma, data_format):
    """Depthwise Gaussian blur of 4-D `images`, kernel `(k0, k1)`, `sigma = (sigma_x, sigma_y)`, zero padding."""
    x = images.permute(0, 3, 1, 2) if data_format == "channels_last" else images
    sigma = torch.as_tensor(sigma, dtype=x.dtype, device=x.device).reshape(-1)

    def kernel1d(size, s):
        t = torch.arange(size, dtype=x.dtype, device=x.device) - (size - 1) / 2
        k = torch.exp(-0.5 * (t / s) ** 2)
        return k / k.sum()

    k0, k1 = int(kernel_size[0]), int(kernel_size[1])
    kernel = torch.outer(kernel1d(k1, sigma[1]), kernel1d(k0, sigma[0])).reshape(1, 1, k0, k1)
    channels = x.shape[1]
    out = F.conv2d(x, kernel.expand(channels, 1, k0, k1), padding=k0 // 2, groups=channels)
    return out.permute(0, 2, 3, 1) if data_format == "channels_last" else out


@register_builtin("layers")
class RandomGaussianBlur(_AugmentLayer):
    """A preprocessing layer which randomly blurs images during training.

    Each image is blurred with probability `p`, itself drawn per image from
    `[lower, upper]` (`factor=f` gives `[0, f]`). One pair of standard
    deviations `(sigma_x, sigma_y)` is drawn per batch from the `sigma`
    range (`sigma=s` gives `[0, s]`); the kernel is `kernel_size` square
    with zero padding at the border; results are clipped to `value_range`.
    Identity at inference.

    Args:
        factor: a float in [0, 1] or a pair: the range of the blur probability (default 1.0).
        kernel_size: an odd integer (or a pair of equal odd integers), default 3.
        sigma: a float in [0, 1] or a pair: the range of the standard deviations (default 1.0).
        value_range: the `(min, max)` range of the images (default (0, 255)).
        data_format: 'channels_last' (default) or 'channels_first'.
        seed: seed of the random draws.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.RandomGaussianBlur(kernel_size=5, seed=1)(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255), data_format=None, seed=None, **kwargs
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = keras_factor(self, factor, bounds=(0, 1))
        sizes = list(kernel_size) if isinstance(kernel_size, (tuple, list)) else [kernel_size, kernel_size]
        if len(sizes) != 2 or any(isinstance(k, bool) or not isinstance(k, int) or k < 1 or k % 2 == 0 for k in sizes):
            raise ValueError(
                f"RandomGaussianBlur '{self.name}': `kernel_size` must be an odd positive integer or a pair of "
                f"them; received kernel_size={kernel_size!r}."
            )
        self.kernel_size = tuple(sizes)
        self.sigma = keras_factor(self, sigma, bounds=(0, 1), arg="sigma")
        self.value_range = value_range
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = data.shape[0] if data.dim() == 4 else 1
        probability = uniform(self, (n,), self.factor[0], self.factor[1], data.device, seed=seed)
        threshold = uniform(self, (n,), 0.0, 1.0, data.device, seed=seed)
        sigma = uniform(self, (2,), self.sigma[0], self.sigma[1], data.device, seed=seed) + 1e-6
        return {"should_apply_blur": threshold < probability, "blur_factor": sigma}

    def _transform(self, images, transformation):
        if transformation is None:
            return images
        blurred = gaussian_blur(images, self.kernel_size, transformation["blur_factor"], self.data_format)
        apply = per_image(transformation["should_apply_blur"], images).to(torch.bool)
        return torch.where(apply, blurred, images).clamp(self.value_range[0], self.value_range[1])

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "factor": self.factor,
                "kernel_size": self.kernel_size,
                "sigma": self.sigma,
                "value_range": self.value_range,
                "seed": self.seed,
            }
        )
        return config
