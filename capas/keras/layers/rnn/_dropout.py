"""Dropout masks for RNN cells: drawn once per sequence, reused at every step.

A cell mixes in `DropoutRNNCell` and holds `dropout`, `recurrent_dropout` and
`seed`. The RNN layer draws the masks before the time loop (so the fused and
the looped paths see the same masks) and clears them after the call.
"""

import torch


def _generator(owner, device):
    """A torch.Generator seeded from `owner.seed` (None: the global generator)."""
    if owner.seed is None:
        return None
    gens = vars(owner).get("_seed_generators")
    if gens is None:
        gens = {}
        owner._set_untracked(_seed_generators=gens)
    gen = gens.get(device)
    if gen is None:
        gen = torch.Generator(device=device)
        gen.manual_seed(int(owner.seed))
        gens[device] = gen
    return gen


def dropout_mask(owner, like, rate, count=None):
    """Keep-mask(s) scaled by 1/(1-rate), shaped like `like` (a list when `count`)."""
    gen = _generator(owner, like.device)
    shape = ((count,) if count else ()) + tuple(like.shape)
    keep = torch.rand(shape, generator=gen, device=like.device, dtype=like.dtype) >= rate
    mask = keep.to(like.dtype) / (1.0 - rate)
    return list(mask.unbind(0)) if count else mask


class DropoutRNNCell:
    """Mixin of RNN cells: cached per-sequence input and recurrent dropout masks."""

    dropout_mask_count = None

    def get_dropout_mask(self, step_input):
        if self.__dict__.get("_dropout_mask") is None and self.dropout > 0:
            self._set_untracked(_dropout_mask=dropout_mask(self, step_input, self.dropout, self.dropout_mask_count))
        return self.__dict__.get("_dropout_mask")

    def get_recurrent_dropout_mask(self, step_state):
        if self.__dict__.get("_recurrent_dropout_mask") is None and self.recurrent_dropout > 0:
            self._set_untracked(
                _recurrent_dropout_mask=dropout_mask(self, step_state, self.recurrent_dropout, self.dropout_mask_count)
            )
        return self.__dict__.get("_recurrent_dropout_mask")

    def reset_dropout_mask(self):
        self._set_untracked(_dropout_mask=None)

    def reset_recurrent_dropout_mask(self):
        self._set_untracked(_recurrent_dropout_mask=None)
