"""Torch ops applied to symbolic tensors become nodes of the functional graph.

`x = inputs * 2` or `tf.matmul(inputs, w)` inside a functional model builds a
`_OpLayer` that replays the op at run time. Such a layer holds Python code, so
a model using one is saved only as weights (its config refuses to serialize).
"""

from capas.keras.layers.layer import Layer
from capas.keras.utils import naming


class _OpLayer(Layer):
    def __init__(self, fn, **kwargs):
        name = getattr(fn, "__name__", "op")
        super().__init__(name=f"{name}_op" if kwargs.get("name") is None else kwargs["name"])
        self._set_untracked(_fn=fn)

    def call(self, *args, **kwargs):
        return self._fn(*args, **kwargs)

    def get_config(self):
        raise NotImplementedError(
            f"Layer '{self.name}' wraps the Python op {getattr(self._fn, '__name__', self._fn)!r} applied "
            "to a symbolic tensor; it cannot be serialized. Wrap the computation in a custom layer "
            "(registered with keras.saving.register_keras_serializable) to save the model's config."
        )


def op_node(fn, args, kwargs=None):
    layer = _OpLayer(fn, name=naming.uniquify(f"{getattr(fn, '__name__', 'op')}"))
    return layer(*args, **(kwargs or {}))
