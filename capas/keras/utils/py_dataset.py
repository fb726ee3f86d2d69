"""`keras.utils.PyDataset` (and its old name `Sequence`): batches by index, for `fit`."""


class PyDataset:
    """Base class for a dataset that returns whole batches by index.

    Subclasses implement `__getitem__(index)` (a batch: `x`, `(x, y)` or
    `(x, y, sample_weight)`) and `__len__` (the number of batches), and may
    override `on_epoch_begin` / `on_epoch_end`. Iterating the object yields
    its batches in order, calling `on_epoch_end` once the last one is
    fetched, so `fit` takes it like any iterable (one pass per epoch).

    Args:
        workers: accepted for Keras compatibility; capas loads batches in the training process.
        use_multiprocessing: accepted for Keras compatibility.
        max_queue_size: accepted for Keras compatibility.

    Differs from Keras: batches are produced in the training process, one
    after the other (no worker threads or processes); `fit(shuffle=True)`
    does not reorder the batches; `on_epoch_end` runs when the last batch of
    a pass is fetched (Keras: after the epoch's last step).

    Example:

    >>> import numpy as np
    >>> from capas import keras
    >>> class Batches(keras.utils.PyDataset):
    ...     def __init__(self, x, y, batch_size, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.x, self.y, self.batch_size = x, y, batch_size
    ...     def __len__(self):
    ...         return -(-len(self.x) // self.batch_size)
    ...     def __getitem__(self, i):
    ...         s = slice(i * self.batch_size, (i + 1) * self.batch_size)
    ...         return self.x[s], self.y[s]
    >>> data = Batches(np.ones((10, 2), "float32"), np.zeros((10, 1), "float32"), batch_size=4)
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(loss="mse")
    >>> len(model.fit(data, epochs=2, verbose=0).history["loss"])
    2
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self):
        return self._workers

    @property
    def use_multiprocessing(self):
        return self._use_multiprocessing

    @property
    def max_queue_size(self):
        return self._max_queue_size

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__(index), returning batch `index`.")

    def __len__(self):
        raise NotImplementedError(
            f"{type(self).__name__} must implement __len__ (the number of batches) or the `num_batches` property."
        )

    @property
    def num_batches(self):
        """The number of batches (`len(self)`), or None when it is unknown (an infinite dataset)."""
        try:
            return len(self)
        except NotImplementedError:
            return None

    def on_epoch_begin(self):
        """Called at the start of each pass over the batches."""

    def on_epoch_end(self):
        """Called at the end of each pass over the batches (e.g. to shuffle the samples)."""

    def __iter__(self):
        self.on_epoch_begin()
        count = self.num_batches
        index = 0
        while count is None or index < count:
            batch = self[index]
            index += 1
            if index == count:
                # Called once the last batch is fetched, not after its step: `fit` stops
                # iterating after `len(self)` steps and never resumes this generator.
                self.on_epoch_end()
            yield batch


Sequence = PyDataset  # Keras 2's name: keras.utils.Sequence
