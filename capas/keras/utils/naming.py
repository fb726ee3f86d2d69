"""Names: snake_case class names, unique layer names, and "did you mean" hints."""

import collections
import difflib
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


def closest(name, options, n=3):
    """Up to `n` known names closest to `name`, for error messages."""
    return difflib.get_close_matches(str(name), [str(o) for o in options], n=n, cutoff=0.5)


def unknown_name_error(kind, name, options, plural=None):
    """A ValueError for an unknown identifier that lists the closest known names."""
    near = closest(name, options)
    hint = f" Did you mean: {', '.join(repr(x) for x in near)}?" if near else ""
    package = plural or (kind + "es" if kind.endswith("s") else kind + "s")
    return ValueError(
        f"Unknown {kind}: '{name}'.{hint} Pass an object or one of the known names "
        f"(see capas.keras.{package}), or register your own with "
        "keras.saving.register_keras_serializable()."
    )
