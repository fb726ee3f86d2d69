"""`tf.data.Options`: settings a pipeline carries (`with_options`, `options()`)."""


class _Group:
    """A group of options (`options.threading`, ...): attributes default to None."""

    _fields = ()

    def __init__(self):
        for name in self._fields:
            object.__setattr__(self, name, None)

    def __setattr__(self, name, value):
        if name not in self._fields:
            raise AttributeError(f"{type(self).__name__} has no option {name!r}; known: {', '.join(self._fields)}.")
        object.__setattr__(self, name, value)

    def _merge(self, other):
        for name in self._fields:
            if getattr(other, name) is not None:
                object.__setattr__(self, name, getattr(other, name))

    def __eq__(self, other):
        return type(self) is type(other) and all(getattr(self, n) == getattr(other, n) for n in self._fields)


class ThreadingOptions(_Group):
    _fields = ("max_intra_op_parallelism", "private_threadpool_size")


class AutotuneOptions(_Group):
    _fields = ("enabled", "cpu_budget", "ram_budget")


class OptimizationOptions(_Group):
    _fields = ("apply_default_optimizations", "map_parallelization", "parallel_batch", "inject_prefetch")


class DistributeOptions(_Group):
    _fields = ("auto_shard_policy", "num_devices")


class Options(_Group):
    """Pipeline options, as `tf.data.Options`.

    capas records them and returns them from `options()`; `deterministic`
    (None or True: keep element order) is used by parallel `map` and
    `interleave`, and `threading.private_threadpool_size` caps their worker
    threads. The others are accepted for compatibility.

    Example:

    >>> import capas as tf
    >>> options = tf.data.Options()
    >>> options.deterministic = False
    >>> ds = tf.data.Dataset.range(3).with_options(options)
    >>> ds.options().deterministic
    False
    """

    _fields = (
        "deterministic",
        "experimental_slack",
        "experimental_external_state_policy",
        "experimental_warm_start",
        "experimental_symbolic_checkpoint",
        "threading",
        "autotune",
        "experimental_optimization",
        "experimental_distribute",
    )

    def __init__(self):
        super().__init__()
        object.__setattr__(self, "threading", ThreadingOptions())
        object.__setattr__(self, "autotune", AutotuneOptions())
        object.__setattr__(self, "experimental_optimization", OptimizationOptions())
        object.__setattr__(self, "experimental_distribute", DistributeOptions())

    def merge(self, options):
        """A new Options: these, overridden by the options set in `options`."""
        out = Options()
        for source in (self, options):
            for name in self._fields:
                value = getattr(source, name)
                if isinstance(value, _Group):
                    getattr(out, name)._merge(value)
                elif value is not None:
                    object.__setattr__(out, name, value)
        return out
