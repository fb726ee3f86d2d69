"""Keras's other spellings of layer classes (MaxPool2D, Convolution2D, GlobalAvgPool1D, ...): the
same class objects, in configs and in saved files."""

import json
import zipfile

import numpy as np
import pytest
import torch

from capas import keras
from capas.keras import layers


@pytest.fixture(scope="module")
def ref():
    return pytest.importorskip("keras")


def _alias_pairs(module):
    names = [n for n in dir(module) if not n.startswith("_") and isinstance(getattr(module, n), type)]
    by_class = {}
    for n in names:
        by_class.setdefault(id(getattr(module, n)), []).append(n)
    pairs = set()
    for group in by_class.values():
        if len(group) > 1:
            canonical = getattr(module, group[0]).__name__
            pairs.update((alias, canonical) for alias in group if alias != canonical)
    return pairs


def test_every_keras_alias_is_the_same_class_in_capas(ref):
    expected = _alias_pairs(ref.layers)
    assert len(expected) >= 20
    for alias, canonical in sorted(expected):
        assert getattr(layers, alias) is getattr(layers, canonical), alias
    assert _alias_pairs(layers) >= expected


@pytest.mark.parametrize(
    "alias,config,shape",
    [
        ("MaxPool2D", {"pool_size": 2}, (1, 4, 4, 2)),
        ("AvgPool1D", {"pool_size": 2}, (1, 4, 2)),
        ("GlobalAvgPool3D", {}, (1, 2, 2, 2, 3)),
        ("GlobalMaxPool1D", {}, (1, 5, 3)),
        ("Convolution2D", {"filters": 2, "kernel_size": 3}, (1, 5, 5, 1)),
        ("Convolution1DTranspose", {"filters": 2, "kernel_size": 2}, (1, 4, 3)),
        ("SeparableConvolution1D", {"filters": 2, "kernel_size": 2}, (1, 4, 3)),
    ],
)
def test_configs_and_files_naming_an_alias_load(tmp_path, alias, config, shape):
    layer = layers.deserialize({"class_name": alias, "config": config})
    assert type(layer) is getattr(layers, alias)
    model = keras.Sequential([keras.Input(shape[1:]), getattr(layers, alias)(**config)])
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    saved = json.loads(members["config.json"])
    saved["config"]["layers"][-1]["class_name"] = alias  # as a file written with the alias spelling names it
    members["config.json"] = json.dumps(saved).encode()
    aliased = tmp_path / "aliased.keras"
    with zipfile.ZipFile(aliased, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    loaded = keras.models.load_model(aliased)
    x = torch.tensor(np.random.default_rng(0).standard_normal(shape).astype("float32"))
    np.testing.assert_array_equal(loaded(x).numpy(), model(x).numpy())
