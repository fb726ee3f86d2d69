"""BackupAndRestore: the saved state, corrupt backups, deletion, and a real kill-and-resume."""

import os
import random
import subprocess
import sys

import numpy as np
import pytest
import torch

from capas.keras.callbacks.backup_and_restore import _load
from tests.keras.callbacks.conftest import make_model


def fresh_trained(ck, data, epochs=1):
    x, y = data
    model = make_model(ck)
    model.fit(x, y, epochs=epochs, batch_size=8, verbose=0)
    return model


def backup_now(ck, model, folder, epoch=2, step=0, **kwargs):
    callback = ck.callbacks.BackupAndRestore(str(folder), **kwargs)
    callback.set_model(model)
    callback.set_params({"epochs": 5, "steps": 5, "verbose": 0})
    callback._save(epoch=epoch, step=step)
    return callback


def test_restores_weights_optimizer_position_and_rng(ck, data, tmp_path):
    model = fresh_trained(ck, data)
    model._data_generator()
    torch.manual_seed(123)
    np.random.seed(7)
    random.seed(5)
    backup_now(ck, model, tmp_path, epoch=2, step=3)
    expected = {
        "weights": [np.array(w, copy=True) for w in model.get_weights()],
        "optimizer": [v.detach().clone() for v in model.optimizer.variables],
        "torch": torch.rand(3),
        "numpy": np.random.rand(3),
        "python": random.random(),
        "data": torch.randperm(10, generator=model._data_rng),
    }
    other = make_model(ck)
    other.fit(*data, epochs=1, batch_size=8, verbose=0)  # different weights and optimizer state
    restore = ck.callbacks.BackupAndRestore(str(tmp_path))
    restore.set_model(other)
    restore.set_params({"epochs": 5, "steps": 5, "verbose": 0})
    restore.on_train_begin()
    assert other._resume_from == {"epoch": 2, "step": 3}
    for got, want in zip(other.get_weights(), expected["weights"]):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(other.optimizer.variables, expected["optimizer"]):
        assert torch.equal(got.detach(), want)
    assert torch.equal(torch.rand(3), expected["torch"])
    np.testing.assert_array_equal(np.random.rand(3), expected["numpy"])
    assert random.random() == expected["python"]
    assert torch.equal(torch.randperm(10, generator=other._data_rng), expected["data"])


def test_unbuilt_optimizer_is_built_before_restoring(ck, data, tmp_path):
    model = fresh_trained(ck, data)
    backup_now(ck, model, tmp_path)
    other = make_model(ck)  # compiled, never trained: the optimizer has no slots yet
    restore = ck.callbacks.BackupAndRestore(str(tmp_path))
    restore.set_model(other)
    restore.on_train_begin()
    for got, want in zip(other.optimizer.variables, model.optimizer.variables):
        assert torch.equal(got.detach(), want.detach())


def test_batch_saves_on_the_last_batch_wait_for_the_epoch_end(ck, tmp_path):
    saved = []

    class Recording(ck.callbacks.BackupAndRestore):
        def _save(self, epoch, step):
            saved.append((epoch, step))

    callback = Recording(str(tmp_path), save_freq=2)
    callback.set_params({"epochs": 2, "steps": 4, "verbose": 0})
    for epoch in range(2):
        callback.on_epoch_begin(epoch)
        for batch in range(4):
            callback.on_train_batch_end(batch)
        callback.on_epoch_end(epoch)
    assert saved == [(0, 2), (1, 0), (1, 2), (2, 0)]


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_corrupt_latest_falls_back_to_previous(ck, data, tmp_path, damage):
    model = fresh_trained(ck, data)
    backup_now(ck, model, tmp_path, epoch=1, double_checkpoint=True)
    first = [np.array(w, copy=True) for w in model.get_weights()]
    model.fit(*data, epochs=1, batch_size=8, verbose=0)
    backup_now(ck, model, tmp_path, epoch=2, double_checkpoint=True)
    assert sorted(os.listdir(tmp_path)) == ["latest.backup", "previous.backup"]
    latest = tmp_path / "latest.backup"
    blob = latest.read_bytes()
    latest.write_bytes(
        {
            "truncate": blob[: len(blob) // 2],
            "flip": blob[:-10] + bytes([blob[-10] ^ 0xFF]) + blob[-9:],
            "garbage": b"not a backup at all",
            "empty": b"",
        }[damage]
    )
    other = make_model(ck)
    restore = ck.callbacks.BackupAndRestore(str(tmp_path), double_checkpoint=True)
    restore.set_model(other)
    with pytest.warns(UserWarning, match="latest backup is unreadable.*restoring the previous one"):
        restore.on_train_begin()
    assert other._resume_from == {"epoch": 1, "step": 0}
    for got, want in zip(other.get_weights(), first):
        np.testing.assert_array_equal(got, want)


def test_no_valid_backup_raises_instead_of_starting_over(ck, data, tmp_path):
    model = fresh_trained(ck, data)
    backup_now(ck, model, tmp_path)
    path = tmp_path / "latest.backup"
    path.write_bytes(path.read_bytes()[:-100])
    restore = ck.callbacks.BackupAndRestore(str(tmp_path))
    restore.set_model(make_model(ck))
    with pytest.raises(ValueError, match=r"(?s)none is valid:\n.*latest.backup: checksum mismatch.*delete the folder"):
        restore.on_train_begin()


def test_backup_of_another_model_is_refused(ck, data, tmp_path):
    backup_now(ck, fresh_trained(ck, data), tmp_path)
    restore = ck.callbacks.BackupAndRestore(str(tmp_path))
    restore.set_model(make_model(ck, classes=1))
    with pytest.raises(ValueError, match=r"does not match model .*shapes \[\(4, 3\), \(3,\)\].*\[\(4, 1\), \(1,\)\]"):
        restore.on_train_begin()


def test_fit_resumes_and_deletes_the_backup_at_the_end(ck, data, tmp_path):
    x, y = data
    model = fresh_trained(ck, data)
    backup_now(ck, model, tmp_path / "b", epoch=3)
    epochs = []

    class Spy(ck.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            epochs.append(epoch)

    (tmp_path / "b" / "keep.txt").write_text("user file")
    model.fit(
        x, y, epochs=5, batch_size=8, verbose=0, callbacks=[ck.callbacks.BackupAndRestore(str(tmp_path / "b")), Spy()]
    )
    assert epochs == [3, 4]
    assert os.listdir(tmp_path / "b") == ["keep.txt"]  # only the backups are deleted


@pytest.mark.parametrize("delete", [True, False])
def test_backups_written_each_epoch_and_kept_on_request(ck, data, tmp_path, delete):
    x, y = data
    seen = []

    class Spy(ck.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(sorted(os.listdir(tmp_path / "b")))

    make_model(ck).fit(
        x,
        y,
        epochs=2,
        batch_size=8,
        verbose=0,
        callbacks=[ck.callbacks.BackupAndRestore(str(tmp_path / "b"), delete_checkpoint=delete), Spy()],
    )
    assert seen == [["latest.backup"], ["latest.backup"]]
    assert os.path.exists(tmp_path / "b") == (not delete)


def test_failed_fit_keeps_the_backup(ck, data, tmp_path):
    x, y = data

    class Crash(ck.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        make_model(ck).fit(x, y, epochs=3, verbose=0, callbacks=[ck.callbacks.BackupAndRestore(str(tmp_path)), Crash()])
    assert os.listdir(tmp_path) == ["latest.backup"]


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"backup_dir": ""}, "empty `backup_dir`"),
        ({"backup_dir": "b", "save_freq": "batch"}, "save_freq='batch'.*'epoch' or a positive integer"),
    ],
)
def test_bad_arguments(ck, kwargs, message):
    with pytest.raises(ValueError, match=message):
        ck.callbacks.BackupAndRestore(**kwargs)


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_weights(tmp_path):
    """SIGKILL mid-epoch, restart the same script: the weights equal an uninterrupted run's, bit for bit."""
    script = os.path.join(os.path.dirname(__file__), "_resume_script.py")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))

    def run(out, backup, *extra):
        os.makedirs(out, exist_ok=True)
        return subprocess.run(
            [sys.executable, script, str(out), str(backup), *map(str, extra)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    plain = run(tmp_path / "plain", tmp_path / "plain_backup")
    assert plain.returncode == 0, plain.stderr
    # 6 batches per epoch, a backup every 4 batches: killed in the last batch of epoch 2 (0-based),
    # after the backup at its batch 4: the restart replays the epoch's permutation and skips 4 batches.
    killed = run(tmp_path / "resumed", tmp_path / "backup", 18)
    assert killed.returncode == -9, killed.stderr
    assert sorted(os.listdir(tmp_path / "backup")) == ["latest.backup", "previous.backup"]
    state = _load(str(tmp_path / "backup" / "latest.backup"))
    assert (state["epoch"], state["step"]) == (2, 4)
    resumed = run(tmp_path / "resumed", tmp_path / "backup")
    assert resumed.returncode == 0, resumed.stderr
    assert not os.path.exists(tmp_path / "backup")
    want = np.load(tmp_path / "plain" / "weights.npz")
    got = np.load(tmp_path / "resumed" / "weights.npz")
    assert len(want.files) == len(got.files) == 4
    for key in want.files:
        np.testing.assert_array_equal(got[key], want[key])


def _nan_after(ck, batches):
    """A callback that makes the model's weights NaN after `batches` batches of the run."""

    class PoisonWeights(ck.callbacks.Callback):
        seen = 0

        def on_train_batch_begin(self, batch, logs=None):
            PoisonWeights.seen += 1
            if PoisonWeights.seen == batches + 1:
                for w in self.model.trainable_weights:
                    w.assign(w * float("nan"))

    return PoisonWeights()


def test_terminate_on_nan_keeps_the_last_good_backup(ck, data, tmp_path):
    """keras-team/keras#21771: TerminateOnNaN must not make BackupAndRestore delete the last good state."""
    x, y = data  # 40 samples, batch 8: 5 batches per epoch
    model = make_model(ck)
    with pytest.warns(UserWarning, match="last good backup"):
        model.fit(
            x,
            y,
            epochs=4,
            batch_size=8,
            verbose=0,
            callbacks=[ck.callbacks.BackupAndRestore(str(tmp_path)), _nan_after(ck, 7), ck.callbacks.TerminateOnNaN()],
        )
    assert os.listdir(tmp_path) == ["latest.backup"]
    state = _load(str(tmp_path / "latest.backup"))
    assert (state["epoch"], state["step"]) == (1, 0)  # epoch 0's end: the NaN came in epoch 1
    assert all(np.isfinite(w).all() for w in state_weights(state))


def test_non_finite_batch_state_is_not_backed_up(ck, data, tmp_path):
    x, y = data
    model = make_model(ck)
    with pytest.warns(UserWarning, match="last good backup"):
        model.fit(
            x,
            y,
            epochs=2,
            batch_size=8,
            verbose=0,
            callbacks=[ck.callbacks.BackupAndRestore(str(tmp_path), save_freq=2), _nan_after(ck, 3)],
        )
    state = _load(str(tmp_path / "latest.backup"))
    assert (state["epoch"], state["step"]) == (0, 2)
    assert all(np.isfinite(w).all() for w in state_weights(state))


def test_a_later_clean_fit_deletes_the_backup_again(ck, data, tmp_path):
    x, y = data
    model = make_model(ck)
    with pytest.warns(UserWarning, match="last good backup"):
        model.fit(
            x,
            y,
            epochs=3,
            batch_size=8,
            verbose=0,
            callbacks=[
                ck.callbacks.BackupAndRestore(str(tmp_path / "b")),
                _nan_after(ck, 7),
                ck.callbacks.TerminateOnNaN(),
            ],
        )
    fresh = make_model(ck)
    fresh.fit(
        x,
        y,
        epochs=2,
        batch_size=8,
        verbose=0,
        callbacks=[ck.callbacks.BackupAndRestore(str(tmp_path / "b")), ck.callbacks.TerminateOnNaN()],
    )
    assert not os.path.exists(tmp_path / "b")


def state_weights(state):
    found = [v for k, v in _flat(state) if "weight" in k.lower() or "kernel" in k.lower()]
    assert found, f"no weights in the backup's keys {[k for k, _ in _flat(state)]}"
    return [np.asarray(v.detach().cpu() if isinstance(v, torch.Tensor) else v) for v in found]


def _flat(value, prefix=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flat(v, f"{prefix}/{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _flat(v, f"{prefix}/{i}")
    elif isinstance(value, (torch.Tensor, np.ndarray)) and np.issubdtype(
        np.asarray(value.detach() if isinstance(value, torch.Tensor) else value).dtype, np.floating
    ):
        yield prefix, value
