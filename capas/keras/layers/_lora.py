"""Low-rank adaptation (LoRA) of a layer's kernel, as Keras 3 does it for `Dense`.

`enable_lora(rank)` freezes the kernel and adds two trainable variables,
`lora_kernel_a` (`(input_dim, rank)`, he_uniform) and `lora_kernel_b`
(`(rank, units)`, zeros); the layer then computes with
`kernel + (lora_alpha / rank) * lora_kernel_a @ lora_kernel_b`, so training
starts exactly where the frozen layer was. Files hold the merged kernel (Keras 3's
layout: no LoRA variables in the file); loading puts it into the kernel and resets
the two LoRA variables to zero, so a loaded model computes what was saved.
"""

import torch

from capas.keras import initializers


class LoraMixin:
    """`enable_lora`, the merged kernel, and the LoRA part of the config, for a layer with `kernel`."""

    def _init_lora(self, lora_rank, lora_alpha):
        if lora_rank is not None and (isinstance(lora_rank, bool) or not isinstance(lora_rank, int) or lora_rank <= 0):
            raise ValueError(
                f"{type(self).__name__} '{self.name}': `lora_rank` must be a positive integer or None, "
                f"received {lora_rank!r}."
            )
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform", b_initializer="zeros"):
        """Freeze the kernel and train a rank-`rank` update `lora_kernel_a @ lora_kernel_b` instead.

        Args:
            rank: the rank of the update (a positive integer).
            lora_alpha: the update is scaled by `lora_alpha / rank` (default `rank`: scale 1).
            a_initializer, b_initializer: initializers of the two LoRA variables.

        Example:

        >>> import capas as tf
        >>> from capas.keras import layers
        >>> layer = layers.Dense(3)
        >>> layer.build((None, 5))
        >>> layer.enable_lora(2)
        >>> layer.kernel.trainable, len(layer.trainable_weights)
        (False, 3)
        """
        name = f"{type(self).__name__} '{self.name}'"
        if getattr(self, "kernel_constraint", None):
            raise ValueError(
                f"{name}: LoRA is incompatible with kernel constraints; remove `kernel_constraint` to enable it."
            )
        if not self.built:
            raise ValueError(
                f"{name}: cannot enable LoRA on a layer that is not built yet; call it on data or "
                "layer.build(input_shape) first."
            )
        if self.lora_enabled:
            raise ValueError(f"{name}: LoRA is already enabled; it can be enabled once per layer.")
        if isinstance(rank, bool) or not isinstance(rank, int) or rank <= 0:
            raise ValueError(f"{name}: the LoRA rank must be a positive integer, received {rank!r}.")
        input_dim, units = self.kernel.shape
        self.lora_kernel_a = self.add_weight(
            name="lora_kernel_a",
            shape=(input_dim, rank),
            initializer=initializers.get(a_initializer),
            dtype="float32",
            regularizer=self.kernel_regularizer,
        )
        self.lora_kernel_b = self.add_weight(
            name="lora_kernel_b",
            shape=(rank, units),
            initializer=initializers.get(b_initializer),
            dtype="float32",
            regularizer=self.kernel_regularizer,
        )
        self.kernel.trainable = False
        self.lora_enabled = True
        self.lora_rank = rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else rank

    def merged_kernel(self):
        """The kernel the layer computes with: `kernel`, plus the scaled LoRA update when enabled."""
        if not self.lora_enabled:
            return self.kernel
        delta = torch.matmul(self.lora_kernel_a, self.lora_kernel_b) * (self.lora_alpha / self.lora_rank)
        return self.kernel + delta.to(self.kernel.dtype)

    # The saving code reads these two: the file holds [merged kernel, bias], as Keras 3 writes it.
    def _lora_saved_values(self):
        with torch.no_grad():
            values = [self.merged_kernel().detach()]
        return values + ([self.bias.detach()] if self.bias is not None else [])

    def _lora_loaded_targets(self):
        """`(variables the file's values go to, variables reset to zero)`."""
        targets = [self.kernel] + ([self.bias] if self.bias is not None else [])
        return targets, [self.lora_kernel_a, self.lora_kernel_b]

    def _lora_config(self):
        return {"lora_rank": self.lora_rank, "lora_alpha": self.lora_alpha} if self.lora_rank else {}
