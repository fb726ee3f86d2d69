"""The Constraint base class."""

from capas.keras.saving.object_registration import register_builtin


@register_builtin("constraints", "constraint")
class Constraint:
    """Base class for weight constraints.

    A constraint is called with a weight tensor after each optimizer update
    and returns the projected weight (the layer assigns it back):

    ```python
    def __call__(self, w):
    ```

    Example:

    >>> import torch
    >>> from capas.keras import constraints
    >>> class NonNegative(constraints.Constraint):
    ...     def __call__(self, w):
    ...         return w * (w >= 0.0).to(w.dtype)
    >>> NonNegative()(torch.tensor([-1.0, 2.0]))
    tensor([-0., 2.])
    """

    def __call__(self, w):
        """Applies the constraint to the input weight variable.

        Args:
            w: Input weight variable.

        Returns:
            Projected variable (by default, returns unmodified inputs).
        """
        return w

    def get_config(self):
        """Returns a Python dict of the object config (empty by default)."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Instantiates a weight constraint from a configuration dictionary.

        Args:
            config: A Python dictionary, the output of `get_config()`.

        Returns:
            A `Constraint` instance.
        """
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"
