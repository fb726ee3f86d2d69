"""`AugMix`: mixes the image with several chains of random operations (training only)."""

import random as py_random

import torch

from capas.keras.layers.preprocessing import _policies
from capas.keras.layers.preprocessing._augment import _AugmentLayer, keras_factor, krandom, seed_generator
from capas.keras.saving.object_registration import register_builtin

_SOME = [
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_posterization",
    "solarization",
    "auto_contrast",
    "equalization",
]
_ALL = _SOME + ["random_brightness", "random_color_degeneration", "random_contrast", "random_sharpness"]


@register_builtin("layers")
class AugMix(_AugmentLayer):
    """Performs the AugMix data augmentation technique.

    `num_chains` chains each apply up to `chain_depth` operations picked at
    random (a pick may be "none") from shear, translation, rotation,
    posterization, solarization, auto-contrast and equalization (plus
    brightness, colour degeneration, contrast and sharpness when `all_ops`);
    the chains are mixed with Dirichlet(`alpha`) weights, and the result is
    `w x + (1 - w) mix` with `w ~ Beta(alpha, alpha)`, clipped to
    `value_range`. Draws are per batch. Identity at inference.

    Args:
        value_range: the `(min, max)` range of the images (default (0, 255)).
        num_chains: the number of chains (default 3).
        chain_depth: the most operations per chain (default 3).
        factor: a float in [0, 1] or a pair: the strength of the operations (default 0.3).
        alpha: the Dirichlet and Beta parameter (default 1.0).
        all_ops: include the colour operations (default True).
        interpolation: 'bilinear' (default) or 'nearest', for the geometric operations.
        seed: seed of the random draws.
        data_format: 'channels_last' (default) or 'channels_first'.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.AugMix(seed=1)(tf.random.uniform((2, 8, 8, 3), maxval=255.0)).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        value_range=(0, 255),
        num_chains=3,
        chain_depth=3,
        factor=0.3,
        alpha=1.0,
        all_ops=True,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        for arg, value in (("num_chains", num_chains), ("chain_depth", chain_depth)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"AugMix '{self.name}': `{arg}` must be an integer >= 1; received {value!r}.")
        self.value_range = value_range
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self.factor = keras_factor(self, factor, bounds=(0, 1))
        self.alpha = alpha
        self.all_ops = all_ops
        self.interpolation = interpolation
        self.seed = seed
        self._names = _ALL if all_ops else _SOME
        _policies.build_operations(self, self._names, self.factor, value_range, interpolation, seed, self.data_format)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        gen = seed_generator(self, seed)
        gammas = krandom().gamma((self.num_chains,), self.alpha, seed=gen)
        weights = (gammas / gammas.sum(-1, keepdim=True)).to(data.device)
        weight_sample = krandom().beta((), self.alpha, self.alpha, seed=gen)
        chains = []
        for _ in range(self.num_chains):
            chain = []
            for _ in range(self.chain_depth):
                # Keras picks with Python's global `random` (seeded by keras.utils.set_random_seed);
                # a seeded layer picks with a `random.Random(seed)` of its own, so that it repeats.
                name = self._picker().choice(list(self._names) + [None])
                if name is None:
                    continue
                layer = self._operations[name]
                chain.append({"layer_name": name, "transformation": _policies.draw(layer, data, gen)})
            chains.append(chain)
        return {"chain_mixing_weights": weights, "weight_sample": weight_sample, "chain_transforms": chains}

    def _picker(self):
        if self.seed is None:
            return py_random
        picker = vars(self).get("_py_random")
        if picker is None:
            picker = py_random.Random(self.seed)
            self._set_untracked(_py_random=picker)
        return picker

    def _transform(self, images, transformation):
        if transformation is None:
            return images
        weights = torch.as_tensor(transformation["chain_mixing_weights"], device=images.device).to(images.dtype)
        weight_sample = torch.as_tensor(transformation["weight_sample"], device=images.device).to(images.dtype)
        mixed = torch.zeros_like(images)
        for index, chain in enumerate(transformation["chain_transforms"]):
            chained = images.clone()
            for step in chain:
                chained = _policies.apply(self._operations[step["layer_name"]], chained, step["transformation"])
            mixed = mixed + chained * weights[index]
        out = weight_sample * images + (1 - weight_sample) * mixed
        return out.clamp(self.value_range[0], self.value_range[1])

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "value_range": self.value_range,
                "num_chains": self.num_chains,
                "chain_depth": self.chain_depth,
                "factor": self.factor,
                "alpha": self.alpha,
                "all_ops": self.all_ops,
                "interpolation": self.interpolation,
                "seed": self.seed,
            }
        )
        return config
