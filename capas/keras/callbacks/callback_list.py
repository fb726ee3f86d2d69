"""`CallbackList`: the one dispatcher of callback hooks (grep here to find every call).

The trainer calls, in this order (Keras 3's):

    fit:      on_train_begin
              per epoch: on_epoch_begin
                         per batch: on_train_batch_begin, on_train_batch_end
                         validation: on_test_begin, on_test_batch_begin/end..., on_test_end
                         on_epoch_end
              on_train_end
    evaluate: on_test_begin, on_test_batch_begin/end..., on_test_end
    predict:  on_predict_begin, on_predict_batch_begin/end..., on_predict_end

Batch logs are wrapped in `LazyLogs` (one object shared by every callback),
so device tensors become floats only if some callback reads them; per-batch
hooks skip the callbacks that do not override them (the base hooks are no-ops).
"""

from capas.keras.callbacks._logs import LazyLogs
from capas.keras.callbacks._logs import pythonify_logs
from capas.keras.callbacks.callback import Callback
from capas.keras.callbacks.history import History
from capas.keras.callbacks.progbar_logger import ProgbarLogger


_ALIASES = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}


def _overrides(callback, hook):
    """Whether `callback.hook` is more than the base class's no-op (instance attributes count)."""
    if hook in getattr(callback, "__dict__", {}):
        return True
    return getattr(type(callback), hook, None) is not getattr(Callback, hook)


def _flatten(callbacks):
    out = []
    for c in callbacks:
        if isinstance(c, (list, tuple)):
            out.extend(_flatten(c))
            continue
        if isinstance(c, type):
            raise TypeError(
                f"callbacks must be callback instances; received the class {c.__name__}. "
                f"Pass an instance, e.g. callbacks=[{c.__name__}()]."
            )
        if not hasattr(c, "on_epoch_end") or not hasattr(c, "set_model"):
            raise TypeError(
                f"callbacks must be instances of keras.callbacks.Callback; received {c!r} of type "
                f"{type(c).__name__}. Subclass keras.callbacks.Callback, or wrap functions in "
                "keras.callbacks.LambdaCallback."
            )
        out.append(c)
    return out


class CallbackList(Callback):
    """Calls each hook on every callback, in order.

    Args:
        callbacks: a list of `Callback` instances (nested lists are flattened).
        add_history: append a `History` if none is given.
        add_progbar: append a `ProgbarLogger` if none is given.
        model: the model; set on every callback.
        **params: `verbose`, `epochs`, `steps`; set on every callback.

    Example:

    >>> import capas.keras as keras
    >>> callbacks = keras.callbacks.CallbackList([keras.callbacks.History()])
    >>> callbacks.on_train_begin()
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        self.callbacks = _flatten(callbacks) if callbacks else []
        self._history = next((c for c in self.callbacks if isinstance(c, History)), None)
        self._progbar = next((c for c in self.callbacks if isinstance(c, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        self._listener_cache = {}
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, callback):
        """Add one callback at the end (it gets the model and params already set)."""
        (callback,) = _flatten([callback])
        self.callbacks.append(callback)
        if self._model is not None:
            callback.set_model(self._model)
        if self.params:
            callback.set_params(self.params)

    def set_model(self, model):
        super().set_model(model)
        if model is None:
            return
        if self._history is not None:
            model.history = self._history
        for c in self.callbacks:
            c.set_model(model)

    def set_params(self, params):
        super().set_params(params)
        for c in self.callbacks:
            c.set_params(params)

    def _call(self, hook, *args):
        for c in self.callbacks:
            getattr(c, hook)(*args)

    def _listeners(self, hook):
        """The callbacks whose `hook` does something (cached): per-batch hooks skip the others."""
        key = tuple(map(id, self.callbacks))  # the list may have been edited in place
        cached = self._listener_cache.get(hook)
        if cached is None or cached[0] != key:
            aliases = (hook, _ALIASES[hook]) if hook in _ALIASES else (hook,)
            cached = (key, [c for c in self.callbacks if any(_overrides(c, name) for name in aliases)])
            self._listener_cache[hook] = cached
        return cached[1]

    def _call_batch(self, hook, batch, logs):
        listeners = self._listeners(hook)
        if listeners:
            logs = LazyLogs(logs)
            for c in listeners:
                getattr(c, hook)(batch, logs)

    # -- fit ----------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._call("on_train_begin", pythonify_logs(logs))

    def on_train_end(self, logs=None):
        self._call("on_train_end", pythonify_logs(logs))

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, pythonify_logs(logs))

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, pythonify_logs(logs))

    def on_batch_begin(self, batch, logs=None):
        self._call_batch("on_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        self._call_batch("on_batch_end", batch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call_batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call_batch("on_train_batch_end", batch, logs)

    # -- evaluate -----------------------------------------------------------------------------
    def on_test_begin(self, logs=None):
        self._call("on_test_begin", pythonify_logs(logs))

    def on_test_end(self, logs=None):
        self._call("on_test_end", pythonify_logs(logs))

    def on_test_batch_begin(self, batch, logs=None):
        self._call_batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call_batch("on_test_batch_end", batch, logs)

    # -- predict ------------------------------------------------------------------------------
    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", pythonify_logs(logs))

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", pythonify_logs(logs))

    def on_predict_batch_begin(self, batch, logs=None):
        self._call_batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call_batch("on_predict_batch_end", batch, logs)
