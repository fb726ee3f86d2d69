"""`tf.train.Checkpoint`: save and restore an object graph by attribute path.

`Checkpoint(model=model, optimizer=opt, step=step)` names what to save;
`save(prefix)` writes `prefix-N` (N counts the saves, as TF's `save_counter`)
and records it in the folder's `checkpoint` file; `write(prefix)` writes
exactly `prefix`. `restore(path)` / `read(path)` match saved keys to the
current objects by path and return a status with `assert_consumed()`,
`assert_existing_objects_matched()` and `expect_partial()`. Files are data
only (capas/train/_format.py). See docs/checkpoints.md.
"""

import numpy as np
import torch

from capas.train import _format, _graph
from capas.variables import Variable
from capas.train.checkpoint_management import _update_state


class CheckpointLoadStatus:
    """What a restore matched, returned by `Checkpoint.restore` / `read`."""

    def __init__(self, prefix, unused_keys, missing_keys):
        self.prefix = prefix
        self._unused = sorted(unused_keys)
        self._missing = sorted(missing_keys)

    def assert_consumed(self):
        """Raise AssertionError unless every saved value and every current object was matched."""
        if self._unused or self._missing:
            raise AssertionError(
                f"Checkpoint '{self.prefix}' and the objects did not match one to one. Saved values with no object: "
                f"{self._unused}. Objects with no saved value: {self._missing}. Build every layer/optimizer before "
                "restoring, or call expect_partial() if a partial restore is intended."
            )
        return self

    def assert_existing_objects_matched(self):
        """Raise AssertionError if a current object found no saved value."""
        if self._missing:
            raise AssertionError(
                f"Checkpoint '{self.prefix}' has no value for these objects: {self._missing}. "
                f"Saved keys with no object: {self._unused}."
            )
        return self

    def assert_nontrivial_match(self):
        return self

    def expect_partial(self):
        """Accept a partial match (capas warns about nothing, so this only returns the status)."""
        return self

    def run_restore_ops(self, session=None):
        return None

    def initialize_or_restore(self, session=None):
        return None


class _NoopStatus(CheckpointLoadStatus):
    """`restore(None)`: nothing to restore (a fresh start)."""

    def __init__(self):
        super().__init__(None, [], [])


class Checkpoint:
    """Groups objects to save and restore together (TensorFlow's `tf.train.Checkpoint`).

    Args:
        root: optional object whose attributes are saved at the top level.
        **kwargs: named objects to track: Keras models and optimizers,
            `tf.Module`s, `tf.Variable`s, torch modules, other Checkpoints,
            lists/dicts of them, or objects with the checkpoint state protocol.

    Example:

    >>> import os, tempfile
    >>> import capas as tf
    >>> step = tf.Variable(3)
    >>> ckpt = tf.train.Checkpoint(step=step)
    >>> path = ckpt.save(os.path.join(tempfile.mkdtemp(), "ckpt"))
    >>> os.path.basename(path)
    'ckpt-1'
    >>> _ = step.assign(10)
    >>> _ = ckpt.restore(path).assert_consumed()
    >>> int(step.numpy())
    3
    """

    def __init__(self, root=None, **kwargs):
        for name, value in kwargs.items():
            if value is None:
                raise ValueError(f"Checkpoint: the object for '{name}' is None; pass an object to track.")
        self._children = dict(kwargs)
        self._root = root
        self._save_counter = None

    def __getattr__(self, name):
        children = self.__dict__.get("_children", {})
        if name in children:
            return children[name]
        raise AttributeError(f"Checkpoint has no tracked object named '{name}'.")

    def __setattr__(self, name, value):
        # `ckpt.listed = [...]` after construction is tracked too, as TF tracks attributes.
        if name.startswith("_") or name in type(self).__dict__:
            super().__setattr__(name, value)
            return
        if value is None:
            raise ValueError(f"Checkpoint: the object for '{name}' is None; pass an object to track.")
        self._children[name] = value

    @property
    def save_counter(self):
        """How many times `save()` ran (a non-trainable int64 variable, created on first use)."""
        if self._save_counter is None:
            self._save_counter = Variable(torch.tensor(0, dtype=torch.int64), trainable=False, name="save_counter")
        return self._save_counter

    def _leaves(self, aliases=None):
        out = {}
        seen = set()
        if self._root is not None:
            _graph.collect(self._root, "", out, seen, aliases)
        seen.add(id(self))
        for name in sorted(self._children):
            _graph.collect(self._children[name], name, out, seen, aliases)
        if self._save_counter is not None:
            _graph.collect(self._save_counter, "save_counter", out, seen, aliases)
        aliases is not None and aliases.pop("", None)
        return out

    def write(self, file_prefix, options=None):
        """Write the tracked values at exactly `file_prefix` (no counter, no `checkpoint` file); return it."""
        arrays = {}
        graph = {}
        aliases = {}
        for key, leaf in self._leaves(aliases).items():
            if isinstance(leaf, (_graph.DeferredSlots, _graph.DeferredLayer)):
                continue  # an optimizer without slots yet, a layer without weights yet: nothing to write
            if isinstance(leaf, _graph.StateLeaf):
                state = leaf.obj._checkpoint_state()
                graph[key] = sorted(state)
                for name, value in state.items():
                    arrays[f"{key}/{name}"] = value
            else:
                arrays[key] = leaf.value()
                graph[key] = list(np.shape(arrays[key]))
        meta = {"keys": graph, "aliases": aliases} if aliases else {"keys": graph}
        return _format.write(str(file_prefix), arrays, meta)

    def save(self, file_prefix, options=None):
        """Write `file_prefix-N` (N = the new `save_counter`), record it as latest, and return that path."""
        counter = self.save_counter
        counter.assign_add(1)
        path = f"{file_prefix}-{int(counter.numpy())}"
        self.write(path)
        _update_state(path)
        return path

    def read(self, save_path, options=None):
        """Restore values from `save_path` (written by `write` or `save`); returns a load status."""
        return self._restore_from(save_path)

    def restore(self, save_path, options=None):
        """Restore from `save_path` (None: do nothing, as for a fresh start); returns a load status.

        Raises:
            tf.errors.NotFoundError: no checkpoint at `save_path`.
            tf.errors.DataLossError: a truncated or corrupted checkpoint.
            ValueError: a saved value whose shape differs from its object's.
        """
        if save_path is None:
            return _NoopStatus()
        reader = _format.Reader(save_path)
        if "save_counter/" + _graph.VARIABLE_SUFFIX in reader.entries:
            self.save_counter  # noqa: B018 - create it so that it is restored too
        return self._restore_from(reader)

    def _restore_from(self, reader):
        if not isinstance(reader, _format.Reader):
            reader = _format.Reader(reader)
        used = set()
        missing = []
        restores = []
        deferred = []
        saved_aliases = (reader.object_graph or {}).get("aliases", {}) if isinstance(reader.object_graph, dict) else {}
        for key, leaf in self._leaves().items():
            if key not in reader.entries and saved_aliases.get(key) in reader.entries:
                key = saved_aliases[key]  # saved under another path to the same variable
            if isinstance(leaf, _graph.DeferredLayer):
                found = leaf.saved_keys(reader.entries)
                if found:
                    deferred.append((leaf, {k: reader.read(k) for k in found}))
                    used.update(found)
                continue
            if isinstance(leaf, _graph.DeferredSlots):
                found = leaf.saved_indices(reader.entries)
                if found:
                    deferred.append((leaf, {i: reader.read(k) for i, k in found.items()}))
                    used.update(found.values())
                continue
            if isinstance(leaf, _graph.StateLeaf):
                names = [k for k in reader.entries if k.startswith(key + "/")]
                if not names:
                    missing.append(key)
                    continue
                state = {k[len(key) + 1 :]: reader.read_py(k) for k in names}
                restores.append((leaf.obj._restore_checkpoint_state, state))
                used.update(names)
            elif key in reader.entries:
                value = reader.read(key)
                leaf.check(value, key)
                restores.append((leaf.restore, value))
                used.add(key)
            else:
                missing.append(key)
        # every value is read and checked before any is written
        for restore, value in restores:
            restore(value)
        # slots an optimizer has not created yet: set when it builds
        for leaf, values in deferred:
            leaf.defer(values)
        return CheckpointLoadStatus(reader.prefix, set(reader.entries) - used, missing)
