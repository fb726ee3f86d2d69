"""Summary writers, the default-writer stack, the global step and `record_if`.

Events go through TensorBoard's own event-file writer (`torch.utils.tensorboard`'s
`FileWriter`, the same one `keras.callbacks.TensorBoard` uses), so the files are read
by TensorBoard and by `tensorboard.backend.event_processing.EventAccumulator`.
"""

import contextlib
import os
import threading
import time

import torch

_state = threading.local()


def _stack():
    stack = getattr(_state, "writers", None)
    if stack is None:
        stack = _state.writers = []
    return stack


def _record_stack():
    stack = getattr(_state, "record", None)
    if stack is None:
        stack = _state.record = []
    return stack


_global = {"step": None, "default": None}


def _file_writer_class():
    try:
        from torch.utils.tensorboard.writer import FileWriter
    except ImportError as exc:
        raise ImportError(
            "tf.summary needs the `tensorboard` package to write event files: `pip install tensorboard`."
        ) from exc
    return FileWriter


class SummaryWriter:
    """The interface of a summary writer (`tf.summary.SummaryWriter`).

    Make one with `tf.summary.create_file_writer(logdir)` (or
    `tf.summary.create_noop_writer()`), then write inside `with writer.as_default():`.

    Example:

    >>> import capas as tf, tempfile
    >>> writer = tf.summary.create_file_writer(tempfile.mkdtemp())
    >>> isinstance(writer, tf.summary.SummaryWriter)
    True
    """

    def set_as_default(self, step=None):
        """Make this writer the default outside any `as_default()` block (and set the step if given)."""
        _global["default"] = self
        if step is not None:
            set_step(step)

    @contextlib.contextmanager
    def as_default(self, step=None):
        """A block in which summary ops write to this writer (and `step`, if given, is the default step)."""
        stack = _stack()
        stack.append(self)
        old_step = _global["step"]
        if step is not None:
            set_step(step)
        try:
            yield self
        finally:
            stack.pop()
            if step is not None:
                _global["step"] = old_step
            self.flush()

    def init(self):
        """Nothing to do: the file is opened when the writer is made."""

    def flush(self):
        """Write buffered events to disk."""

    def close(self):
        """Flush and close the writer; later writes are errors."""

    def _write(self, summary, step):
        raise NotImplementedError


class _FileWriter(SummaryWriter):
    def __init__(self, logdir, max_queue, flush_millis, filename_suffix):
        os.makedirs(logdir, exist_ok=True)
        self._logdir = logdir
        self._writer = _file_writer_class()(
            logdir, max_queue=max_queue, flush_secs=flush_millis / 1000.0, filename_suffix=filename_suffix
        )
        self._closed = False

    def _write(self, summary, step):
        if self._closed:
            raise RuntimeError(
                f"tf.summary: the writer for {self._logdir!r} is closed; make a new one with "
                "tf.summary.create_file_writer()."
            )
        self._writer.add_summary(summary, global_step=step, walltime=time.time())

    def flush(self):
        if not self._closed:
            self._writer.flush()

    def close(self):
        if not self._closed:
            self._writer.close()
            self._closed = True

    def __repr__(self):
        return f"<SummaryWriter logdir={self._logdir!r}>"


class _NoopWriter(SummaryWriter):
    def _write(self, summary, step):
        pass

    def __repr__(self):
        return "<NoopSummaryWriter>"


def create_file_writer(
    logdir,
    max_queue=None,
    flush_millis=None,
    filename_suffix=None,
    name=None,
    experimental_trackable=False,
    experimental_mesh=None,
):
    """A writer of TensorBoard event files in `logdir` (made if missing).

    Args:
        logdir: the folder of the event files.
        max_queue: how many events to buffer before writing (default 10).
        flush_millis: the longest wait between flushes, in ms (default 120000).
        filename_suffix: appended to the event file name (default `.v2`, as TF).
        name, experimental_trackable, experimental_mesh: accepted for TF's
            signature; unused.

    Returns:
        A `SummaryWriter`. Needs the `tensorboard` package.

    Example:

    >>> import capas as tf, tempfile
    >>> writer = tf.summary.create_file_writer(tempfile.mkdtemp())
    >>> with writer.as_default(step=3):
    ...     tf.summary.scalar("loss", 0.5)
    True
    """
    if logdir is None:
        raise ValueError("tf.summary.create_file_writer: `logdir` is None; give a folder for the event files.")
    logdir = os.fspath(logdir.numpy().item().decode() if hasattr(logdir, "numpy") else logdir)
    return _FileWriter(
        logdir,
        max_queue=10 if max_queue is None else int(max_queue),
        flush_millis=120000 if flush_millis is None else int(flush_millis),
        filename_suffix=".v2" if filename_suffix is None else filename_suffix,
    )


def create_noop_writer():
    """A writer that writes nothing (summary ops still return True under it)."""
    return _NoopWriter()


def default_writer():
    """The writer of the innermost `as_default()` block, else the one `set_as_default` chose, else None."""
    stack = _stack()
    return stack[-1] if stack else _global["default"]


def flush(writer=None, name=None):
    """Flush `writer` (default: the default writer); nothing happens without one."""
    writer = default_writer() if writer is None else writer
    if writer is not None:
        writer.flush()


def get_step():
    """The default step for summary ops (`tf.summary.experimental.get_step`), or None."""
    return _global["step"]


def set_step(step):
    """Set the default step for summary ops (an int, int tensor or a `tf.Variable`, read at each write)."""
    _global["step"] = step


@contextlib.contextmanager
def record_if(condition):
    """A block in which summaries are written only when `condition` (a bool or a callable) holds.

    Example:

    >>> import capas as tf
    >>> with tf.summary.record_if(False):
    ...     tf.summary.should_record_summaries()
    False
    """
    stack = _record_stack()
    stack.append(condition)
    try:
        yield
    finally:
        stack.pop()


def _condition_holds():
    stack = _record_stack()
    if not stack:
        return True
    condition = stack[-1]
    if callable(condition):
        condition = condition()
    if isinstance(condition, torch.Tensor):
        condition = bool(condition.item())
    return bool(condition)


def should_record_summaries():
    """True when a default writer is set and the innermost `record_if` condition holds."""
    return default_writer() is not None and _condition_holds()


def resolve_step(step):
    """The int step for a write (`step`, else the default step); ValueError when neither is set."""
    if step is None:
        step = _global["step"]
    if step is None:
        raise ValueError(
            "No step set. Please specify one either through the `step` argument or through "
            "tf.summary.experimental.set_step()"
        )
    if isinstance(step, torch.Tensor):
        step = step.item()
    return int(step)
