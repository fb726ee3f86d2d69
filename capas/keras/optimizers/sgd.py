"""`SGD`: gradient descent, with optional (Nesterov) momentum."""

import torch

from capas.keras.optimizers.optimizer import Optimizer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("optimizers")
class SGD(Optimizer):
    """Gradient descent (with momentum) optimizer.

    Without momentum: `w = w - learning_rate * g`. With momentum:
    `velocity = momentum * velocity - learning_rate * g; w = w + velocity`,
    and with `nesterov=True`: `w = w + momentum * velocity - learning_rate * g`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        momentum: a float in [0, 1] accelerating descent and damping oscillations.
        nesterov: use Nesterov momentum.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
            ema_momentum, ema_overwrite_frequency, loss_scale_factor,
            gradient_accumulation_steps, name: as for `Optimizer`.

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> w = tf.Variable(1.0)
    >>> opt = keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     _ = opt.apply_gradients([(tf.convert_to_tensor(2.0), w)])
    >>> round(float(w.numpy()), 6)
    0.42
    """

    def __init__(
        self,
        learning_rate=0.01,
        momentum=0.0,
        nesterov=False,
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
        if not isinstance(momentum, (int, float)) or isinstance(momentum, bool) or not 0 <= momentum <= 1:
            raise ValueError(
                f"SGD '{self.name}': `momentum` must be a float between [0, 1]. Received: momentum={momentum!r}."
            )
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        if self.momentum != 0:
            m = self.momentums[self._get_variable_index(variable)]
            m.copy_(m * self.momentum - gradient * learning_rate)
            if self.nesterov:
                variable.add_(m * self.momentum - gradient * learning_rate)
            else:
                variable.add_(m)
        else:
            variable.sub_(gradient * learning_rate)

    def _apply_foreach(self, group, grads, learning_rate):
        variables = group.variables
        if self.momentum == 0:
            torch._foreach_add_(variables, grads, alpha=-learning_rate)
            return
        momentums = group.take(self.momentums)
        torch._foreach_mul_(momentums, self.momentum)
        torch._foreach_add_(momentums, grads, alpha=-learning_rate)
        if self.nesterov:
            torch._foreach_add_(variables, grads, alpha=-learning_rate)
            torch._foreach_add_(variables, momentums, alpha=self.momentum)
        else:
            torch._foreach_add_(variables, momentums)

    def _apply_graph(self, group, grads, learning_rate, step):
        variables = group.variables
        scaled = torch._foreach_mul(grads, learning_rate)
        if self.momentum == 0:
            torch._foreach_sub_(variables, scaled)
            return
        momentums = group.take(self.momentums)
        torch._foreach_mul_(momentums, self.momentum)
        torch._foreach_sub_(momentums, scaled)
        if self.nesterov:  # w += m * momentum - g * lr, in Keras's order
            steps = torch._foreach_mul(momentums, self.momentum)
            torch._foreach_sub_(steps, scaled)
            torch._foreach_add_(variables, steps)
        else:
            torch._foreach_add_(variables, momentums)

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
