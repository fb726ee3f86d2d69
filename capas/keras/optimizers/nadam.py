"""`Nadam`: Adam with Nesterov momentum (Dozat, 2015), with Keras 3's momentum schedule."""

import torch

from capas.keras.optimizers.optimizer import Optimizer
from capas.keras.optimizers.optimizer import host_float_type
from capas.variables import Variable
from capas.keras.saving.object_registration import register_builtin
from capas.keras.optimizers._sqrt import foreach_sqrt_, sqrt


@register_builtin("optimizers")
class Nadam(Optimizer):
    """The Nadam optimizer, as Keras 3 computes it.

    With `u_t = beta_1 * (1 - 0.5 * 0.96**t)` and their running product
    `prod_t`: `m_hat = u_{t+1} * m / (1 - prod_{t+1}) + (1 - u_t) * g / (1 - prod_t)`,
    `v_hat = v / (1 - beta_2**t)` and `w -= learning_rate * m_hat / (sqrt(v_hat) + epsilon)`.

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
    >>> w = tf.Variable(1.0)
    >>> opt = keras.optimizers.Nadam(learning_rate=0.001)
    >>> _ = opt.apply_gradients([(tf.convert_to_tensor(2.0), w)])
    >>> round(float(w.numpy()), 5)
    0.99894
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
        var_list = list(var_list)
        dtype = var_list[0].dtype if var_list else torch.float32
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        # Keras 3 tracks the running product as an unnamed variable after the slots.
        self._u_product = Variable(1.0, name="variable", dtype=dtype, trainable=False)
        self._variables.append(self._u_product)

    def _prepare_step(self, learning_rate):
        # Once per update (not per variable): the momentum schedule and its running
        # product, in the variables' precision as Keras computes them.
        f = host_float_type(self._u_product.dtype)
        one = f(1)
        step = f(self._local_step())
        beta_1 = f(self.beta_1)
        u_t = beta_1 * (one - f(0.5) * f(0.96) ** step)
        u_t_1 = beta_1 * (one - f(0.5) * f(0.96) ** (step + one))
        product = f(float(self._u_product)) * u_t  # a CPU scalar: no accelerator sync
        self._u_product.fill_(float(product))
        product_next = product * u_t_1
        v_correction = one - f(self.beta_2) ** step
        self._scalars = tuple(float(x) for x in (u_t, u_t_1, one - product, one - product_next, v_correction))

    def update_step(self, gradient, variable, learning_rate):
        u_t, u_t_1, c_t, c_t_1, v_correction = self._scalars
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        m.add_((gradient - m) * (1 - self.beta_1))
        v.add_((gradient**2 - v) * (1 - self.beta_2))
        m_hat = u_t_1 * m / c_t_1 + (1 - u_t) * gradient / c_t
        v_hat = v / v_correction
        variable.sub_(m_hat * learning_rate / (sqrt(v_hat) + self.epsilon))

    def _apply_foreach(self, group, grads, learning_rate):
        u_t, u_t_1, c_t, c_t_1, v_correction = self._scalars
        momentums = group.take(self._momentums)
        velocities = group.take(self._velocities)
        torch._foreach_mul_(momentums, self.beta_1)
        torch._foreach_add_(momentums, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(velocities, self.beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - self.beta_2)
        m_hat = torch._foreach_mul(momentums, u_t_1)
        torch._foreach_div_(m_hat, c_t_1)
        g_hat = torch._foreach_mul(grads, 1 - u_t)
        torch._foreach_div_(g_hat, c_t)
        torch._foreach_add_(m_hat, g_hat)
        denominators = torch._foreach_div(velocities, v_correction)
        foreach_sqrt_(denominators)
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_addcdiv_(group.variables, m_hat, denominators, value=-learning_rate)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
