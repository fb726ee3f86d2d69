"""Behaviour fixed for the conformance corpus, checked against values recorded from TF
(tests/goldens/fixa: cases.py holds the programs, cases.json TF's answers)."""

import json
import pathlib

import pytest

import capas as tf
from tests.goldens._load import load_cases

HERE = pathlib.Path(__file__).parent / "goldens" / "fixa"
CASES = load_cases(HERE)
GOLDEN = json.loads((HERE / "cases.json").read_text())["cases"]


@pytest.mark.parametrize("name", sorted(CASES.CASES))
def test_case_matches_tf(name):
    assert CASES.run_case(tf, CASES.CASES[name]) == GOLDEN[name]


class _Scaler(tf.Module):
    def __init__(self):
        super().__init__()
        self.scale = tf.Variable(4.0)

    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])
    def serve(self, x):
        return {"scaled": x * self.scale}


def test_saved_model_revives_methods_and_signatures_of_a_defined_class(tmp_path):
    # conformance/programs/047_saved_model.py holds TF's recorded answers for this flow
    scaler = _Scaler()
    tf.saved_model.save(scaler, tmp_path / "m", signatures=scaler.serve)
    loaded = tf.saved_model.load(tmp_path / "m")
    assert isinstance(loaded, _Scaler) and list(loaded.signatures) == ["serving_default"]
    out = loaded.signatures["serving_default"](x=tf.constant([1.0, 2.0]))
    assert sorted(out) == ["scaled"] and out["scaled"].tolist() == [4.0, 8.0]
    loaded.scale.assign(2.0)
    assert loaded.serve(tf.constant([3.0]))["scaled"].tolist() == [6.0]


def test_saved_model_of_an_unknown_class_loads_as_a_plain_module(tmp_path, monkeypatch):
    tf.saved_model.save(_Scaler(), tmp_path / "m")
    monkeypatch.setitem(__import__("sys").modules, __name__, None)
    loaded = tf.saved_model.load(tmp_path / "m")
    assert type(loaded) is tf.Module and loaded.scale.numpy() == 4.0 and loaded.signatures == {}
