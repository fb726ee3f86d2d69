"""`MixUp`: convex combinations of images (and labels) with a shuffled copy of the batch (training only)."""

import torch

from capas.keras.layers.preprocessing._augment import per_image
from capas.keras.layers.preprocessing._mixing import _MixLayer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class MixUp(_MixLayer):
    """MixUp implements the MixUp data augmentation technique.

    Each image becomes `w * x + (1 - w) * x[perm]`, with `perm` a random
    permutation of the batch and `w` drawn per image from
    `Beta(alpha, alpha)`; called on `{"images": ..., "labels": ...}` the
    labels are mixed with the same `w`. Identity at inference.

    Args:
        alpha: the Beta distribution's parameter (default 0.2).
        data_format: 'channels_last' (default) or 'channels_first'.
        seed: seed of the random draws.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> images, labels = tf.random.uniform((4, 8, 8, 3)), tf.one_hot([0, 1, 2, 1], 3)
    >>> out = layers.MixUp(seed=1)({"images": images, "labels": labels})
    >>> out["images"].shape, out["labels"].shape
    (torch.Size([4, 8, 8, 3]), torch.Size([4, 3]))
    """

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.alpha = alpha
        self.seed = seed

    def get_random_transformation(self, data, training=True, seed=None):
        images = data["images"] if isinstance(data, dict) else data
        n = images.shape[0] if images.dim() == 4 else 1
        order = self._permutation(n, images.device, seed)
        return {"mix_weight": self._beta(n, self.alpha, images.device, seed), "permutation_order": order}

    def _transform(self, images, transformation):
        order = torch.as_tensor(transformation["permutation_order"], device=images.device).long()
        weight = per_image(transformation["mix_weight"], images).to(images.dtype)
        return weight * images + (1.0 - weight) * images[order]

    def get_config(self):
        config = super().get_config()
        config.update({"alpha": self.alpha, "seed": self.seed})
        return config
