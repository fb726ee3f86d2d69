"""Structure of the conformance corpus (conformance/): programs, goldens, and the comparer.

These tests never run the programs against capas (that is `make conformance`); they check that
the corpus is complete and that its goldens came from the recorder (real TensorFlow).
"""

import ast
import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFORMANCE = os.path.join(ROOT, "conformance")
sys.path.insert(0, CONFORMANCE)

import harness
import run as conformance_run

PROGRAMS = harness.find_programs()
NAMES = [harness.program_name(p) for p in PROGRAMS]


def _golden(name):
    with open(harness.golden_path(name), encoding="utf-8") as f:
        return json.load(f)


def test_corpus_has_at_least_40_programs():
    assert len(PROGRAMS) >= 40, "conformance/programs holds %d programs; at least 40 expected" % len(PROGRAMS)


def test_program_numbers_are_unique():
    numbers = [n.split("_", 1)[0] for n in NAMES]
    assert len(numbers) == len(set(numbers)), "two programs share a number: %s" % sorted(numbers)


@pytest.mark.parametrize("path", PROGRAMS, ids=NAMES)
def test_program_header_names_its_source(path):
    source = harness.program_source(path)
    assert source, "%s: the header docstring needs a 'Source: <repository path or URL>' line" % path
    assert any(s in source for s in ("tensorflow/docs", "keras-io", "tensorflow.org", "keras.io")), source


@pytest.mark.parametrize("path", PROGRAMS, ids=NAMES)
def test_program_imports_only_through_target(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mods = [node.module or ""]
        else:
            continue
        for mod in mods:
            top = mod.split(".")[0]
            assert top not in ("tensorflow", "capas", "keras", "torch"), (
                "%s imports %s directly; programs import the framework through _target" % (path, mod)
            )


@pytest.mark.parametrize("name", NAMES)
def test_each_program_has_a_recorded_golden(name):
    assert os.path.exists(harness.golden_path(name)), (
        "no golden for %s: run `python conformance/record.py --python <tf-venv>/bin/python %s`" % (name, name)
    )
    golden = _golden(name)
    assert golden["program"] == name
    assert golden["recorded_with"] == "tensorflow 2.21.0", golden["recorded_with"]
    assert golden["source"] == harness.program_source(os.path.join(harness.PROGRAMS, name + ".py"))
    assert golden["program_sha256"] == harness.program_digest(os.path.join(harness.PROGRAMS, name + ".py")), (
        "%s changed after its golden was recorded: record it again with conformance/record.py" % name
    )
    assert golden["results"], "%s: the golden holds no results" % name
    for line in golden["results"]:
        assert set(line) == {"key", "value", "tol"}, line
        assert isinstance(line["key"], str) and line["key"]


def test_no_golden_without_a_program():
    stray = [f for f in os.listdir(harness.GOLDENS) if f.endswith(".json") and f[:-5] not in NAMES]
    assert not stray, "goldens without a program: %s" % stray


def test_spread_over_tf_core_and_keras():
    keras_like = 0
    for path in PROGRAMS:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if "keras." in text.split('"""', 2)[-1]:
            keras_like += 1
    assert 15 <= keras_like <= len(PROGRAMS) - 10, keras_like


def test_compare_accepts_equal_and_tolerated_results():
    golden = {
        "results": [
            {"key": "a", "value": [1.0, 2.0], "tol": [1e-3, 1e-3]},
            {"key": "b", "value": {"bytes": "x"}, "tol": None},
        ]
    }
    got = [{"key": "a", "value": [1.0005, 2.0], "tol": None}, {"key": "b", "value": {"bytes": "x"}, "tol": None}]
    assert conformance_run.compare(golden, got) == (None, None)


@pytest.mark.parametrize(
    "got,fragment",
    [
        ([{"key": "a", "value": [1.1, 2.0]}], "expected 1.0"),  # float outside tolerance
        ([{"key": "a", "value": [1, 2]}], "(float), got 1 (int)"),  # int where TF gave a float
        ([{"key": "z", "value": [1.0, 2.0]}], "expected key 'a'"),  # wrong key
        ([], "stopped before 'a'"),  # program stopped early
        ([{"key": "a", "value": [1.0]}], "expected [1.0, 2.0]"),  # wrong length
    ],
)
def test_compare_reports_the_first_difference(got, fragment):
    golden = {"results": [{"key": "a", "value": [1.0, 2.0], "tol": None}]}
    key, why = conformance_run.compare(golden, got)
    assert why is not None and fragment in why, why


def test_compare_treats_bool_and_str_exactly():
    assert conformance_run.diff(True, 1, (1e-5, 1e-6)) is not None
    assert conformance_run.diff("float32", "torch.float32", (1e-5, 1e-6)) is not None
    assert conformance_run.diff(float("nan"), float("nan"), (1e-5, 1e-6)) is None
