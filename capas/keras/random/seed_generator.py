"""`keras.random.SeedGenerator`: a seed state that advances on every random op that uses it."""

import random as _py_random

import torch

from capas.keras.utils.naming import uniquify


class SeedGenerator:
    """Generates a new seed for each random op that receives it.

    Keras 3's stateful seed: a `[seed, counter]` pair. Each draw returns the
    current pair and advances the counter, so a layer that holds one gets new
    random numbers on every call, reproducibly from its initial seed.

    Args:
        seed: initial integer seed; None picks a random one.
        name: optional name.

    Example:

    >>> from capas import keras
    >>> gen = keras.random.SeedGenerator(seed=42)
    >>> a = keras.random.normal((2,), seed=gen)
    >>> b = keras.random.normal((2,), seed=gen)
    >>> bool((a == b).all())
    False
    >>> bool((keras.random.normal((2,), seed=keras.random.SeedGenerator(42)) == a).all())
    True
    """

    def __init__(self, seed=None, name=None, **kwargs):
        if kwargs:
            raise ValueError(f"SeedGenerator: unrecognized keyword arguments {sorted(kwargs)}.")
        self.name = name or uniquify("seed_generator")
        self._initial_seed = seed
        if seed is None:
            seed = _py_random.randint(1, int(1e9))
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ValueError(f"SeedGenerator: `seed` must be an integer, received seed={seed!r}.")
        self.state = torch.tensor([seed, 0], dtype=torch.int64)

    def next(self, ordered=True):
        """The current `[seed, counter]` state (a copy); then advance it."""
        current = self.state.clone()
        if ordered:
            self.state = self.state + torch.tensor([0, 1])
        else:
            # Near-unique numbers below ~1M, as Keras's global generator draws them.
            self.state = (self.state + 1) * 5387 % 933199
        return current

    def get_config(self):
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name!r} state={self.state.tolist()}>"


_GLOBAL = {}


def global_seed_generator():
    """The generator unseeded keras.random ops draw from (reset by `keras.utils.set_random_seed`)."""
    gen = _GLOBAL.get("gen")
    if gen is None:
        gen = _GLOBAL["gen"] = SeedGenerator()
    return gen


def draw_seed(seed):
    """`seed` (int, SeedGenerator or None) -> the `[a, b]` pair that seeds one op."""
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, int) and not isinstance(seed, bool):
        return torch.tensor([seed & 0xFFFFFFFF, 0], dtype=torch.int64)
    if seed is None:
        return global_seed_generator().next(ordered=False)
    raise ValueError(
        f"keras.random: `seed` must be an integer or a keras.random.SeedGenerator, received seed={seed!r} "
        f"of type {type(seed).__name__}."
    )


def torch_generator(seed, device=None):
    """A torch.Generator seeded from `seed` the way Keras's torch backend seeds one."""
    first, second = (int(v) for v in draw_seed(seed))
    generator = torch.Generator(device=device or "cpu")
    generator.manual_seed((first + second) & 0xFFFFFFFF)
    return generator
