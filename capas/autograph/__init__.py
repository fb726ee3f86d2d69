"""`tf.autograph`: capas's tf.function traces Python as it runs, so there is no code conversion.

`set_verbosity` and `experimental.do_not_convert` are accepted; `trace` prints as TF's
does; `to_code` and `to_graph` raise with the reason (docs/function.md explains the trace).
"""

import sys

from capas.autograph import experimental as experimental
from capas.ops import _missing

_verbosity = {"level": 0}


def set_verbosity(level, alsologtostdout=False):
    """Remember the AutoGraph log level (capas converts nothing, so nothing is logged)."""
    _verbosity["level"] = int(level)


def trace(*args):
    """Print the arguments (tensors as their values), as `tf.autograph.trace` does eagerly.

    >>> import capas as tf
    >>> tf.autograph.trace("x =", 1)
    x = 1
    """
    print(*args, file=sys.stdout)


def to_graph(entity, recursive=True, experimental_optional_features=None):
    """Raise NotImplementedError: capas has no AutoGraph source conversion."""
    raise NotImplementedError(
        f"tf.autograph.to_graph({getattr(entity, '__name__', entity)!r}): capas does not convert Python "
        "source to graph code; tf.function traces the function as it runs (if/for on tensors stay "
        "Python). Decorate the function with tf.function instead."
    )


def to_code(entity, recursive=True, experimental_optional_features=None):
    """Raise NotImplementedError: there is no converted code to show in capas."""
    raise NotImplementedError(
        f"tf.autograph.to_code({getattr(entity, '__name__', entity)!r}): capas does not convert Python "
        "source, so there is no generated code; inspect.getsource(fn) shows what tf.function runs."
    )


__getattr__ = _missing.make_getattr(__name__, "tf.autograph")
