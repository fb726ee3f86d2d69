"""`LossFunctionWrapper`: a `Loss` around a plain `fn(y_true, y_pred, **kwargs)`."""

from capas.keras.losses.loss import Loss
from capas.keras.losses.loss import squeeze_or_expand_to_same_rank
from capas.keras.saving import serialization_lib
from capas.keras.saving.object_registration import register_builtin


@register_builtin("losses")
class LossFunctionWrapper(Loss):
    """Wrap a loss function into a `Loss` with reduction and sample weights.

    `(batch,)` labels are matched with `(batch, 1)` predictions before `fn`
    runs, as in Keras.

    Args:
        fn: The loss function, `fn(y_true, y_pred, **kwargs)` returning
            per-sample losses.
        reduction: See `Loss`.
        name: Optional name for the loss instance.
        dtype: See `Loss`.
        **kwargs: Keyword arguments passed to `fn` on each call.

    Example:

    >>> import torch
    >>> from capas.keras import losses
    >>> loss = losses.LossFunctionWrapper(losses.huber, delta=2.0)
    >>> float(loss([[0.0]], [[3.0]]))
    4.0
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        if not callable(fn):
            raise TypeError(f"LossFunctionWrapper expects a callable `fn(y_true, y_pred)`. Received: {fn!r}.")
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs
        # Functions of class indices (sparse cross-entropy, CTC, ...) mark
        # themselves so their labels are not cast to float first.
        self._integer_labels = getattr(fn, "_integer_labels", False)

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config["fn"] = serialization_lib.serialize_family_object(self.fn, "losses", "loss")
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            config["fn"] = serialization_lib.deserialize_family_object(config["fn"], "losses", "loss")
        return cls(**config)

    def __repr__(self):
        fn_name = getattr(self.fn, "__name__", repr(self.fn))
        return f"<{type(self).__name__}({fn_name}, kwargs={self._fn_kwargs})>"


class _BuiltinLoss(LossFunctionWrapper):
    """A built-in loss: its config is its constructor arguments, not `fn`.

    Subclasses list the constructor arguments (besides name, reduction and
    dtype) in `_config_keys`; each is stored as an attribute.
    """

    _config_keys = ()

    def _init_builtin(self, fn, name, reduction, dtype, **kwargs):
        LossFunctionWrapper.__init__(self, fn, name=name, reduction=reduction, dtype=dtype, **kwargs)
        for key in self._config_keys:
            setattr(self, key, kwargs[key])

    def get_config(self):
        config = Loss.get_config(self)
        for key in self._config_keys:
            config[key] = getattr(self, key)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return Loss.__repr__(self)
