"""Names: snake_case class names and unique layer names (the "did you mean" hints live in the registry)."""

import collections
import re
import threading

_counts = threading.local()


def to_snake_case(name):
    """Keras's rule: `'Cuadratica_v4'` -> `'cuadratica_v4'`, `'MyDense'` -> `'my_dense'`, `'Conv2D'` -> `'conv2d'`."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _counter():
    c = getattr(_counts, "c", None)
    if c is None:
        c = _counts.c = collections.Counter()
    return c


def uniquify(base):
    """`'dense'`, then `'dense_1'`, `'dense_2'`, ... (per process, per base name)."""
    counter = _counter()
    n = counter[base]
    counter[base] += 1
    return base if n == 0 else f"{base}_{n}"


def reset_uids():
    """Forget the name counters (`keras.backend.clear_session()`)."""
    _counter().clear()
