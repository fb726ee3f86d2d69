"""`Muon`: orthogonalized momentum for matrices, AdamW for the rest (Jordan et al., 2024)."""

import re

import numpy as np
import torch

from capas.keras.optimizers import _groups
from capas.keras.optimizers.optimizer import Optimizer, host_float_type
from capas.keras.saving.object_registration import register_builtin


@register_builtin("optimizers")
class Muon(Optimizer):
    """The Muon optimizer, as Keras 3.15 computes it.

    2-D variables (dense kernels) take Muon's step: the momentum `m = momentum * m + g`,
    its Nesterov look-ahead `g + momentum * m` orthogonalized by `ns_steps` quintic
    Newton-Schulz iterations (coefficients `muon_a`, `muon_b`, `muon_c`), scaled by
    `sqrt(max(rows, cols)) * rms_rate` (the Moonlight rule; `rms_rate=None` skips it) and by
    the learning rate. Every other variable (biases, convolution kernels, and embeddings
    while `exclude_embeddings`, or paths matching a regex of `exclude_layers`) takes an
    AdamW step with `learning_rate * adam_lr_ratio`. Weight decay is `weight_decay` for the
    Muon variables and `adam_weight_decay` for the AdamW ones.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable (default 0.001).
        adam_beta_1, adam_beta_2, epsilon: AdamW's decay rates and epsilon.
        adam_weight_decay: the decay of the AdamW variables (default 0.004).
        weight_decay: the decay of the Muon variables (default 0.004).
        exclude_layers: regular expressions; variables whose path matches take AdamW.
        exclude_embeddings: variables with "embedding" in their path take AdamW.
        muon_a, muon_b, muon_c: the Newton-Schulz coefficients.
        adam_lr_ratio: the AdamW learning rate as a fraction of `learning_rate`.
        momentum: Muon's momentum (default 0.95).
        ns_steps: Newton-Schulz iterations (default 5).
        nesterov: use the Nesterov look-ahead (default True).
        rms_rate: the update-RMS matching factor (default 0.2; None to skip).
        clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
            name: as for `Optimizer`.

    Example:

    >>> import torch
    >>> from capas import keras
    >>> layer = keras.layers.Dense(3)
    >>> _ = layer(torch.ones(1, 4))
    >>> opt = keras.optimizers.Muon(learning_rate=0.01)
    >>> opt.apply([torch.ones(4, 3), torch.ones(3)], layer.trainable_variables)
    >>> [s is None for s in opt.adam_velocities]  # the kernel takes Muon, the bias AdamW
    [True, False]
    """

    def __init__(
        self,
        learning_rate=0.001,
        adam_beta_1=0.9,
        adam_beta_2=0.999,
        adam_weight_decay=0.004,
        epsilon=1e-7,
        weight_decay=0.004,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        exclude_layers=None,
        exclude_embeddings=True,
        muon_a=3.4445,
        muon_b=-4.7750,
        muon_c=2.0315,
        adam_lr_ratio=1,
        momentum=0.95,
        ns_steps=5,
        nesterov=True,
        rms_rate=0.2,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            name=name,
            **kwargs,
        )
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable):
        if variable.dim() != 2:
            return True
        path = getattr(variable, "path", "") or ""
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(pattern, path) for pattern in self.exclude_layers)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.momentums, self.adam_velocities = [], []
        for variable in var_list:  # Keras's order: each variable's momentum, then its velocity
            self.momentums.append(self.add_variable_from_reference(variable, "momentum"))
            adamw = self._should_use_adamw(variable)
            self.adam_velocities.append(self.add_variable_from_reference(variable, "velocity") if adamw else None)

    def _update(self, groups, grad_lists):
        # Keras's Muon decays each variable by its own rate (weight_decay or adam_weight_decay).
        grad_lists = _groups.clip(self, grad_lists)
        learning_rate = self._current_learning_rate()
        for group, grad_list in zip(groups, grad_lists):
            for gradient, variable in zip(grad_list, group.variables):
                rate = self.adam_weight_decay if self._should_use_adamw(variable) else self.weight_decay
                if rate is not None and self._use_weight_decay(variable):
                    variable.sub_(variable * rate * learning_rate)
                self.update_step(gradient, variable, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m, v = self.momentums[index], self.adam_velocities[index]
        gradient = gradient.to(variable.dtype)
        if v is not None:
            self._adamw_step(gradient, variable, learning_rate * self.adam_lr_ratio, m, v)
        else:
            self._muon_step(gradient, variable, learning_rate, m)

    def _adamw_step(self, gradient, variable, learning_rate, m, v):
        f = host_float_type(variable.dtype)  # Keras's scalar math is in the variable's dtype
        step, one = f(self._local_step()), f(1)
        alpha = f(learning_rate) * np.sqrt(one - f(self.adam_beta_2) ** step) / (one - f(self.adam_beta_1) ** step)
        m.add_((gradient - m) * (1 - self.adam_beta_1))
        v.add_((gradient.square() - v) * (1 - self.adam_beta_2))
        variable.sub_((m * float(alpha)) / (v.sqrt() + self.epsilon))

    def _muon_step(self, gradient, variable, learning_rate, m):
        m.add_(gradient + m * (self.momentum - 1))
        direction = gradient + self.momentum * m if self.nesterov else m
        update = learning_rate * self.zeropower_via_newtonschulz5(direction, self.ns_steps)
        variable.sub_(self.lr_adjust(update))

    def lr_adjust(self, x):
        """Scale a matrix update by `sqrt(max(rows, cols)) * rms_rate` (Moonlight), unless `rms_rate` is None."""
        if self.rms_rate is None:
            return x
        scale = np.sqrt(host_float_type(x.dtype)(max(x.shape[0], x.shape[1])))
        return x * float(scale) * self.rms_rate

    def zeropower_via_newtonschulz5(self, x, steps):
        """An approximate orthogonalization of `x` by `steps` quintic Newton-Schulz iterations."""
        if x.dim() < 2:
            raise ValueError(f"Expected gradient or momentum to have at least 2 dimensions. Received: shape={x.shape}")
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        tall = x.shape[-2] > x.shape[-1]
        if tall:
            x = x.transpose(-2, -1)
        x = x / (torch.linalg.matrix_norm(x, keepdim=True) + 1e-7)
        for _ in range(steps):
            gram = x @ x.transpose(-2, -1)
            x = a * x + (b * gram + c * gram @ gram) @ x
        return x.transpose(-2, -1) if tall else x

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "adam_beta_1": self.adam_beta_1,
                "adam_beta_2": self.adam_beta_2,
                "epsilon": self.epsilon,
                "exclude_layers": self.exclude_layers,
                "muon_a": self.muon_a,
                "muon_b": self.muon_b,
                "muon_c": self.muon_c,
                "adam_lr_ratio": self.adam_lr_ratio,
                "momentum": self.momentum,
                "ns_steps": self.ns_steps,
                "nesterov": self.nesterov,
                "exclude_embeddings": self.exclude_embeddings,
                "adam_weight_decay": self.adam_weight_decay,
                "rms_rate": self.rms_rate,
            }
        )
        return config
