"""`Adam`: adaptive moment estimation, with Keras 3's epsilon and bias correction."""

import math

import numpy as np
import torch

from capas.keras.optimizers.optimizer import Optimizer
from capas.keras.optimizers.optimizer import host_float_type
from capas.keras.saving.object_registration import register_builtin

_FUSED_DTYPES = (torch.float32, torch.float64)


def _fusable(variable):
    """Whether torch's fused Adam kernel takes this group (dense float32/64 on CPU or CUDA)."""
    return (
        variable.dtype in _FUSED_DTYPES
        and variable.device.type in ("cpu", "cuda")
        and not variable.is_sparse
        and hasattr(torch, "_fused_adam_")
    )


@register_builtin("optimizers")
class Adam(Optimizer):
    """The Adam optimizer (Kingma & Ba, 2014), as Keras 3 computes it.

    `m = beta_1 * m + (1 - beta_1) * g`, `v = beta_2 * v + (1 - beta_2) * g**2`,
    `alpha = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)` and
    `w -= alpha * m / (sqrt(v) + epsilon)` (epsilon outside the root, not
    bias-corrected: Kingma & Ba's "epsilon hat").

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        beta_1: the decay rate of the first moment.
        beta_2: the decay rate of the second moment.
        epsilon: a small constant for numerical stability.
        amsgrad: use the maximum of past second moments (AMSGrad).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
            ema_momentum, ema_overwrite_frequency, loss_scale_factor,
            gradient_accumulation_steps, name: as for `Optimizer`.

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> w = tf.Variable(1.0)
    >>> opt = keras.optimizers.Adam(learning_rate=0.001)
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
        amsgrad=False,
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
        self.amsgrad = amsgrad

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def _alpha(self, learning_rate, dtype):
        """`lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)`, in the variables' precision as Keras does it."""
        f = host_float_type(dtype)
        step = f(self._local_step())
        one = f(1)
        return float(f(learning_rate) * np.sqrt(one - f(self.beta_2) ** step) / (one - f(self.beta_1) ** step))

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        m.add_((gradient - m) * (1 - self.beta_1))
        v.add_((gradient**2 - v) * (1 - self.beta_2))
        if self.amsgrad:
            v_hat = self._velocity_hats[index]
            v_hat.copy_(torch.maximum(v_hat, v))
            v = v_hat
        variable.sub_(m * self._alpha(learning_rate, variable.dtype) / (torch.sqrt(v) + self.epsilon))

    def _apply_foreach(self, group, grads, learning_rate):
        momentums = group.take(self._momentums)
        velocities = group.take(self._velocities)
        if not self.amsgrad and _fusable(group.variables[0]):
            self._apply_fused(group, grads, momentums, velocities, learning_rate)
            return
        torch._foreach_mul_(momentums, self.beta_1)
        torch._foreach_add_(momentums, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(velocities, self.beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - self.beta_2)
        if self.amsgrad:
            velocity_hats = group.take(self._velocity_hats)
            torch._foreach_maximum_(velocity_hats, velocities)
            velocities = velocity_hats
        denominators = torch._foreach_sqrt(velocities)
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_addcdiv_(group.variables, momentums, denominators, value=-self._alpha(learning_rate, momentums[0].dtype))

    def _apply_fused(self, group, grads, momentums, velocities, learning_rate):
        """The whole update in one pass of torch's fused Adam kernel.

        torch computes `lr / (1 - beta_1**t) * m / (sqrt(v) / sqrt(1 - beta_2**t) + eps)`
        with the bias corrections in double precision; Keras adds epsilon
        before the bias correction and computes `alpha` in the variables'
        precision (in float32, `1 - beta_2**t` at small `t` is off by 1e-5,
        and Keras's numbers carry that). Passing `eps = epsilon / sqrt(1 - beta_2**t)`
        and `lr = alpha * (1 - beta_1**t) / sqrt(1 - beta_2**t)` makes the
        kernel compute Keras's `alpha * m / (sqrt(v) + epsilon)`. The kernel reads
        the step from a tensor; one float32 tensor per group, set each step
        from the host counter, serves every variable (the kernel never
        advances it).
        """
        t = self._local_step()
        step = group._taken.get("adam_step")
        if step is None:
            step = group._taken["adam_step"] = torch.zeros((), dtype=torch.float32, device=group.variables[0].device)
        step.fill_(t)
        # The kernel's bias corrections, in double precision as it computes them.
        torch_bias_1 = 1.0 - float(self.beta_1) ** t
        torch_root_bias_2 = math.sqrt(1.0 - float(self.beta_2) ** t)
        # Keras's step size (bias corrections in the variables' precision), undone into the kernel's `lr`.
        alpha = self._alpha(learning_rate, group.variables[0].dtype)
        torch._fused_adam_(
            group.variables, grads, momentums, velocities, [], [step] * len(grads),
            lr=alpha * torch_bias_1 / torch_root_bias_2, beta1=float(self.beta_1), beta2=float(self.beta_2),
            weight_decay=0.0, eps=float(self.epsilon) / torch_root_bias_2, amsgrad=False, maximize=False,
        )

    def _apply_graph(self, group, grads, learning_rate, step):
        """The foreach update with the bias corrections computed from the step tensor in the graph.

        `alpha` is computed in the variables' dtype, as Keras computes it (and
        as `_alpha` does on the host in eager mode); Inductor fuses the rest.
        """
        momentums = group.take(self._momentums)
        velocities = group.take(self._velocities)
        alpha = learning_rate * torch.sqrt(1 - self.beta_2**step) / (1 - self.beta_1**step)
        torch._foreach_mul_(momentums, self.beta_1)
        torch._foreach_add_(momentums, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(velocities, self.beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - self.beta_2)
        if self.amsgrad:
            velocity_hats = group.take(self._velocity_hats)
            torch._foreach_maximum_(velocity_hats, velocities)
            velocities = velocity_hats
        denominators = torch._foreach_sqrt(velocities)
        torch._foreach_add_(denominators, self.epsilon)
        increments = torch._foreach_div(momentums, denominators)
        torch._foreach_mul_(increments, alpha)
        torch._foreach_sub_(group.variables, increments)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon, "amsgrad": self.amsgrad}
        )
        return config
