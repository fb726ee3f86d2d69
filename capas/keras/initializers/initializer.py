"""The Initializer base class."""

from capas.keras.saving.object_registration import register_builtin


@register_builtin("initializers", "initializer")
class Initializer:
    """Initializer base class: all Keras initializers inherit from this class.

    An initializer is called with the shape of the weight to create and an
    optional dtype, and returns a `torch.Tensor` of that shape:

    ```python
    def __call__(self, shape, dtype=None):
    ```

    Implement `get_config()` to make a subclass serializable; the default
    `from_config()` passes the config to the constructor.

    Example:

    >>> import torch
    >>> from capas.keras import initializers
    >>> class ExampleRandomNormal(initializers.Initializer):
    ...     def __init__(self, mean, stddev):
    ...         self.mean = mean
    ...         self.stddev = stddev
    ...     def __call__(self, shape, dtype=None):
    ...         return torch.randn(shape) * self.stddev + self.mean
    ...     def get_config(self):
    ...         return {"mean": self.mean, "stddev": self.stddev}
    >>> ExampleRandomNormal(0.0, 1.0)((2, 3)).shape
    torch.Size([2, 3])
    """

    def __call__(self, shape, dtype=None):
        """Returns a tensor initialized as specified by the initializer.

        Args:
            shape: Shape of the tensor (a tuple of ints).
            dtype: Optional dtype of the tensor (defaults to float32).
        """
        raise NotImplementedError(f"{type(self).__name__} must implement `__call__(self, shape, dtype=None)`.")

    def get_config(self):
        """Returns the initializer's configuration as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Instantiates an initializer from a configuration dictionary.

        Args:
            config: A Python dictionary, the output of `get_config()`.

        Returns:
            An `Initializer` instance.
        """
        return cls(**config)

    def clone(self):
        """A new initializer with the same configuration."""
        return self.__class__.from_config(self.get_config())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"
