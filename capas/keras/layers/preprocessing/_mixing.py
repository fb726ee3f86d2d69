"""The base of MixUp and CutMix: images mixed with a shuffled copy of the batch, labels mixed alike.

Called on a tensor, only the images are mixed; called on a dict
`{"images": ..., "labels": ...}` (Keras's form), the labels are mixed with
the same weights and the dict is returned.
"""

import torch

from capas.keras.layers._symbolic import in_symbolic_call
from capas.keras.layers.preprocessing._augment import _AugmentLayer, krandom, seed_generator


class _MixLayer(_AugmentLayer):
    def call(self, inputs, training=True):
        if not isinstance(inputs, dict):
            return super().call(inputs, training=training)
        if "images" not in inputs:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': a dict input needs an 'images' entry (and optionally "
                f"'labels'); received keys {sorted(inputs)}."
            )
        images = torch.as_tensor(inputs["images"])
        self._check_rank(images)
        out = dict(inputs)
        images = self._cast(images)
        if in_symbolic_call():
            out["images"] = images
            if "labels" in inputs:
                out["labels"] = self._cast(torch.as_tensor(inputs["labels"]))
            return out
        if not training:
            out["images"] = images
            return out
        transformation = self.get_random_transformation(images, training=training)
        out["images"] = self.transform_images(images, transformation, training=training)
        if "labels" in inputs:
            out["labels"] = self.transform_labels(torch.as_tensor(inputs["labels"]), transformation, training=training)
        return out

    def transform_labels(self, labels, transformation, training=True):
        """Mix labels (one-hot or soft, `(batch, classes)`) with the weights the images got."""
        if not training or transformation is None:
            return labels
        labels = self._cast(torch.as_tensor(labels))
        order = torch.as_tensor(transformation["permutation_order"], device=labels.device).long()
        weight = torch.as_tensor(transformation["mix_weight"], device=labels.device).to(labels.dtype).reshape(-1, 1)
        return weight * labels + (1.0 - weight) * labels[order]

    def _permutation(self, n, device, seed=None, dtype=torch.int64):
        """A random order of the batch, `keras.random.shuffle` of `arange(n)` (Keras's draw)."""
        order = krandom().shuffle(torch.arange(0, n, dtype=dtype), seed=seed_generator(self, seed))
        return order.to(device)

    def _beta(self, n, alpha, device, seed=None):
        """`n` Beta(alpha, alpha) samples, `keras.random.beta` (Keras's draw)."""
        return krandom().beta((n,), alpha, alpha, seed=seed_generator(self, seed)).to(device)
