"""The callbacks' atomic file write."""

import os

import pytest

from capas.keras.callbacks._files import atomic_write
from capas.keras.callbacks._files import is_chief


def test_atomic_write_replaces_the_file(tmp_path):
    path = tmp_path / "sub" / "f.bin"
    atomic_write(str(path), lambda f: f.write(b"one"))
    atomic_write(str(path), lambda f: f.write(b"two"))
    assert path.read_bytes() == b"two"
    assert os.listdir(tmp_path / "sub") == ["f.bin"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"good")

    def broken(f):
        f.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(str(path), broken)
    assert path.read_bytes() == b"good"
    assert os.listdir(tmp_path) == ["f.bin"]


def test_single_process_is_chief():
    assert is_chief()
