"""Random draws of the random preprocessing layers: a per-layer seeded generator, or torch's global one."""

import torch


def generator(layer, device):
    """A torch.Generator seeded from `layer.seed` on `device` (None when the layer has no seed)."""
    seed = getattr(layer, "seed", None)
    if seed is None:
        return None
    gens = vars(layer).get("_seed_generators")
    if gens is None:
        gens = {}
        layer._set_untracked(_seed_generators=gens)
    key = str(device)
    if key not in gens:
        gen = torch.Generator(device=device)
        gen.manual_seed(int(seed))
        gens[key] = gen
    return gens[key]


def uniform(layer, shape, low, high, device, dtype=torch.float32):
    """Uniform samples in [low, high) of `shape`."""
    u = torch.rand(shape, generator=generator(layer, device), device=device, dtype=dtype)
    return u * (high - low) + low
