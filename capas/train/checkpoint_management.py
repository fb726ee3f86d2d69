"""`tf.train.latest_checkpoint`, `CheckpointManager`, `list_variables`, `load_variable`.

Each checkpoint folder has a small text file named `checkpoint` in
TensorFlow's layout (`model_checkpoint_path: "ckpt-3"` and one
`all_model_checkpoint_paths: "..."` line per kept checkpoint), rewritten
atomically after each save, so a crash mid-save leaves it naming the
previous, complete checkpoint.
"""

import os
import re

import numpy as np

from capas.train import _format
from capas._file_utils import atomic_write

STATE_FILE = "checkpoint"
_LINE = re.compile(r'^(\w+):\s*"((?:[^"\\]|\\.)*)"\s*$')


def _read_state(directory):
    """(latest path or None, [all paths]) from `directory/checkpoint`, as absolute paths."""
    path = os.path.join(directory, STATE_FILE)
    if not os.path.exists(path):
        return None, []
    latest, every = None, []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            match = _LINE.match(line.strip())
            if not match:
                continue
            value = match.group(2)
            value = value if os.path.isabs(value) else os.path.join(directory, value)
            if match.group(1) == "model_checkpoint_path":
                latest = value
            elif match.group(1) == "all_model_checkpoint_paths":
                every.append(value)
    return latest, every


def _write_state(directory, latest, every):
    def rel(p):
        return os.path.relpath(p, directory) if os.path.dirname(os.path.abspath(p)) == os.path.abspath(directory) else p

    lines = [f'model_checkpoint_path: "{rel(latest)}"'] + [f'all_model_checkpoint_paths: "{rel(p)}"' for p in every]
    with atomic_write(os.path.join(directory, STATE_FILE), "w") as f:
        f.write("\n".join(lines) + "\n")


def _update_state(path, keep=None):
    directory = os.path.dirname(os.path.abspath(path))
    _, every = _read_state(directory)
    every = [p for p in every if os.path.abspath(p) != os.path.abspath(path)] + [os.path.abspath(path)]
    if keep is not None:
        every = keep
    _write_state(directory, os.path.abspath(path), every)


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest checkpoint recorded in `checkpoint_dir`, or None.

    Example:

    >>> import tempfile
    >>> import capas as tf
    >>> tf.train.latest_checkpoint(tempfile.mkdtemp()) is None
    True
    """
    directory = os.fspath(checkpoint_dir)
    latest, _ = _read_state(directory)
    if latest is None or not os.path.exists(latest + _format.INDEX_SUFFIX):
        return None
    return latest


def list_variables(ckpt_dir_or_file):
    """`[(key, shape)]` for every value in a checkpoint (a prefix, or a folder: its latest), sorted by key."""
    reader = _format.Reader(ckpt_dir_or_file)
    names = [(k, reader.shape(k)) for k in reader.keys()] + [(_format.OBJECT_GRAPH_KEY, [])]
    return sorted(names)


def load_variable(ckpt_dir_or_file, name):
    """The numpy value saved under `name` (a `/.ATTRIBUTES/VARIABLE_VALUE` suffix may be left off)."""
    reader = _format.Reader(ckpt_dir_or_file)
    if name not in reader.entries and name != _format.OBJECT_GRAPH_KEY:
        full = f"{name}/.ATTRIBUTES/VARIABLE_VALUE"
        name = full if full in reader.entries else name
    return reader.read(name)


class CheckpointReader:
    """Reads the values of a checkpoint by key (what `tf.train.load_checkpoint` returns)."""

    def __init__(self, ckpt_dir_or_file):
        self._reader = _format.Reader(ckpt_dir_or_file)

    def get_tensor(self, name):
        """The numpy value saved under `name`."""
        return self._reader.read(name)

    def has_tensor(self, name):
        return name in self._reader.entries or name == _format.OBJECT_GRAPH_KEY

    def get_variable_to_shape_map(self):
        return {k: self._reader.shape(k) for k in self._reader.keys()}

    def get_variable_to_dtype_map(self):
        return {
            k: e["dtype"] if e["dtype"] == "string" else str(np.dtype(e["dtype"]))
            for k, e in self._reader.entries.items()
        }


def load_checkpoint(ckpt_dir_or_file):
    """A `CheckpointReader` for a checkpoint prefix (or a folder: its latest checkpoint)."""
    return CheckpointReader(ckpt_dir_or_file)


class CheckpointManager:
    """Saves numbered checkpoints in a folder and keeps the newest `max_to_keep`.

    Args:
        checkpoint: the `tf.train.Checkpoint` to save.
        directory: the folder (created on first save).
        max_to_keep: how many checkpoints to keep (None keeps all).
        checkpoint_name: the file prefix (`'ckpt'`).

    Example:

    >>> import os, tempfile
    >>> import capas as tf
    >>> manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(1.0)), tempfile.mkdtemp(), 2)
    >>> [os.path.basename(manager.save()) for _ in range(3)]
    ['ckpt-1', 'ckpt-2', 'ckpt-3']
    >>> [os.path.basename(p) for p in manager.checkpoints]
    ['ckpt-2', 'ckpt-3']
    """

    def __init__(
        self,
        checkpoint,
        directory,
        max_to_keep,
        keep_checkpoint_every_n_hours=None,
        checkpoint_name="ckpt",
        step_counter=None,
        checkpoint_interval=None,
        init_fn=None,
    ):
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._init_fn = init_fn
        latest, every = _read_state(self._directory)
        self._checkpoints = [p for p in every if os.path.exists(p + _format.INDEX_SUFFIX)]
        self._latest = latest if latest in self._checkpoints else (self._checkpoints[-1] if self._checkpoints else None)

    @property
    def directory(self):
        return self._directory

    @property
    def checkpoint(self):
        return self._checkpoint

    @property
    def checkpoints(self):
        """The kept checkpoint prefixes, oldest first."""
        return list(self._checkpoints)

    @property
    def latest_checkpoint(self):
        """The newest checkpoint prefix, or None."""
        return self._latest

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Save `ckpt-N` (N: `checkpoint_number` or the checkpoint's next save count), drop old ones, return it."""
        counter = self._checkpoint.save_counter
        counter.assign_add(1)
        number = int(counter.numpy()) if checkpoint_number is None else int(checkpoint_number)
        path = f"{self._prefix}-{number}"
        self._checkpoint.write(path)
        self._checkpoints = [p for p in self._checkpoints if p != path] + [path]
        dropped = []
        if self._max_to_keep is not None:
            while len(self._checkpoints) > self._max_to_keep:
                dropped.append(self._checkpoints.pop(0))
        self._latest = path
        os.makedirs(self._directory, exist_ok=True)
        _write_state(self._directory, path, self._checkpoints)  # the new state first, then delete
        for old in dropped:
            for suffix in (_format.INDEX_SUFFIX, _format.DATA_SUFFIX):
                try:
                    os.remove(old + suffix)
                except FileNotFoundError:
                    pass
        return path

    def restore_or_initialize(self):
        """Restore the latest checkpoint and return its path, or run `init_fn` and return None."""
        if self._latest is not None:
            self._checkpoint.restore(self._latest)
            return self._latest
        if self._init_fn is not None:
            self._init_fn()
        return None
