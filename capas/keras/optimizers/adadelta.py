"""`Adadelta`: step sizes from moving windows of squared gradients and updates."""

import torch

from capas.keras.optimizers.optimizer import Optimizer
from capas.keras.saving.object_registration import register_builtin
from capas.keras.optimizers._sqrt import foreach_sqrt_, sqrt


@register_builtin("optimizers")
class Adadelta(Optimizer):
    """The Adadelta optimizer (Zeiler, 2012), as Keras 3 computes it.

    `acc_g = rho * acc_g + (1 - rho) * g**2`,
    `delta = -sqrt(acc_d + epsilon) * g / sqrt(acc_g + epsilon)`,
    `acc_d = rho * acc_d + (1 - rho) * delta**2`, `w += learning_rate * delta`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        rho: the decay rate.
        epsilon: added inside the square roots.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
            ema_momentum, ema_overwrite_frequency, loss_scale_factor,
            gradient_accumulation_steps, name: as for `Optimizer`.

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> w = tf.Variable(1.0)
    >>> opt = keras.optimizers.Adadelta(learning_rate=1.0)
    >>> _ = opt.apply_gradients([(tf.convert_to_tensor(2.0), w)])
    >>> round(float(w.numpy()), 6)
    0.998586
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.95,
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
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"]
        )

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        rho = self.rho
        acc_grad = self._accumulated_grads[index]
        acc_delta = self._accumulated_delta_vars[index]
        acc_grad.copy_(rho * acc_grad + (1 - rho) * gradient**2)
        delta = -sqrt(acc_delta + self.epsilon) * gradient / sqrt(acc_grad + self.epsilon)
        acc_delta.copy_(rho * acc_delta + (1 - rho) * delta**2)
        variable.add_(learning_rate * delta)

    def _apply_foreach(self, group, grads, learning_rate):
        rho = self.rho
        acc_grads = group.take(self._accumulated_grads)
        acc_deltas = group.take(self._accumulated_delta_vars)
        torch._foreach_mul_(acc_grads, rho)
        torch._foreach_addcmul_(acc_grads, grads, grads, value=1 - rho)
        deltas = torch._foreach_add(acc_deltas, self.epsilon)
        foreach_sqrt_(deltas)
        torch._foreach_mul_(deltas, grads)
        denominators = torch._foreach_add(acc_grads, self.epsilon)
        foreach_sqrt_(denominators)
        torch._foreach_div_(deltas, denominators)  # the update is minus this
        torch._foreach_mul_(acc_deltas, rho)
        torch._foreach_addcmul_(acc_deltas, deltas, deltas, value=1 - rho)
        torch._foreach_add_(group.variables, deltas, alpha=-learning_rate)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
