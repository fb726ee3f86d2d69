"""`Adamax`: Adam with the infinity norm in place of the second moment."""

import torch

from capas.keras.optimizers.optimizer import Optimizer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("optimizers")
class Adamax(Optimizer):
    """The Adamax optimizer (Kingma & Ba, 2014, section 7), as Keras 3 computes it.

    `m = beta_1 * m + (1 - beta_1) * g`, `u = max(beta_2 * u, |g|)`,
    `w -= learning_rate * m / ((1 - beta_1**t) * (u + epsilon))`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        beta_1: the decay rate of the first moment.
        beta_2: the decay rate of the infinity norm.
        epsilon: a small constant for numerical stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
            ema_momentum, ema_overwrite_frequency, loss_scale_factor,
            gradient_accumulation_steps, name: as for `Optimizer`.

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> w = tf.Variable(1.0)
    >>> opt = keras.optimizers.Adamax(learning_rate=0.001)
    >>> _ = opt.apply_gradients([(tf.convert_to_tensor(2.0), w)])
    >>> round(float(w.numpy()), 6)
    0.999
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
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
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m = self._m[index]
        u = self._u[index]
        m.add_((gradient - m) * (1 - self.beta_1))
        u.copy_(torch.maximum(self.beta_2 * u, torch.abs(gradient)))
        correction = 1 - self.beta_1 ** self._local_step()
        variable.sub_(learning_rate * m / (correction * (u + self.epsilon)))

    def _apply_foreach(self, group, grads, learning_rate):
        m = group.take(self._m)
        u = group.take(self._u)
        torch._foreach_mul_(m, self.beta_1)
        torch._foreach_add_(m, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(u, self.beta_2)
        torch._foreach_maximum_(u, torch._foreach_abs(grads))
        denominators = torch._foreach_add(u, self.epsilon)
        correction = 1 - self.beta_1 ** self._local_step()
        torch._foreach_addcdiv_(group.variables, m, denominators, value=-learning_rate / correction)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
