"""`AdamW`: Adam with decoupled weight decay (Loshchilov & Hutter, 2019)."""

from capas.keras.optimizers.adam import Adam
from capas.keras.saving.object_registration import register_builtin


@register_builtin("optimizers")
class AdamW(Adam):
    """Adam with decoupled weight decay, as Keras 3 computes it.

    Each step first decays the variables, `w -= w * weight_decay *
    learning_rate`, then applies Adam's update (see `Adam`).

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        weight_decay: the decay rate (must be a float, default 0.004).
        beta_1, beta_2, epsilon, amsgrad: as for `Adam`.
        clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor,
            gradient_accumulation_steps, name: as for `Optimizer`.

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> w = tf.Variable(1.0)
    >>> opt = keras.optimizers.AdamW(learning_rate=0.001, weight_decay=0.1)
    >>> _ = opt.apply_gradients([(tf.convert_to_tensor(2.0), w)])
    >>> round(float(w.numpy()), 6)
    0.9989
    """

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
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
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
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
        if self.weight_decay is None:
            raise ValueError(
                f"AdamW '{self.name}': argument `weight_decay` must be a float. Received: weight_decay=None. "
                "Use keras.optimizers.Adam for no weight decay."
            )
