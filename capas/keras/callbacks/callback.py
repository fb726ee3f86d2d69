"""`Callback`: the hooks `fit`, `evaluate` and `predict` call."""


class Callback:
    """Base class for callbacks: subclass it and override the hooks you need.

    `fit`, `evaluate` and `predict` call the hooks through a `CallbackList`
    (see `callback_list.py` for the order). `self.model` is the model being
    trained and `self.params` holds `verbose`, `epochs` and `steps`.

    Batch-level `logs` (`on_*_batch_end`) hold the running metrics of the
    epoch; they live on the device and become Python floats only when a
    callback reads them, so a callback that ignores them costs no device
    sync. Epoch-level `logs` (`on_epoch_end`, `on_test_end`, `on_train_end`)
    hold Python floats, with `val_*` keys after validation. Keys are sorted,
    as in Keras.

    Example:

    >>> import capas.keras as keras
    >>> class Stopper(keras.callbacks.Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         if logs["loss"] < 0.1:
    ...             self.model.stop_training = True
    """

    def __init__(self):
        self.params = {}
        self._model = None

    def set_params(self, params):
        """Store the training parameters (`verbose`, `epochs`, `steps`)."""
        self.params = params

    def set_model(self, model):
        """Store the model the callback is attached to."""
        self._model = model

    @property
    def model(self):
        """The model being trained, evaluated or predicted with."""
        return self._model

    @model.setter
    def model(self, model):
        self._model = model

    # -- epoch and batch hooks of fit ---------------------------------------------------
    def on_batch_begin(self, batch, logs=None):
        """A backwards compatibility alias for `on_train_batch_begin`."""

    def on_batch_end(self, batch, logs=None):
        """A backwards compatibility alias for `on_train_batch_end`."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch of `fit` (`epoch` is 0-based)."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch with the epoch's metrics (floats, `val_*` included)."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before each training batch; calls `on_batch_begin` by default."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after each training batch with the running metrics; calls `on_batch_end`."""
        self.on_batch_end(batch, logs=logs)

    # -- batch hooks of evaluate and predict ----------------------------------------------
    def on_test_batch_begin(self, batch, logs=None):
        """Called before each batch of `evaluate` (and of validation in `fit`)."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after each batch of `evaluate` with the running metrics."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before each batch of `predict`."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after each batch of `predict`; `logs['outputs']` is the batch's output."""

    # -- begin and end ----------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        """Called once at the start of `fit`."""

    def on_train_end(self, logs=None):
        """Called once at the end of `fit` with the last epoch's logs."""

    def on_test_begin(self, logs=None):
        """Called at the start of `evaluate` (and of each validation run)."""

    def on_test_end(self, logs=None):
        """Called at the end of `evaluate` with its metrics (floats)."""

    def on_predict_begin(self, logs=None):
        """Called at the start of `predict`."""

    def on_predict_end(self, logs=None):
        """Called at the end of `predict`."""
