"""Loading refuses incomplete archives, cleans what killed saves left, and accepts deflated files."""

import os
import zipfile

import numpy as np
import pytest

from capas import keras as ck
from capas.keras.saving import InvalidModelFileError
from capas._file_utils import _host
from tests.keras.saving import hostile_corpus


def test_archive_without_weights_is_refused(tmp_path):
    members, _ = hostile_corpus.reference_members(str(tmp_path))
    del members["model.weights.h5"]
    path = hostile_corpus.write_zip(str(tmp_path / "no_weights.keras"), members)
    with pytest.raises(InvalidModelFileError, match="no 'model.weights.h5'.*weights are missing"):
        ck.saving.load_model(path)


@pytest.mark.parametrize("how", ["load_model", "load_weights"])
def test_loading_removes_stale_temporaries_of_the_target(how, tmp_path):
    members, model = hostile_corpus.reference_members(str(tmp_path))
    path = str(tmp_path / "reference.keras")
    # The name a writer killed mid-save leaves (pid above pid_max: certainly dead).
    stale = tmp_path / f".reference.keras.{_host()}.4194399.k3x.tmp"
    stale.write_bytes(b"half a model")
    other = tmp_path / f".other.keras.{_host()}.4194399.k3x.tmp"
    other.write_bytes(b"not ours")
    ck.saving.load_model(path) if how == "load_model" else model.load_weights(path)
    assert not stale.exists()
    assert other.exists()


def test_deflated_archive_of_zero_weights_is_not_a_zip_bomb(tmp_path):
    inputs = ck.Input((1600,))
    model = ck.Model(inputs, ck.layers.Dense(1600, kernel_initializer="zeros", name="big")(inputs))
    path = str(tmp_path / "zeros.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    deflated = hostile_corpus.write_zip(str(tmp_path / "deflated.keras"), members, zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(deflated) as archive:
        info = archive.getinfo("model.weights.h5")
        assert info.file_size > 10_000_000 and info.file_size > 500 * info.compress_size
    loaded = ck.saving.load_model(deflated)
    np.testing.assert_array_equal(loaded.get_layer("big").kernel.numpy(), np.zeros((1600, 1600), "float32"))
    assert os.path.getsize(deflated) < 1024 * 1024
