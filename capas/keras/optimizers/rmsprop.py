"""`RMSprop`: divide the gradient by a moving root mean square of past gradients."""

import torch

from capas.keras.optimizers.optimizer import Optimizer
from capas.keras.saving.object_registration import register_builtin
from capas.keras.optimizers._sqrt import foreach_sqrt_, sqrt


@register_builtin("optimizers")
class RMSprop(Optimizer):
    """The RMSprop optimizer, as Keras 3 computes it.

    `velocity = rho * velocity + (1 - rho) * g**2` and
    `w -= learning_rate * g / sqrt(velocity + epsilon)` (epsilon inside the
    square root). `centered=True` subtracts the squared moving mean of the
    gradient inside the root; `momentum > 0` accumulates the increments.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        rho: the discounting factor of the squared-gradient average.
        momentum: the momentum of the increments (0 disables it).
        epsilon: added to the mean square before the square root.
        centered: normalize by the estimated variance instead of the second moment.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
            ema_momentum, ema_overwrite_frequency, loss_scale_factor,
            gradient_accumulation_steps, name: as for `Optimizer`.

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> w = tf.Variable(1.0)
    >>> opt = keras.optimizers.RMSprop(learning_rate=0.01)
    >>> _ = opt.apply_gradients([(tf.convert_to_tensor(2.0), w)])
    >>> round(float(w.numpy()), 5)
    0.96838
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-7,
        centered=False,
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
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(var_list, "average_gradient")

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        rho = self.rho
        velocity = self._velocities[index]
        velocity.copy_(rho * velocity + (1 - rho) * gradient**2)
        if self.centered:
            average = self._average_gradients[index]
            average.copy_(rho * average + (1 - rho) * gradient)
            denominator = velocity - average**2 + self.epsilon
        else:
            denominator = velocity + self.epsilon
        increment = learning_rate * gradient / sqrt(denominator)
        if self.momentum > 0:
            momentum = self._momentums[index]
            momentum.copy_(self.momentum * momentum + increment)
            variable.sub_(momentum)
        else:
            variable.sub_(increment)

    def _apply_foreach(self, group, grads, learning_rate):
        rho = self.rho
        velocities = group.take(self._velocities)
        torch._foreach_mul_(velocities, rho)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - rho)
        denominators = torch._foreach_add(velocities, self.epsilon)
        if self.centered:
            averages = group.take(self._average_gradients)
            torch._foreach_mul_(averages, rho)
            torch._foreach_add_(averages, grads, alpha=1 - rho)
            torch._foreach_addcmul_(denominators, averages, averages, value=-1)
        foreach_sqrt_(denominators)
        if self.momentum > 0:
            momentums = group.take(self._momentums)
            torch._foreach_mul_(momentums, self.momentum)
            torch._foreach_addcdiv_(momentums, grads, denominators, value=learning_rate)
            torch._foreach_sub_(group.variables, momentums)
        else:
            torch._foreach_addcdiv_(group.variables, grads, denominators, value=-learning_rate)

    def _apply_graph(self, group, grads, learning_rate, step):
        # Keras's update op for op (one rounding each, in its order), as Inductor fuses it.
        rho = self.rho
        velocities = group.take(self._velocities)
        torch._foreach_mul_(velocities, rho)
        squares = torch._foreach_mul(grads, grads)
        torch._foreach_mul_(squares, 1 - rho)
        torch._foreach_add_(velocities, squares)
        if self.centered:
            averages = group.take(self._average_gradients)
            torch._foreach_mul_(averages, rho)
            torch._foreach_add_(averages, torch._foreach_mul(grads, 1 - rho))
            denominators = torch._foreach_sub(velocities, torch._foreach_mul(averages, averages))
            torch._foreach_add_(denominators, self.epsilon)
        else:
            denominators = torch._foreach_add(velocities, self.epsilon)
        torch._foreach_sqrt_(denominators)
        increments = torch._foreach_mul(grads, learning_rate)
        torch._foreach_div_(increments, denominators)
        if self.momentum > 0:
            momentums = group.take(self._momentums)
            torch._foreach_mul_(momentums, self.momentum)
            torch._foreach_add_(momentums, increments)
            torch._foreach_sub_(group.variables, momentums)
        else:
            torch._foreach_sub_(group.variables, increments)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon, "centered": self.centered})
        return config
