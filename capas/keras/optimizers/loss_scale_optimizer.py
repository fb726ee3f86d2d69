"""`LossScaleOptimizer`: dynamic loss scaling around another optimizer."""

import torch

from capas.keras.optimizers.optimizer import Optimizer
from capas.keras.saving.object_registration import register_builtin

_BASE_DEFAULTS = {
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


@register_builtin("optimizers")
class LossScaleOptimizer(Optimizer):
    """An optimizer that scales the loss to keep small float16 gradients from underflowing.

    `scale_loss(loss)` multiplies the loss by `dynamic_scale`; `apply` divides
    the gradients by it. When every gradient is finite the inner optimizer
    steps and, after `dynamic_growth_steps` such steps in a row, the scale
    doubles; when any gradient is inf or NaN the step is skipped (the inner
    optimizer and its `iterations` do not move) and the scale halves.

    `Differs from Keras:` nothing in the math; the finiteness flag is read once
    per step (one accelerator sync on CUDA, as in `torch.amp.GradScaler`; Keras'
    torch backend reads it too). The scale bookkeeping itself stays on the device.

    Args:
        inner_optimizer: the `Optimizer` to wrap.
        initial_scale: the starting loss scale.
        dynamic_growth_steps: finite steps between doublings of the scale.
        name: the name of the optimizer.

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> w = tf.Variable(1.0)
    >>> opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1), initial_scale=4.0)
    >>> _ = opt.apply_gradients([(tf.convert_to_tensor(8.0), w)])  # gradient of the scaled loss
    >>> round(float(w.numpy()), 6)
    0.8
    """

    def __init__(self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000, name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Instead, set `loss_scale_factor` "
                "directly on the `inner_optimizer`."
            )
        for arg, default in _BASE_DEFAULTS.items():
            if arg in kwargs and kwargs.pop(arg) != default:
                raise ValueError(
                    f"LossScaleOptimizer does not support `{arg}`. Instead, set `{arg}` on the `inner_optimizer`."
                )
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(
                "LossScaleOptimizer: `inner_optimizer` must be a keras.optimizers.Optimizer instance. "
                f"Received: {inner_optimizer!r} (of type {type(inner_optimizer).__name__})."
            )
        super().__init__(learning_rate=0.0, name=name, **kwargs)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        self.inner_optimizer.loss_scale_factor = None

    def build(self, var_list):
        var_list = list(var_list)
        device = var_list[0].device if var_list else None
        self.step_counter = self.add_variable(
            (), initializer="zeros", dtype=torch.int64, name="step_counter", device=device
        )
        self.dynamic_scale = self.add_variable(
            (), initializer=float(self.initial_scale), dtype=torch.float32, name="dynamic_scale", device=device
        )
        self.inner_optimizer.build(var_list)
        super().build(var_list)

    @property
    def variables(self):
        return self._variables + self.inner_optimizer.variables

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        if not hasattr(self, "inner_optimizer"):  # the base constructor's placeholder rate
            self._set_learning_rate(learning_rate)
            return
        self.inner_optimizer.learning_rate = learning_rate

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        if trainable_variables is not None:
            trainable_variables = list(trainable_variables)
        if not self.built:
            if trainable_variables is None:
                raise ValueError(
                    f"LossScaleOptimizer '{self.name}': when passing `grads` without `variables`, the "
                    "optimizer must already be built. Call `optimizer.build(trainable_variables)` first."
                )
            with self._name_scope():
                self.build(trainable_variables)
        present = [g for g in grads if g is not None]
        if not present:
            raise ValueError(f"LossScaleOptimizer '{self.name}': no gradients provided for any variable.")
        with torch.no_grad():
            scale = self.dynamic_scale
            unscaled = _unscale(present, scale)
            finite = _all_finite(unscaled, scale.device)
            at_growth = self.step_counter == self.dynamic_growth_steps - 1
            grow = finite & at_growth
            # Scale bookkeeping on the device: x2 after enough finite steps, x0.5 on inf/NaN.
            factor = torch.where(finite, torch.where(at_growth, 2.0, 1.0), 0.5)
            self.step_counter.copy_(torch.where(finite & ~grow, self.step_counter + 1, 0))
            # The inner step must be skipped entirely on inf/NaN, which needs the flag on the host.
            take_step = bool(finite)
            if take_step:
                it = iter(unscaled)
                inner_grads = [None if g is None else next(it) for g in grads]
            scale.mul_(factor)
        if take_step:
            self.inner_optimizer.apply(inner_grads, trainable_variables)

    def scale_loss(self, loss):
        """Multiply `loss` by the current dynamic scale."""
        scale = self.dynamic_scale if self.built else self.initial_scale
        return loss * scale

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        from capas.keras.optimizers import serialize  # in-function: import cycle keras.optimizers -> this module

        return {
            "name": self.name,
            "inner_optimizer": serialize(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from capas.keras.optimizers import deserialize  # in-function: import cycle keras.optimizers -> this module

        config = dict(config)
        inner = deserialize(config.pop("inner_optimizer"), custom_objects=custom_objects)
        return cls(inner, **config)


def _unscale(grads, scale):
    by_device = {}
    for i, g in enumerate(grads):
        by_device.setdefault((g.device, g.dtype), []).append(i)
    out = [None] * len(grads)
    for (device, _), positions in by_device.items():
        divided = torch._foreach_div([grads[i] for i in positions], scale.to(device, non_blocking=True))
        for i, g in zip(positions, divided):
            out[i] = g
    return out


def _all_finite(grads, device):
    found = torch.zeros((), dtype=torch.float32, device=device)
    by_device = {}
    for g in grads:
        by_device.setdefault((g.device, g.dtype), []).append(g)
    for (grad_device, _), group in by_device.items():
        flag = torch.zeros((), dtype=torch.float32, device=grad_device)
        one = torch.ones((), dtype=torch.float32, device=grad_device)
        # Fused inf/NaN check (multiplying by 1 leaves the fresh unscaled copies unchanged).
        torch._amp_foreach_non_finite_check_and_unscale_(group, flag, one)
        found = found + flag.to(device)
    return found == 0
