"""`Adam`: adaptive moment estimation, with Keras 3's epsilon and bias correction."""

import numpy as np
import torch

from capas._kernels import computed_once
from capas.keras.optimizers.optimizer import Optimizer
from capas.keras.optimizers.optimizer import host_float_type
from capas.keras.saving.object_registration import register_builtin
from capas.keras.optimizers._sqrt import foreach_sqrt, plain, sqrt, untraced


# The step torch's fused Adam kernel is told: it multiplies by `lr / (1 - beta_1**t)` and divides
# `sqrt(v)` by `sqrt(1 - beta_2**t)`; at t = 2**40, `beta**t` is 0 in double precision for any
# beta up to 0.9999999 (`_fusable` checks), so both corrections are exactly 1 and the kernel's
# `lr` is Keras's own `alpha` (bias corrections in the variables' precision). The kernel never
# advances the step it reads.
_NO_BIAS_CORRECTION = float(2**40)
_FUSED_DTYPES = (torch.float32, torch.float64)


def _fusable(group, momentums, velocities, beta_1, beta_2):
    """Whether torch's fused Adam kernel can update this group's variables and slots: plain contiguous
    float32/64 tensors on the CPU or CUDA, nothing tracing them, betas for which `_NO_BIAS_CORRECTION`
    zeroes `beta**t`. The gradients are `_fused_gradients`' to check.
    """
    if not untraced() or not (0.0 <= float(beta_1) < 0.9999999 and 0.0 <= float(beta_2) < 0.9999999):
        return False
    first = group.variables[0]
    if first.dtype not in _FUSED_DTYPES or first.device.type not in ("cpu", "cuda"):
        return False
    fusable = group._taken.get("adam_fused_layout")
    if fusable is None:  # layouts do not change between steps (assign copies into the same memory)
        fusable = group._taken["adam_fused_layout"] = all(
            plain(t) and t.is_contiguous() for t in (*group.variables, *momentums, *velocities)
        )
    return fusable


def _fused_gradients(grads):
    """The gradients as the fused kernel needs them, in one pass: contiguous (its CPU version reads each
    gradient's memory in order, so a non-contiguous one, a conv kernel's or a transposed view's, would be
    taken element by element in the wrong order); None if one is not strided (sparse).

    They already have the variables' dtype and device (`_groups.check_gradients`).
    """
    out = []
    for g in grads:
        if g.layout != torch.strided:
            return None
        out.append(g if g.is_contiguous() else g.contiguous())
    return out


def _step_tensor(group):
    """The group's float32 step tensor for the fused kernel (float32 as torch.optim's steps: the CUDA kernel
    reads it as such), holding `_NO_BIAS_CORRECTION`."""
    step = group._taken.get("adam_step")
    if step is None:
        device = group.variables[0].device
        step = group._taken["adam_step"] = torch.tensor(_NO_BIAS_CORRECTION, dtype=torch.float32, device=device)
    return step


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
        variable.sub_(m * self._alpha(learning_rate, variable.dtype) / (sqrt(v) + self.epsilon))

    def _apply_foreach(self, group, grads, learning_rate):
        momentums = group.take(self._momentums)
        velocities = group.take(self._velocities)
        fused_grads = None
        if not self.amsgrad and _fusable(group, momentums, velocities, self.beta_1, self.beta_2):
            fused_grads = _fused_gradients(grads)
        if fused_grads is not None:
            # One pass of torch's fused kernel, its bias corrections made exactly 1 (see `_NO_BIAS_CORRECTION`):
            # it then computes `w - (alpha * m) / (sqrt(v) + epsilon)` with Keras's alpha and epsilon.
            torch._fused_adam_(
                group.variables,
                fused_grads,
                momentums,
                velocities,
                [],
                [_step_tensor(group)] * len(grads),
                lr=self._alpha(learning_rate, momentums[0].dtype),
                beta1=float(self.beta_1),
                beta2=float(self.beta_2),
                weight_decay=0.0,
                eps=float(self.epsilon),
                amsgrad=False,
                maximize=False,
            )
            return
        torch._foreach_mul_(momentums, self.beta_1)
        torch._foreach_add_(momentums, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(velocities, self.beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - self.beta_2)
        if self.amsgrad:
            velocity_hats = group.take(self._velocity_hats)
            torch._foreach_maximum_(velocity_hats, velocities)
            velocities = velocity_hats
        denominators = foreach_sqrt(velocities)
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_addcdiv_(
            group.variables, momentums, denominators, value=-self._alpha(learning_rate, momentums[0].dtype)
        )

    def _apply_graph(self, group, grads, learning_rate, step):
        """Keras's update, op for op, with the bias corrections computed from the step tensor.

        Each op is one IEEE rounding, in Keras's order (`m += (g - m) * (1 - beta_1)`, ...,
        `w -= (m * alpha) / (sqrt(v) + epsilon)`); Inductor fuses them into one pass without
        contracting them (its default `-ffp-contract=off`) and its square root is the
        correctly rounded one, so a compiled step updates to TensorFlow's bits.
        """
        momentums = group.take(self._momentums)
        velocities = group.take(self._velocities)
        # computed once per step, not in every element loop of the update (`_kernels.computed_once`)
        alpha = computed_once(learning_rate * torch.sqrt(1 - self.beta_2**step) / (1 - self.beta_1**step))
        keras_order_moments(momentums, velocities, grads, self.beta_1, self.beta_2)
        if self.amsgrad:
            velocity_hats = group.take(self._velocity_hats)
            torch._foreach_maximum_(velocity_hats, velocities)
            velocities = velocity_hats
        keras_order_step(group.variables, momentums, velocities, alpha, self.epsilon)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon, "amsgrad": self.amsgrad})
        return config


def keras_order_moments(momentums, velocities, grads, beta_1, beta_2):
    """`m += (g - m) * (1 - beta_1)` and `v += (g**2 - v) * (1 - beta_2)`, in Keras's order of ops."""
    deltas = torch._foreach_sub(grads, momentums)
    torch._foreach_mul_(deltas, 1 - beta_1)
    torch._foreach_add_(momentums, deltas)
    squares = torch._foreach_mul(grads, grads)
    torch._foreach_sub_(squares, velocities)
    torch._foreach_mul_(squares, 1 - beta_2)
    torch._foreach_add_(velocities, squares)


def keras_order_step(variables, momentums, velocities, alpha, epsilon):
    """`w -= (m * alpha) / (sqrt(v) + epsilon)`, in Keras's order of ops (`alpha` a 0-d tensor)."""
    increments = torch._foreach_mul(momentums, alpha)
    denominators = torch._foreach_sqrt(velocities)
    torch._foreach_add_(denominators, epsilon)
    torch._foreach_div_(increments, denominators)
    torch._foreach_sub_(variables, increments)
