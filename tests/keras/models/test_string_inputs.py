"""Functional models on `keras.Input(dtype='string')` against TF-recorded goldens (tests/goldens/strinput):
symbolic string tensors turned numeric by the string layers, predictions of a fixed-weight model fed
strings (tensors, numpy, tf.data dicts), the InputLayer config and `.keras` save/load with the
lookup vocabularies as assets."""

import json
import os
import pathlib
import zipfile

import numpy as np
import pytest

import capas as tf
from capas import keras
from capas.keras import layers
from tests.goldens._load import load_cases

HERE = pathlib.Path(__file__).parents[2] / "goldens" / "strinput"
CASES = load_cases(HERE).CASES
GOLDENS = json.loads((HERE / "goldens.json").read_text())


# Keras 3 gives the KerasTensor of a lookup / TextVectorization in a count-like mode the layer's
# float32 compute dtype, though the layer returns int64 when called; capas's symbolic tensor carries
# the dtype the call really returns (docs/differences.md, "String inputs").
SYMBOLIC_DTYPE_DIFFERENCES = ("lookup_one_hot", "lookup_multi_hot", "text_vectorization_multi_hot")


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(name):
    got = CASES[name](tf, keras)
    expected = dict(GOLDENS[name])
    if name == "symbolic_specs":
        for key in SYMBOLIC_DTYPE_DIFFERENCES:
            assert expected[key]["dtype"] == "float32" and got[key]["dtype"] == "int64", key
            assert got.pop(key)["shape"] == expected.pop(key)["shape"], key
    if name == "lambda_strings":
        # Keras 3 types a Lambda's output with the layer's float32 compute dtype (here over a string
        # result); capas carries the string dtype the function returns.
        assert expected["lowered"]["dtype"] == "float32" and got["lowered"]["dtype"] == "string"
        assert got.pop("lowered")["shape"] == expected.pop("lowered")["shape"]
    assert got == expected


def test_numeric_layer_on_string_input_names_layer_and_fix():
    x = keras.Input(shape=(1,), dtype="string")
    with pytest.raises(TypeError, match=r"Layer 'bad_dense' \(Dense\) cannot take a string input.*StringLookup"):
        layers.Dense(2, name="bad_dense")(x)


def test_model_refuses_numbers_for_a_string_input():
    x = keras.Input(shape=(1,), dtype="string", name="word")
    model = keras.Model(x, layers.StringLookup(vocabulary=["a"])(x))
    with pytest.raises(TypeError, match="Input 'word'.*dtype string"):
        model(np.zeros((2, 1), dtype="float32"))


def test_numpy_str_and_bytes_feed_a_string_input():
    x = keras.Input(shape=(1,), dtype="string")
    model = keras.Model(x, layers.StringLookup(vocabulary=["a", "b"])(x))
    expected = [[1], [2], [0]]
    assert model(np.array([["a"], ["b"], ["z"]])).tolist() == expected
    assert model(np.array([b"a", b"b", b"z"])).tolist() == expected  # (N,) feeds shape (1,), as Keras


def test_summary_lists_the_string_input(capsys):
    x = keras.Input(shape=(1,), dtype="string", name="kind")
    model = keras.Model(x, layers.Hashing(num_bins=3)(x))
    model.summary()
    out = capsys.readouterr().out
    assert "kind (InputLayer)" in out and "(None, 1)" in out


def test_keras_file_without_assets_still_loads(tmp_path):
    x = keras.Input(shape=(1,), dtype="string")
    model = keras.Model(x, layers.StringLookup(vocabulary=["a", "b"])(x))  # given vocabulary: config, no asset
    path = os.path.join(tmp_path, "m.keras")
    model.save(path)
    assert not [n for n in zipfile.ZipFile(path).namelist() if n.startswith("assets/")]
    assert keras.models.load_model(path)(tf.constant([["b"]])).tolist() == [[2]]


def test_loads_a_keras_file_written_by_tensorflow():
    # tests/goldens/strinput/tf_pets.keras: pet_model saved by TF 2.21's Keras (record.py).
    model = keras.models.load_model(HERE / "tf_pets.keras")
    assert [keras.backend.standardize_dtype(t.dtype) for t in model.inputs if t.name == "color"] == ["string"]
    features = load_cases(HERE).pet_features(tf)
    got = model.predict(features, verbose=0)
    np.testing.assert_allclose(got, GOLDENS["functional_predictions"]["call"], atol=1e-5)


def test_bad_vocabulary_asset_is_an_invalid_model_file(tmp_path):
    from capas.keras.saving._errors import InvalidModelFileError

    src = HERE / "tf_pets.keras"
    bad = tmp_path / "bad.keras"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "assets/layers/integer_lookup/vocabulary.txt":
                data = b"-1\nnot-a-number\n"
            zout.writestr(info.filename, data)
    with pytest.raises(InvalidModelFileError, match="assets"):
        keras.models.load_model(bad)
