"""The iterator a `Dataset` hands out, and its checkpoint state."""

import numpy as np

from capas._function._trace import ITERATOR_FALLBACK, current_recorder
from capas.data._optional import Optional
from capas.errors import OutOfRangeError


class Iterator:
    """Iterates a `Dataset` once; `iter(dataset)` makes one.

    Its position can be saved and restored (the protocol `tf.train.Checkpoint`
    uses): `_checkpoint_state()` returns the number of elements consumed, and
    `_restore_checkpoint_state(state)` on a fresh iterator of the same pipeline
    replays the pipeline up to that position, so the next elements are the
    ones the saved iterator would have produced.

    Differs from TF: restoring replays (recomputes) the consumed elements
    instead of loading buffered internal state, so a pipeline restores exactly
    when it is deterministic: no `shuffle` without a seed, no
    `deterministic=False`, and sources that read the same data again.

    Example:

    >>> import capas as tf
    >>> it = iter(tf.data.Dataset.range(5))
    >>> int(next(it)), int(it.get_next())
    (0, 1)
    >>> fresh = iter(tf.data.Dataset.range(5))
    >>> fresh._restore_checkpoint_state(it._checkpoint_state())
    >>> int(next(fresh))
    2
    """

    def __init__(self, dataset):
        self._dataset = dataset
        self._it = iter(dataset._make_iter())
        self._consumed = 0

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def __iter__(self):
        return self

    def __next__(self):
        recorder = current_recorder()
        if recorder is not None and recorder.python_only is None:
            # Inside a tf.function trace: a graph would hold this element as a constant, and every
            # call would see it again. The function runs as Python on each call instead, so each
            # call takes the next element, as TF's graph does (docs/function.md).
            recorder.fall_back(ITERATOR_FALLBACK)
        element = next(self._it)
        self._consumed += 1
        return element

    def get_next(self):
        """The next element; raises `tf.errors.OutOfRangeError` past the end (as TF does).

        `next(iterator)` raises `StopIteration` there instead, so Python loops end; inside
        a `tf.function` it too becomes `OutOfRangeError`, as in TF's graph.
        """
        try:
            return next(self)
        except StopIteration:
            raise end_of_sequence() from None

    def get_next_as_optional(self):
        """The next element as a `tf.experimental.Optional`, empty past the end."""
        try:
            return Optional.from_value(next(self))
        except StopIteration:
            return Optional.empty(self.element_spec)

    def _checkpoint_state(self):
        return {"consumed": np.asarray(self._consumed, dtype=np.int64)}

    def _restore_checkpoint_state(self, state):
        if "consumed" not in state:
            raise ValueError(f"Dataset iterator: a checkpoint state needs 'consumed'; received keys {sorted(state)}.")
        target = int(np.asarray(state["consumed"]))
        self._it = iter(self._dataset._make_iter())
        self._consumed = 0
        for _ in range(target):
            try:
                next(self._it)
            except StopIteration:
                raise ValueError(
                    f"Dataset iterator: the checkpoint was saved after {target} elements, but this pipeline ends "
                    f"after {self._consumed}; restore into an iterator of the same pipeline."
                ) from None
            self._consumed += 1


def end_of_sequence():
    """The error TF raises when an iterator is read past its end."""
    return OutOfRangeError(None, "IteratorGetNext", "End of sequence")
