"""Malformed functional configs name the layer and the field; shape errors speak of None, not fake tensors."""

import json
import zipfile

import pytest

from capas import keras as ck
from capas.keras.saving import InvalidModelFileError
from tests.keras.saving import hostile_corpus


def _config_and_members(tmp_path):
    members, _ = hostile_corpus.reference_members(str(tmp_path))
    return json.loads(members["config.json"]), members


def _load_with(tmp_path, members, config):
    path = hostile_corpus.write_zip(str(tmp_path / "bad.keras"), dict(members, **{"config.json": json.dumps(config)}))
    with pytest.raises(InvalidModelFileError) as info:
        ck.saving.load_model(path)
    return str(info.value)


def _layer(config, name):
    return next(entry for entry in config["config"]["layers"] if entry.get("name") == name)


def test_missing_keras_history_names_layer_and_field(tmp_path):
    config, members = _config_and_members(tmp_path)
    del _layer(config, "head")["inbound_nodes"][0]["args"][0]["config"]["keras_history"]
    message = _load_with(tmp_path, members, config)
    assert "inbound node 0 of layer 'head' (Dense)" in message
    assert "no 'keras_history' field" in message


def test_reference_to_an_undefined_layer_is_named(tmp_path):
    config, members = _config_and_members(tmp_path)
    _layer(config, "head")["inbound_nodes"][0]["args"][0]["config"]["keras_history"][0] = "ghost"
    message = _load_with(tmp_path, members, config)
    assert "layer 'head' (Dense)" in message and "refers to layer 'ghost'" in message


def test_malformed_keras_history_and_io_refs(tmp_path):
    config, members = _config_and_members(tmp_path)
    _layer(config, "head")["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = "hidden"
    assert "'keras_history' should be a list or tuple, received str 'hidden'" in _load_with(tmp_path, members, config)
    config, _ = _config_and_members(tmp_path)
    del config["config"]["output_layers"]
    assert "has no 'output_layers' field" in _load_with(tmp_path, members, config)
    config, _ = _config_and_members(tmp_path)
    config["config"]["layers"][1] = None
    assert "layer #1 of the config of functional model 'victim' should be a JSON object" in _load_with(
        tmp_path, members, config
    )


def test_layer_entry_without_class_name_is_named(tmp_path):
    config, members = _config_and_members(tmp_path)
    del _layer(config, "hidden")["class_name"]
    message = _load_with(tmp_path, members, config)
    assert "layer 'hidden'" in message


def test_symbolic_shape_errors_show_none_for_the_batch():
    with pytest.raises(ValueError) as info:
        ck.layers.Reshape((7,))(ck.Input((3,)))
    message = str(info.value)
    assert "(None, 3)" in message
    assert "FakeTensor" not in message and "83" not in message


def test_probe_size_is_kept_when_it_is_a_real_dim():
    from capas.keras.layers._symbolic import _PROBE_SIZES

    size = _PROBE_SIZES[0]
    with pytest.raises(ValueError) as info:
        ck.layers.Reshape((7,))(ck.Input((size,)))
    assert f"{size}" in str(info.value)


def test_sequential_layer_with_malformed_dtype_is_named(tmp_path):
    model = ck.Sequential([ck.Input((3,)), ck.layers.Dense(2, name="head")], name="seq")
    path = str(tmp_path / "seq.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    entry = next(e for e in config["config"]["layers"] if e["class_name"] == "Dense")
    entry["config"]["dtype"]["config"] = "oops"
    message = _load_with(tmp_path, members, config)
    assert "'head', class 'Dense'" in message and "Sequential model 'seq'" in message
