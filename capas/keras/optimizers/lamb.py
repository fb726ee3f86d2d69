"""`Lamb`: Adam's direction scaled by a per-layer trust ratio (You et al., 2019)."""

import torch

from capas.keras.optimizers.optimizer import Optimizer
from capas.keras.saving.object_registration import register_builtin
from capas.keras.optimizers._sqrt import foreach_sqrt_, sqrt


@register_builtin("optimizers")
class Lamb(Optimizer):
    """The LAMB optimizer, as Keras 3 computes it.

    `update = m_hat / (sqrt(v_hat) + epsilon)` with Adam's bias-corrected
    moments, then `w -= ratio * learning_rate * update` where
    `ratio = ||w|| / ||update||` (1 when either norm is 0).

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        beta_1: the decay rate of the first moment.
        beta_2: the decay rate of the second moment.
        epsilon: a small constant for numerical stability.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
            ema_momentum, ema_overwrite_frequency, loss_scale_factor,
            gradient_accumulation_steps, name: as for `Optimizer`.

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> w = tf.Variable([1.0, 1.0])
    >>> opt = keras.optimizers.Lamb(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(tf.convert_to_tensor([2.0, 2.0]), w)])
    >>> [round(float(x), 5) for x in w.numpy().ravel()]
    [0.9, 0.9]
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
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])

    def _corrections(self):
        step = self._local_step()
        return 1.0 - self.beta_1**step, 1.0 - self.beta_2**step

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        m.add_((gradient - m) * (1 - self.beta_1))
        v.add_((gradient**2 - v) * (1 - self.beta_2))
        c1, c2 = self._corrections()
        update = (m / c1) / (sqrt(v / c2) + self.epsilon)
        w_norm = torch.linalg.vector_norm(variable)
        u_norm = torch.linalg.vector_norm(update)
        ratio = torch.where((w_norm > 0) & (u_norm > 0), w_norm / u_norm, torch.ones_like(w_norm))
        variable.sub_(ratio * learning_rate * update)

    def _apply_foreach(self, group, grads, learning_rate):
        momentums = group.take(self._momentums)
        velocities = group.take(self._velocities)
        torch._foreach_mul_(momentums, self.beta_1)
        torch._foreach_add_(momentums, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(velocities, self.beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - self.beta_2)
        c1, c2 = self._corrections()
        updates = torch._foreach_div(momentums, c1)
        denominators = torch._foreach_div(velocities, c2)
        foreach_sqrt_(denominators)
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_div_(updates, denominators)
        w_norms = torch.stack(torch._foreach_norm(group.variables))
        u_norms = torch.stack(torch._foreach_norm(updates))
        ratios = torch.where((w_norms > 0) & (u_norms > 0), w_norms / u_norms, torch.ones_like(w_norms))
        torch._foreach_mul_(updates, (ratios * learning_rate).unbind())
        torch._foreach_sub_(group.variables, updates)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
