"""`CutMix`: pastes a random box of another image of the batch into each image (training only)."""

import torch

from capas.keras.layers.preprocessing._augment import keras_factor, uniform
from capas.keras.layers.preprocessing._mixing import _MixLayer
from capas.keras.layers.preprocessing.random_erasing import box_masks
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class CutMix(_MixLayer):
    """CutMix data augmentation technique.

    With `alpha` drawn per batch from `[lower, upper]` (`factor=f` gives
    `[0, f]`) and `w` per image from `Beta(alpha, alpha)`, each image gets a
    box of `sqrt(1 - w)` of its height and width, at a random position,
    replaced by the same box of `x[perm]` (a random permutation of the
    batch). Labels (in `{"images": ..., "labels": ...}`) are mixed by the
    share of the image the box leaves. An unbatched image passes unchanged;
    identity at inference.

    Args:
        factor: a float in [0, 1] or a pair: the range of `alpha` (default 1.0).
        seed: seed of the random draws.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> images, labels = tf.random.uniform((4, 8, 8, 3)), tf.one_hot([0, 1, 2, 1], 3)
    >>> out = layers.CutMix(seed=1)({"images": images, "labels": labels})
    >>> out["images"].shape, out["labels"].shape
    (torch.Size([4, 8, 8, 3]), torch.Size([4, 3]))
    """

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = keras_factor(self, factor, bounds=(0, 1))
        self.seed = seed

    def call(self, inputs, training=True):
        images = inputs.get("images") if isinstance(inputs, dict) else inputs
        if images is not None and torch.as_tensor(images).dim() == 3:  # Keras leaves a single image as it is
            return inputs if isinstance(inputs, dict) else self._cast(torch.as_tensor(images))
        return super().call(inputs, training=training)

    def get_random_transformation(self, data, training=True, seed=None):
        images = data["images"] if isinstance(data, dict) else data
        if not training or images.dim() == 3:
            return None
        n = images.shape[0]
        alpha = uniform(self, (), self.factor[0], self.factor[1], seed=seed) + 1e-6
        ratio = torch.sqrt(1.0 - self._beta(n, alpha, images.device, seed))
        masks, (x0, x1, y0, y1) = box_masks(self, images, ratio, ratio, seed)
        height, width = self._hw(images)
        mix_weight = 1.0 - (x1 - x0) * (y1 - y0) / (width * height)
        order = self._permutation(n, images.device, seed, dtype=torch.int32)
        return {"permutation_order": order, "batch_masks": masks, "mix_weight": mix_weight}

    def _transform(self, images, transformation):
        if transformation is None:
            return images
        order = torch.as_tensor(transformation["permutation_order"], device=images.device).long()
        masks = torch.as_tensor(transformation["batch_masks"], device=images.device).to(torch.bool)
        return torch.where(masks, images[order], images)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "seed": self.seed})
        return config
