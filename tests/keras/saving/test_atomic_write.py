"""Every file is written to a temporary name and renamed into place: a crash never breaks a good file."""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import h5py
import numpy as np
import pytest

from capas import keras as ck
from capas._file_utils import atomic_write, is_temporary_name
from tests.keras.saving.saving_models import sequential_mlp


def _stray(folder, target):
    return [name for name in os.listdir(folder) if is_temporary_name(name, target)]


@pytest.mark.parametrize("mode,payload", [("wb", b"new bytes"), ("w", "new text")])
def test_atomic_write_replaces_on_success(tmp_path, mode, payload):
    target = tmp_path / "f.bin"
    target.write_bytes(b"old")
    with atomic_write(target, mode) as f:
        f.write(payload)
        assert target.read_bytes() == b"old"  # nothing visible before the rename
    assert target.read_bytes() == (payload if isinstance(payload, bytes) else payload.encode())
    assert _stray(tmp_path, target) == []


def test_atomic_write_append_mode(tmp_path):
    target = tmp_path / "log.csv"
    with atomic_write(target, "a") as f:
        f.write("epoch,loss\n")
    with atomic_write(target, "a") as f:
        f.write("0,1.5\n")
    assert target.read_text() == "epoch,loss\n0,1.5\n"


def test_atomic_write_failure_keeps_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "f.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="midway"):
        with atomic_write(target) as f:
            f.write(b"half")
            raise RuntimeError("midway")
    assert target.read_bytes() == b"old"
    assert _stray(tmp_path, target) == []


def test_atomic_write_refuses_read_modes(tmp_path):
    with pytest.raises(ValueError, match="mode"):
        with atomic_write(tmp_path / "x", "r"):
            pass


@pytest.mark.parametrize("fmt", ["keras", "weights"])
def test_failed_save_keeps_previous_file(tmp_path, monkeypatch, fmt):
    model = sequential_mlp(ck)
    path = tmp_path / ("m.keras" if fmt == "keras" else "m.weights.h5")
    save = model.save if fmt == "keras" else model.save_weights
    save(path)
    good = path.read_bytes()
    model.set_weights([w + 1 for w in model.get_weights()])
    calls = {"n": 0}
    original = h5py.Group.create_dataset

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full (simulated)")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(h5py.Group, "create_dataset", failing)
    with pytest.raises(OSError, match="simulated"):
        save(path)
    assert path.read_bytes() == good
    assert _stray(tmp_path, path) == []


def test_failed_archive_write_keeps_previous_file(tmp_path, monkeypatch):
    import zipfile

    model = sequential_mlp(ck)
    path = tmp_path / "m.keras"
    model.save(path)
    good = path.read_bytes()

    def failing(self, name, data, *args, **kwargs):
        raise OSError("write failed (simulated)")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing)
    with pytest.raises(OSError, match="simulated"):
        model.save(path)
    assert path.read_bytes() == good
    assert _stray(tmp_path, path) == []


_SAVER = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {root!r})
    import numpy as np
    from capas import keras
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(64), keras.layers.Dense(64), keras.layers.Dense(3)])
    model.compile(optimizer="adam", loss="mse")
    target = sys.argv[1]
    print("ready", flush=True)
    i = 0
    while True:
        model.set_weights([np.full_like(w, i) for w in model.get_weights()])
        if target.endswith(".keras"):
            model.save(target)
        else:
            model.save_weights(target)
        i += 1
""")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["keras", "weights"])
def test_sigkill_during_save_loop_always_leaves_a_loadable_file(tmp_path, fmt):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    script = tmp_path / "saver.py"
    script.write_text(_SAVER.format(root=root))
    target = str(tmp_path / ("m.keras" if fmt == "keras" else "m.weights.h5"))
    rng = random.Random(1234)
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="")
    model = ck.Sequential([ck.Input((4,)), ck.layers.Dense(64), ck.layers.Dense(64), ck.layers.Dense(3)])
    for trial in range(3):
        proc = subprocess.Popen([sys.executable, str(script), target], stdout=subprocess.PIPE, env=env)
        try:
            assert proc.stdout.readline().strip() == b"ready"
            deadline = time.monotonic() + 30
            while not os.path.exists(target) and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.05, 0.6))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        if fmt == "keras":
            loaded = ck.saving.load_model(target)
            values = loaded.get_weights()
        else:
            model.load_weights(target)
            values = model.get_weights()
        first = values[0].flat[0]
        assert all(np.all(v == first) for v in values), f"trial {trial}: a mix of two saves"


_STALL_WRITER = textwrap.dedent("""
    import sys, time
    from capas._file_utils import atomic_write
    target, ready = sys.argv[1], sys.argv[2]
    with atomic_write(target, "wb") as f:
        f.write(b"x" * 1_000_000)
        f.flush()
        open(ready, "w").close()
        time.sleep(600)  # killed here, mid-write
""")


def _killed_mid_write(target, tmp_path, n=1):
    """Start `n` writers of `target`, SIGKILL each in the middle of its write."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for i in range(n):
        ready = tmp_path / f"ready-{i}"
        proc = subprocess.Popen([sys.executable, "-c", _STALL_WRITER, str(target), str(ready)], env=env)
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert proc.poll() is None, "the writer died before writing"
            assert time.monotonic() < deadline, "the writer never started writing"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()


@pytest.mark.slow
def test_temporaries_of_killed_writers_are_removed_by_the_next_write(tmp_path):
    target = tmp_path / "model.keras"
    target.write_bytes(b"good")
    _killed_mid_write(target, tmp_path, n=2)
    # The second writer removed the first one's leftover; the second kill left its own.
    assert len(_stray(tmp_path, target)) == 1
    assert target.read_bytes() == b"good"
    with atomic_write(target, "wb") as f:
        f.write(b"new")
    assert _stray(tmp_path, target) == []
    assert target.read_bytes() == b"new"


def test_temporaries_of_live_writers_and_other_targets_are_kept(tmp_path):
    from capas._file_utils import _host, remove_stale_temporaries

    target = tmp_path / "model.keras"
    live = tmp_path / f".model.keras.{_host()}.{os.getppid()}.abc.tmp"  # our parent is alive
    remote = tmp_path / ".model.keras.another-host.4194399.abc.tmp"  # another host's writer: not ours to judge
    other = tmp_path / f".other.keras.{_host()}.4194399.abc.tmp"  # another target's temporary
    young_legacy = tmp_path / ".model.keras.k2j4x8.tmp"  # an older capas's name, written just now
    for path in (live, remote, other, young_legacy):
        path.write_bytes(b"partial")
    assert remove_stale_temporaries(target) == []
    old = time.time() - 7200
    os.utime(young_legacy, (old, old))
    assert remove_stale_temporaries(target) == [str(young_legacy)]


@pytest.mark.slow
def test_backup_folder_is_cleaned_after_a_killed_backup_write(tmp_path):
    from tests.keras.callbacks.conftest import make_data, make_model

    backup = tmp_path / "backup"
    backup.mkdir()
    _killed_mid_write(backup / "latest.backup", tmp_path)
    assert len(os.listdir(backup)) == 1
    x, y = make_data()
    make_model(ck).fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[ck.callbacks.BackupAndRestore(str(backup))])
    assert not backup.exists()
