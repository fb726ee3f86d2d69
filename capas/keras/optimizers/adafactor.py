"""`Adafactor`: factored second moments for matrices (Shazeer & Stern, 2018)."""

import numpy as np
import torch

from capas.keras.optimizers.optimizer import Optimizer
from capas.keras.optimizers.optimizer import host_float_type
from capas.variables import Variable
from capas.keras.saving.object_registration import register_builtin
from capas.keras.optimizers._sqrt import sqrt


def _rms(x):
    return sqrt(torch.mean(torch.square(x)))


@register_builtin("optimizers")
class Adafactor(Optimizer):
    """The Adafactor optimizer, as Keras 3 computes it.

    For variables of rank >= 2 the second moment is the outer product of a row
    and a column average (`r`, `c`), saving memory; for vectors it is a plain
    moving average. The step is `max(epsilon_2, rms(w)) * min(lr, 1/sqrt(t))`
    times the update clipped to RMS `clip_threshold`.

    The update runs once per variable (the factored shapes differ per
    variable); the per-variable scalars stay on the device.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        beta_2_decay: the decay exponent of the second-moment rate.
        epsilon_1: added to the squared gradient.
        epsilon_2: the lower bound of the variable RMS in the step size.
        clip_threshold: the update's RMS clipping threshold.
        relative_step: cap the rate at `1 / sqrt(t)` (ignored for schedules).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
            ema_momentum, ema_overwrite_frequency, loss_scale_factor,
            gradient_accumulation_steps, name: as for `Optimizer`.

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> w = tf.Variable([[1.0, 1.0], [1.0, 1.0]])
    >>> opt = keras.optimizers.Adafactor(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(tf.convert_to_tensor([[1.0, 1.0], [1.0, 1.0]]), w)])
    >>> [round(float(x), 5) for x in w.numpy().ravel()]
    [0.9, 0.9, 0.9, 0.9]
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay=-0.8,
        epsilon_1=1e-30,
        epsilon_2=1e-3,
        clip_threshold=1.0,
        relative_step=True,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
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
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for variable in var_list:
            short = (getattr(variable, "path", None) or "variable").rsplit("/", 1)[-1]
            shape = tuple(variable.shape)
            if len(shape) < 2:
                # Keras 3 tracks two unused scalar placeholders here; kept so the state lines up.
                for store in (self._r, self._c):
                    placeholder = Variable(0, name=short, dtype="int32", trainable=False)
                    self._variables.append(placeholder)
                    store.append(placeholder)
            else:
                kwargs = {"dtype": variable.dtype, "name": short, "device": variable.device}
                self._r.append(self.add_variable(shape[:-1], **kwargs))
                self._c.append(self.add_variable(shape[:-2] + shape[-1:], **kwargs))
            self._v.append(self.add_variable_from_reference(variable, "velocity"))

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        r, c, v = self._r[index], self._c[index], self._v[index]
        # Step scalars in the variable's precision, as Keras computes them.
        f = host_float_type(variable.dtype)
        step = f(self._local_step())
        rho_t = float(min(f(learning_rate), f(1) / np.sqrt(step)))
        beta_2_t = float(f(1) - step ** f(self.beta_2_decay))
        alpha_t = torch.clamp(_rms(variable), min=self.epsilon_2) * rho_t
        squared = torch.square(gradient) + self.epsilon_1
        if variable.dim() >= 2:
            r.copy_(beta_2_t * r + (1 - beta_2_t) * squared.mean(dim=-1))
            c.copy_(beta_2_t * c + (1 - beta_2_t) * squared.mean(dim=-2))
            v.copy_((r / r.mean(dim=-1, keepdim=True)).unsqueeze(-1) * c.unsqueeze(-2))
        else:
            v.copy_(beta_2_t * v + (1 - beta_2_t) * squared)
        u_t = gradient / sqrt(v)
        u_t_hat = u_t / torch.clamp(_rms(u_t) / self.clip_threshold, min=1.0)
        variable.sub_(alpha_t * u_t_hat)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1,
                "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold,
                "relative_step": self.relative_step,
            }
        )
        return config
