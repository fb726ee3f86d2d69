"""`Ftrl`: Follow The Regularized Leader (McMahan et al., 2013)."""

import numpy as np
import torch

from capas.keras.optimizers.optimizer import Optimizer
from capas.keras.saving.object_registration import register_builtin


@register_builtin("optimizers")
class Ftrl(Optimizer):
    """The FTRL-proximal optimizer, as Keras 3 computes it.

    With `p = learning_rate_power`: `n' = n + g**2`,
    `z += g + 2 * l2_shrinkage * w - (n'**-p - n**-p) / learning_rate * w`,
    `w = (clip(z, -l1, l1) - z) / (n'**-p / learning_rate + 2 * (l2 + beta / (2 * learning_rate)))`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        learning_rate_power: a float <= 0 controlling how the rate decreases.
        initial_accumulator_value: the starting value of the accumulators (>= 0).
        l1_regularization_strength: a float >= 0.
        l2_regularization_strength: a float >= 0 (stabilization penalty).
        l2_shrinkage_regularization_strength: a float >= 0 (magnitude penalty).
        beta: a float, 0 in the paper.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
            ema_momentum, ema_overwrite_frequency, loss_scale_factor,
            gradient_accumulation_steps, name: as for `Optimizer`.

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> w = tf.Variable(1.0)
    >>> opt = keras.optimizers.Ftrl(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(tf.convert_to_tensor(2.0), w)])
    >>> round(float(w.numpy()), 5)
    0.74505
    """

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
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
        for arg, value in (
            ("initial_accumulator_value", initial_accumulator_value),
            ("l1_regularization_strength", l1_regularization_strength),
            ("l2_regularization_strength", l2_regularization_strength),
            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength),
        ):
            if value < 0.0:
                raise ValueError(f"Ftrl '{self.name}': `{arg}` needs to be positive or zero. Received: {arg}={value}.")
        if learning_rate_power > 0.0:
            raise ValueError(
                f"Ftrl '{self.name}': `learning_rate_power` needs to be negative or zero. "
                f"Received: learning_rate_power={learning_rate_power}."
            )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"], initializer=[float(self.initial_accumulator_value), "zeros"]
        )

    def _l2(self, learning_rate):
        # IEEE division as Keras' tensors do it: a zero rate gives inf/NaN, not an exception.
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(self.l2_regularization_strength + np.float64(self.beta) / (2.0 * np.float64(learning_rate)))

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        accum = self._accumulators[index]
        linear = self._linears[index]
        power = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self._l2(learning_rate)
        grad_to_use = gradient + 2 * self.l2_shrinkage_regularization_strength * variable
        new_accum = accum + gradient**2
        exponent = torch.tensor(power, dtype=variable.dtype, device=variable.device)
        new_power = torch.pow(new_accum, exponent)
        sigma = (new_power - torch.pow(accum, exponent)) / learning_rate
        linear.add_(grad_to_use - sigma * variable)
        quadratic = new_power / learning_rate + 2 * l2
        variable.copy_((torch.clamp(linear, -l1, l1) - linear) / quadratic)
        accum.copy_(new_accum)

    def _apply_foreach(self, group, grads, learning_rate):
        variables = group.variables
        accums = group.take(self._accumulators)
        linears = group.take(self._linears)
        power = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self._l2(learning_rate)
        new_accums = torch._foreach_add(accums, torch._foreach_mul(grads, grads))  # no FMA: as Keras rounds
        # A tensor exponent, as Keras passes it: a Python 0.5 would dispatch to sqrt,
        # whose last bit differs, and FTRL's difference of powers magnifies that.
        exponents = [group.constant(power)] * len(variables)
        new_powers = torch._foreach_pow(new_accums, exponents)
        sigmas = torch._foreach_sub(new_powers, torch._foreach_pow(accums, exponents))
        torch._foreach_div_(sigmas, learning_rate)
        torch._foreach_mul_(sigmas, variables)
        if self.l2_shrinkage_regularization_strength:
            steps = torch._foreach_add(grads, variables, alpha=2 * self.l2_shrinkage_regularization_strength)
        else:
            steps = grads
        torch._foreach_add_(linears, torch._foreach_sub(steps, sigmas))
        quadratics = torch._foreach_div(new_powers, learning_rate)
        torch._foreach_add_(quadratics, 2 * l2)
        numerators = torch._foreach_clamp_max(torch._foreach_clamp_min(linears, -l1), l1)
        torch._foreach_sub_(numerators, linears)
        torch._foreach_div_(numerators, quadratics)
        torch._foreach_copy_(variables, numerators)
        torch._foreach_copy_(accums, new_accums)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
                "beta": self.beta,
            }
        )
        return config
