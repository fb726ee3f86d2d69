"""`BackupAndRestore`: resume an interrupted `fit` where it stopped."""

import hashlib
import io
import math
import os
import random
import warnings

import numpy as np
import torch

from capas.distribute import sharding as _sharding
from capas.keras.callbacks._files import atomic_write
from capas.keras.callbacks._files import is_chief
from capas.keras.callbacks.callback import Callback
from capas._file_utils import remove_stale_temporaries

_MAGIC = b"CAPAS-BACKUP-1\n"
_LATEST = "latest.backup"
_PREVIOUS = "previous.backup"


class BackupAndRestore(Callback):
    """Back up the training state regularly and restore it when `fit` restarts.

    A backup holds the model's weights (and torch buffers), the optimizer's
    variables, the position in training (epoch and batch), and the random
    states (torch, CUDA, numpy, Python `random`, and the model's data
    shuffling generator), so that a run killed at any point and restarted
    with the same script ends with the same weights as an uninterrupted run.
    Each backup is written to a temporary file and renamed into place, and
    carries a checksum: a torn or corrupt file is detected, never loaded.

    At `on_train_begin` the latest backup is restored (if `backup_dir` holds
    one) and `fit` resumes from its epoch and batch. If the latest backup is
    corrupt, the previous one is used (kept with `double_checkpoint=True`);
    if no backup is valid, an error is raised rather than silently training
    from scratch. After a successful `fit` the backup is deleted
    (`delete_checkpoint=True`).

    A state whose loss is NaN or infinite is never backed up, and when training
    ends on such a loss (for example stopped by `TerminateOnNaN`) the last good
    backup is kept, so that a resumed job starts from it (Keras deletes it:
    keras-team/keras#21771). Temporary files left by a run killed while writing
    a backup are removed at the next backup and before the folder is cleaned.

    Differs from Keras: the backup is kept after a non-finite loss.

    Args:
        backup_dir: the folder of the backups (used by this run only).
        save_freq: `'epoch'` (back up at each epoch end) or an integer N
            (back up every N batches).
        double_checkpoint: keep the previous backup too, as a fallback.
        delete_checkpoint: delete the backups when `fit` ends normally.

    Differs from Keras: the backup is one checksummed file (Keras writes
    `latest.weights.h5` and `training_metadata.json`), it also restores
    the optimizer, the random states and the batch position, and only the
    backup files (not the whole folder) are deleted at the end. The
    metrics of a resumed epoch cover the batches run after resuming.

    Example:

    >>> import capas.keras as keras
    >>> callback = keras.callbacks.BackupAndRestore(backup_dir="/tmp/backup")
    >>> # model.fit(x, y, epochs=10, callbacks=[callback])  # killed, then run again: resumes
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError(f"BackupAndRestore: empty `backup_dir` argument passed. Received: {backup_dir!r}.")
        if save_freq != "epoch" and (not isinstance(save_freq, int) or isinstance(save_freq, bool) or save_freq < 1):
            raise ValueError(
                "BackupAndRestore: invalid value for argument `save_freq`. Received: "
                f"save_freq={save_freq!r}. Expected either 'epoch' or a positive integer (batches)."
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._latest_path = os.path.join(self.backup_dir, _LATEST)
        self._previous_path = os.path.join(self.backup_dir, _PREVIOUS)
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        self._save_at_epoch_end = False
        self._non_finite = False

    # -- hooks --------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._non_finite = False
        self.model.__dict__.pop("_stopped_on_non_finite_loss", None)
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        state = self._read_backup()
        if state is None:
            return
        with _sharding.full_weights(self.model):  # FSDPStrategy: restored into the gathered weights, then shards
            self._restore(state)
        epoch, step = int(state["epoch"]), int(state["step"])
        self._current_epoch = epoch
        self.model._resume_from = {"epoch": epoch, "step": step}

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            steps = self.params.get("steps") if self.params else None
            if steps and batch + 1 >= steps:
                # The epoch's last batch: back up at the epoch's end instead, as "next epoch,
                # step 0", so that a resumed run never starts with an empty epoch.
                self._save_at_epoch_end = True
            elif self._finite(logs):
                self._save(epoch=self._current_epoch, step=batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch" or self._save_at_epoch_end:
            self._save_at_epoch_end = False
            if self._finite(logs):
                self._save(epoch=epoch + 1, step=0)

    def on_train_end(self, logs=None):
        if not self.delete_checkpoint or not is_chief():
            return
        if self._non_finite or self.model.__dict__.get("_stopped_on_non_finite_loss"):
            warnings.warn(
                f"BackupAndRestore: training ended on a NaN or infinite loss; the last good backup in "
                f"{self.backup_dir!r} is kept, so running fit again resumes from it.",
                stacklevel=2,
            )
            return
        for path in (self._latest_path, self._previous_path):
            if os.path.exists(path):
                os.remove(path)
            remove_stale_temporaries(path)
        try:
            os.rmdir(self.backup_dir)  # only when nothing else lives there
        except OSError:
            pass

    def _finite(self, logs):
        """False (and remembered) when the logged loss is NaN or infinite: such a state is not backed up."""
        loss = (logs or {}).get("loss")
        if loss is None:
            return True
        if math.isfinite(float(loss)):
            return True
        self._non_finite = True
        return False

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:
            seen = batch + 1
        else:
            seen = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += seen
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    # -- the state ----------------------------------------------------------------------------
    def _optimizer_variables(self):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None:
            return []
        if not getattr(optimizer, "built", True) and hasattr(optimizer, "build"):
            scope = getattr(optimizer, "_name_scope", None)
            if scope is not None:
                with scope():
                    optimizer.build(self.model.trainable_weights)
            else:
                optimizer.build(self.model.trainable_weights)
        return list(getattr(optimizer, "variables", []))

    def _collect(self, epoch, step):
        model = self.model
        weights = model.weights
        weight_ids = {id(w) for w in weights}
        np_state = np.random.get_state()
        py_state = random.getstate()
        state = {
            "epoch": int(epoch),
            "step": int(step),
            "weights": [w.detach().cpu().clone() for w in weights],
            "weight_paths": [str(getattr(w, "path", "") or getattr(w, "name", "")) for w in weights],
            "buffers": {name: b.detach().cpu().clone() for name, b in model.named_buffers() if id(b) not in weight_ids},
            "optimizer": [v.detach().cpu().clone() for v in self._optimizer_variables()],
            "rng_torch": torch.get_rng_state(),
            "rng_numpy": [
                np_state[0],
                torch.from_numpy(np_state[1].astype(np.int64)),
                int(np_state[2]),
                int(np_state[3]),
                float(np_state[4]),
            ],
            "rng_python": [py_state[0], torch.tensor(py_state[1], dtype=torch.int64), py_state[2]],
        }
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            state["rng_cuda"] = torch.cuda.get_rng_state_all()
        data_rng = model.__dict__.get("_data_rng")
        if data_rng is not None:
            state["rng_data"] = data_rng.get_state()
        return state

    def _save(self, epoch, step):
        if not _sharding.is_sharded(self.model):
            if is_chief():
                self._write(epoch, step)
            return
        with _sharding.full_weights(self.model) as chief:  # FSDPStrategy: every rank gathers, rank 0 writes
            if chief:
                self._write(epoch, step)

    def _write(self, epoch, step):
        buffer = io.BytesIO()
        torch.save(self._collect(epoch, step), buffer)
        payload = buffer.getvalue()
        digest = hashlib.sha256(payload).digest()
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._latest_path):
            os.replace(self._latest_path, self._previous_path)

        def write(f):
            f.write(_MAGIC)
            f.write(digest)
            f.write(payload)

        atomic_write(self._latest_path, write)

    def _read_backup(self):
        candidates = [p for p in (self._latest_path, self._previous_path) if os.path.exists(p)]
        if not candidates:
            return None
        problems = []
        for path in candidates:
            try:
                state = _load(path)
            except ValueError as e:
                problems.append(f"{path}: {e}")
                continue
            if problems:
                warnings.warn(
                    f"BackupAndRestore: the latest backup is unreadable ({problems[0]}); restoring the previous "
                    f"one, {path}.",
                    stacklevel=3,
                )
            return state
        raise ValueError(
            "BackupAndRestore: found backups in '"
            + self.backup_dir
            + "' but none is valid:\n  "
            + "\n  ".join(problems)
            + "\nNot starting over silently. To train from scratch, delete the folder (or pass another "
            "backup_dir)."
        )

    def _restore(self, state):
        model = self.model
        weights = model.weights
        saved = state["weights"]
        shapes = [tuple(w.shape) for w in weights]
        saved_shapes = [tuple(t.shape) for t in saved]
        if shapes != saved_shapes:
            raise ValueError(
                f"BackupAndRestore: the backup in '{self.backup_dir}' does not match model '{model.name}': it "
                f"holds {len(saved)} weights of shapes {saved_shapes}, the model has {len(weights)} of shapes "
                f"{shapes}. Delete the folder to start over, or build the model the backup was made from."
            )
        optimizer_vars = self._optimizer_variables()
        saved_opt = state["optimizer"]
        if [tuple(v.shape) for v in optimizer_vars] != [tuple(t.shape) for t in saved_opt]:
            raise ValueError(
                f"BackupAndRestore: the optimizer state in '{self.backup_dir}' ({len(saved_opt)} variables) does "
                f"not match the optimizer of model '{model.name}' ({len(optimizer_vars)} variables). Compile the "
                "model with the optimizer the backup was made with, or delete the folder to start over."
            )
        buffers = dict(model.named_buffers())
        with torch.no_grad():
            for w, value in zip(weights, saved):
                w.copy_(value)
            for v, value in zip(optimizer_vars, saved_opt):
                v.copy_(value)
            for name, value in state["buffers"].items():
                if name in buffers:
                    buffers[name].copy_(value)
        torch.set_rng_state(state["rng_torch"])
        if "rng_cuda" in state and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state["rng_cuda"])
        name, keys, pos, has_gauss, gauss = state["rng_numpy"]
        np.random.set_state((name, keys.numpy().astype(np.uint32), pos, has_gauss, gauss))
        version, internal, gauss_next = state["rng_python"]
        random.setstate((version, tuple(int(i) for i in internal.tolist()), gauss_next))
        if "rng_data" in state:
            data_rng = model.__dict__.get("_data_rng")
            if data_rng is None and hasattr(model, "_data_generator"):
                data_rng = model._data_generator()
            if data_rng is not None:
                data_rng.set_state(state["rng_data"])


def _load(path):
    """Read and verify one backup file; ValueError says what is wrong with it."""
    with open(path, "rb") as f:
        blob = f.read()
    if not blob.startswith(_MAGIC):
        raise ValueError("not a capas backup file (bad header)")
    digest = blob[len(_MAGIC) : len(_MAGIC) + 32]
    payload = blob[len(_MAGIC) + 32 :]
    if hashlib.sha256(payload).digest() != digest:
        raise ValueError("checksum mismatch (truncated or corrupted)")
    try:
        state = torch.load(io.BytesIO(payload), map_location="cpu", weights_only=True)
    except Exception as e:  # noqa: BLE001 - any unpickling failure means an unusable file
        raise ValueError(f"cannot be read ({type(e).__name__}: {e})") from e
    if not isinstance(state, dict) or "epoch" not in state or "weights" not in state:
        raise ValueError("missing training state")
    return state
