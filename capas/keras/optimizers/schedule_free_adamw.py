"""`ScheduleFreeAdamW`: AdamW without a learning-rate schedule (Defazio et al., 2024)."""

from capas.keras.optimizers.optimizer import Optimizer, host_float_type
from capas.keras.saving.object_registration import register_builtin


@register_builtin("optimizers")
class ScheduleFreeAdamW(Optimizer):
    """Schedule-Free AdamW, as Keras 3.15 computes it.

    Each variable `y` keeps a sequence `z` (the `momentum` slot, starting at `y`) and Adam's
    second moment `v`. With `t = iterations + 1` and the learning rate `lr` (ramped by
    `min(t / warmup_steps, 1)` during warm-up), one step is:

        v += (g**2 - v) * (1 - beta_2)
        z -= lr * g / (sqrt(v / (1 - beta_2**t)) + epsilon)
        x  = (y - (1 - beta_1) * z) / beta_1            # the average, recovered from y
        x  = (1 - 1/t) * x + (1/t) * z
        y  = (1 - beta_1) * z + beta_1 * x

    As in Keras 3.15 on its torch and TensorFlow backends, `x` is recovered with the `z` of
    this step (Keras reads the momentum variable after updating it).

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable (default 0.0025).
        beta_1: the interpolation between `z` and the average `x` (default 0.9).
        beta_2: the decay rate of the second moment (default 0.999).
        epsilon: added to the denominator (default 1e-8).
        warmup_steps: steps of linear learning-rate warm-up (default 0).
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
            name: as for `Optimizer`.

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> w = tf.Variable([1.0, -2.0])
    >>> opt = keras.optimizers.ScheduleFreeAdamW(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(tf.constant([0.5, 0.25]), w)])
    >>> [round(float(v), 4) for v in w.numpy()]
    [0.9, -2.1]
    """

    def __init__(
        self,
        learning_rate=0.0025,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        warmup_steps=0,
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
        self.warmup_steps = warmup_steps

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        for momentum, variable in zip(self._momentums, var_list):
            momentum.copy_(variable.detach())

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        z, v = self._momentums[index], self._velocities[index]
        gradient = gradient.to(variable.dtype)
        # Keras does this scalar math in the variable's dtype; so does the host here (same bits).
        f = host_float_type(variable.dtype)
        step, one = f(self._local_step()), f(1)
        lr = f(learning_rate)
        if self.warmup_steps > 0:
            lr = lr * min(step / f(self.warmup_steps), one)
        b1, b2, eps = f(self.beta_1), f(self.beta_2), f(self.epsilon)
        v.add_((gradient.square() - v) * float(one - b2))
        z.sub_((float(lr) * gradient) / ((v / float(one - b2**step)).sqrt() + float(eps)))
        weight = one / step
        x = (variable - float(one - b1) * z) / float(b1)
        x = float(one - weight) * x + float(weight) * z
        variable.copy_(float(one - b1) * z + float(b1) * x)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon, "warmup_steps": self.warmup_steps}
        )
        return config
