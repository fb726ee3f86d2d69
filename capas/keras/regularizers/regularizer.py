"""The Regularizer base class."""

from capas.keras.saving.object_registration import register_builtin


@register_builtin("regularizers", "regularizer")
class Regularizer:
    """Regularizer base class.

    A regularizer is called with a weight tensor and returns a scalar tensor,
    the penalty added to the model's loss during training:

    ```python
    def __call__(self, x):
    ```

    Layers take one per weight (`kernel_regularizer`, `bias_regularizer`) or
    on their output (`activity_regularizer`). Any callable `fn(weights)`
    returning a scalar works as a regularizer; subclass this class to make it
    serializable with `get_config()`.

    Example:

    >>> import torch
    >>> from capas.keras import regularizers
    >>> class L2Regularizer(regularizers.Regularizer):
    ...     def __init__(self, l2=0.0):
    ...         self.l2 = l2
    ...     def __call__(self, x):
    ...         return self.l2 * torch.sum(torch.square(x))
    ...     def get_config(self):
    ...         return {"l2": float(self.l2)}
    >>> L2Regularizer(0.5)(torch.ones(2, 2))
    tensor(2.)
    """

    def __call__(self, x):
        """Computes a regularization penalty from an input tensor (zero here)."""
        return x.new_zeros(())

    @classmethod
    def from_config(cls, config):
        """Creates a regularizer from its config (the output of `get_config()`).

        Args:
            config: A Python dictionary, typically the output of get_config.

        Returns:
            A regularizer instance.
        """
        return cls(**config)

    def get_config(self):
        """Returns the config of the regularizer: a JSON-serializable dict.

        Subclasses implement it to be saved with a model.
        """
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config().")

    def __repr__(self):
        try:
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        except NotImplementedError:
            args = ""
        return f"{type(self).__name__}({args})"
