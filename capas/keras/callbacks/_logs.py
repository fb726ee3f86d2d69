"""Batch logs that stay on the device until a callback reads them (DESIGN.md decision 7).

`fit` hands the callbacks a dict of 0-d device tensors after every step.
Turning them into Python floats is a host-device sync, so `CallbackList`
wraps them in `LazyLogs`: a dict whose values become floats (or numpy arrays)
on first access, once, and are cached. A callback that never reads the batch
logs costs nothing; the progress bar reads them a few times per second.
"""

import numpy as np
import torch


class _Counter:
    """How many tensors `LazyLogs` turned into Python values (tests read it)."""

    conversions = 0


class Deferred:
    """A log value computed only when read (the trainer defers `metric.result()`)."""

    __slots__ = ("fn",)

    def __init__(self, fn):
        self.fn = fn

    def __call__(self):
        return self.fn()


def _to_python(value):
    """A tensor becomes a float (one element) or a numpy array; other values try `float()`."""
    if isinstance(value, Deferred):
        value = value()
    if isinstance(value, torch.Tensor):
        _Counter.conversions += 1
        value = value.detach()
        if value.numel() == 1:
            return float(value)
        return value.cpu().numpy()
    if isinstance(value, np.ndarray) and value.size == 1:
        return float(value)
    return value


def _flatten_sorted(logs):
    """Keras's log layout: nested dicts flattened, keys sorted."""
    if not logs:
        return {}
    keys = list(logs)
    if keys == sorted(keys) and not any(isinstance(v, dict) for v in logs.values()):
        return dict(logs)  # the common case, cheaply
    flat = {}
    for key in sorted(logs):  # Keras sorts each level, then flattens: {'loss', 'compile_metrics': {'mae'}} -> mae, loss
        value = logs[key]
        if isinstance(value, dict):
            flat.update(_flatten_sorted(value))
        else:
            flat[key] = value
    return flat


def pythonify_logs(logs):
    """Flatten, sort and convert every value now (epoch-level logs)."""
    return {key: _to_python(value) for key, value in _flatten_sorted(logs).items()}


class LazyLogs(dict):
    """A `dict` whose tensor values turn into Python values on first access.

    Every way of reading a value (`[]`, `get`, `items`, `values`, `pop`,
    `copy`, `dict(logs)`, `{**logs}`) converts it and caches the result;
    `keys()`, `in` and `len` read nothing.
    """

    def __init__(self, logs=None):
        if logs:
            super().__init__(_flatten_sorted(logs))
        else:
            super().__init__()

    def _resolve(self, key):
        value = dict.__getitem__(self, key)
        if isinstance(value, Deferred):
            value = value()
        if isinstance(value, (torch.Tensor, np.ndarray)):
            value = _to_python(value)
            dict.__setitem__(self, key, value)
        return value

    def __getitem__(self, key):
        return self._resolve(key)

    def get(self, key, default=None):
        if key in self:
            return self._resolve(key)
        return default

    def items(self):
        return [(key, self._resolve(key)) for key in list(self.keys())]

    def values(self):
        return [self._resolve(key) for key in list(self.keys())]

    def pop(self, key, *default):
        if key in self:
            value = self._resolve(key)
            dict.pop(self, key)
            return value
        return dict.pop(self, key, *default)

    def popitem(self):
        key = next(reversed(list(self.keys())))
        return key, self.pop(key)

    def setdefault(self, key, default=None):
        if key in self:
            return self._resolve(key)
        dict.__setitem__(self, key, default)
        return default

    def copy(self):
        return dict(self.items())

    def __iter__(self):
        # Defining __iter__ makes dict(logs) and {**logs} go through keys()
        # and __getitem__ (CPython's fast copy skips both for plain dicts).
        return iter(list(self.keys()))

    def __eq__(self, other):
        return dict(self.items()) == other

    __hash__ = None

    def __repr__(self):
        return repr(dict(self.items()))

    def __reduce__(self):
        return (dict, (dict(self.items()),))
